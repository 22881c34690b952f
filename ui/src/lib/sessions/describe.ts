// How a session's facts read on screen: endpoint, phase, pain, lots, the
// signature line of a session signed before accounts, who amended it and
// when. Short, and the same on every screen.
import type { Practitioner } from '../api/clinic';
import type { Amendment, Endpoint, LotRef, LotUse, Phase, TreatmentSession } from '../api/sessions';
import { expiryText } from '../catalogue/catalogue';
import { formatInstant } from '../dates/calendar';

export const ENDPOINTS: readonly { value: Endpoint; label: string; hint: string }[] = [
  { value: 'erythema', label: 'Erythema', hint: 'even redness across the zone' },
  { value: 'pinpoint_bleeding', label: 'Pinpoint bleeding', hint: 'fine, even pinpoint bleeding' },
  { value: 'not_reached', label: 'Not reached', hint: 'stopped before the intended endpoint' },
];

export const PHASES: readonly { value: Phase; label: string }[] = [
  { value: 'before', label: 'Before' },
  { value: 'during', label: 'During' },
  { value: 'after', label: 'After' },
];

export const USED_AS: Record<LotUse, string> = {
  cartridge: 'Cartridge',
  anaesthetic: 'Anaesthetic',
  product: 'Product',
};

export function endpointLabel(endpoint: Endpoint | null): string | null {
  return ENDPOINTS.find((e) => e.value === endpoint)?.label ?? null;
}

export function phaseLabel(phase: Phase): string {
  return PHASES.find((p) => p.value === phase)?.label ?? phase;
}

/** "6 / 10"; null when not recorded. */
export function painLabel(pain: number | null): string | null {
  return pain === null ? null : `${pain} / 10`;
}

/** "Nano 36-pin cartridge, lot C25-041 (exp. 30 Dec 2027)". */
export function lotRefLabel(lot: LotRef, today: string, locale?: string): string {
  return `${lot.product}, lot ${lot.lot_number} (${expiryText(lot.expires_on, today, locale)})`;
}

/** "C25-041 (exp. 30 Dec 2027)": the lot alone, beside its product. */
export function lotNumberLabel(lot: LotRef, today: string, locale?: string): string {
  return `${lot.lot_number} (${expiryText(lot.expires_on, today, locale)})`;
}

/** "applied 08:20, removed 08:55". */
export function anaestheticTimes(applied: string | null, removed: string | null): string | null {
  const parts = [applied ? `applied ${applied}` : null, removed ? `removed ${removed}` : null].filter(Boolean);
  return parts.length === 0 ? null : parts.join(', ');
}

/**
 * "Signed 5 May 2026, 11:00 by Dr. Amara Okafor": a session signed before
 * accounts, which names the practitioner only; null for an unsigned session.
 */
export function signedLine(
  session: Pick<TreatmentSession, 'signed_at' | 'signed_by'>,
  practitioners: readonly Pick<Practitioner, 'id' | 'name'>[],
  locale?: string,
  timeZone?: string,
): string | null {
  if (session.signed_at === null) return null;
  const by = practitioners.find((p) => p.id === session.signed_by)?.name;
  const when = formatInstant(session.signed_at, locale, timeZone);
  return by ? `Signed ${when} by ${by}` : `Signed ${when}`;
}

/** "6 May 2026, 09:00 by Dr. Amara Okafor"; the time alone for an amendment made before accounts. */
export function amendedLine(amendment: Pick<Amendment, 'at' | 'by'>, locale?: string, timeZone?: string): string {
  const when = formatInstant(amendment.at, locale, timeZone);
  return amendment.by ? `${when} by ${amendment.by}` : when;
}
