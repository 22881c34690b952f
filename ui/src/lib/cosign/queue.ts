// The sessions waiting for a co-signature, as the "To co-sign" screen lists
// them: oldest first, each with what a co-signer reads before opening it
// (when, who treated, who signed, the zones treated).
import type { TreatmentSession } from '../api/sessions';
import { formatDate } from '../dates/calendar';
import { zonesSummary } from '../sessions/course';
import { signedLine } from '../sessions/describe';
import { signatureLine } from '../sessions/signature';

/** One row of the list. */
export type CosignRow = {
  id: string;
  /** The clinic's calendar date of the session, e.g. "5 May 2026". */
  date: string;
  practitioner: string;
  /** "Signed by Dr Amara Okafor at 5 May 2026, 11:00". */
  signed: string;
  /** "Cheeks 1 mm · Chin 0.75 mm". */
  zones: string;
};

/** The sessions by the time they started, oldest first (the longest wait at the top). */
export function oldestFirst(sessions: readonly TreatmentSession[]): TreatmentSession[] {
  const at = (s: TreatmentSession) => Date.parse(s.started_at);
  return [...sessions].sort((a, b) => at(a) - at(b) || a.id.localeCompare(b.id));
}

export function cosignRow(session: TreatmentSession, locale?: string, timeZone?: string): CosignRow {
  const signed = session.signature
    ? signatureLine(session.signature, locale, timeZone)
    : (signedLine(session, [], locale, timeZone) ?? 'Not signed yet');
  return {
    id: session.id,
    date: formatDate(session.local_date, locale),
    practitioner: session.practitioner,
    signed,
    zones: session.zones.length === 0 ? 'No zones recorded' : zonesSummary(session.zones),
  };
}

/** "1 session waits for a co-signature", "3 sessions wait …", or that none does. */
export function waitingSummary(count: number): string {
  if (count === 0) return 'No session waits for a co-signature.';
  return count === 1 ? '1 session waits for a co-signature.' : `${count} sessions wait for a co-signature.`;
}
