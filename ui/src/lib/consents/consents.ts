// The three consents a client gives separately (treatment, clinical photos,
// marketing photos) and where each stands today: active, revoked or missing.
import type { Consent, ConsentKind } from '../api/records';

export const CONSENT_KINDS: readonly { kind: ConsentKind; label: string; hint: string }[] = [
  { kind: 'treatment', label: 'Treatment', hint: 'microneedling treatment, its risks and aftercare' },
  { kind: 'clinical_photos', label: 'Clinical photos', hint: 'photos kept in the record to follow progress' },
  { kind: 'marketing_photos', label: 'Marketing photos', hint: 'de-identified photos shown outside the clinic' },
];

export function consentLabel(kind: ConsentKind): string {
  return CONSENT_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

export type ConsentStatus = {
  kind: ConsentKind;
  status: 'active' | 'revoked' | 'missing';
  /** The consent in force, or the latest revoked one; null when none was ever given. */
  consent: Consent | null;
  /** Every consent of this kind, newest first. */
  history: Consent[];
};

/** Whether a consent holds on `day` ("YYYY-MM-DD"): given by then and not revoked by then. */
export function activeOn(consent: Consent, day: string): boolean {
  return consent.given_on <= day && (consent.revoked_on === null || consent.revoked_on > day);
}

/** Where each kind of consent stands on `today`; `consents` come newest first. */
export function consentStatuses(consents: readonly Consent[], today: string): ConsentStatus[] {
  return CONSENT_KINDS.map(({ kind }) => {
    const history = consents.filter((c) => c.kind === kind);
    const active = history.find((c) => activeOn(c, today));
    if (active) return { kind, status: 'active', consent: active, history };
    const latest = history[0] ?? null;
    const revoked = latest !== null && latest.revoked_on !== null;
    return { kind, status: revoked ? 'revoked' : 'missing', consent: revoked ? latest : null, history };
  });
}
