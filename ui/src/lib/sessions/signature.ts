// Who may sign or co-sign a session, and how a signature reads on screen:
// the account's name, the time, and a short fingerprint of the hash the
// core signed. These only decide what the window offers; the core checks
// every signature again, PIN included.
import type { Me } from '../api/accounts';
import type { Signature, TreatmentSession } from '../api/sessions';
import { formatInstant } from '../dates/calendar';
import { pinError, pinReady } from '../door/forms';

export { pinReady };

/** The person signed in, as far as signing goes. */
export type Signer = Pick<Me, 'id' | 'practitioner_id' | 'permissions'>;

/** The hex characters of a hash shown: enough to tell two prints apart by eye. */
export const FINGERPRINT_LENGTH = 12;

/** "3f9a0c1b7d2e": the start of a signature's SHA-256. */
export function fingerprint(hash: string): string {
  return hash.trim().toLowerCase().slice(0, FINGERPRINT_LENGTH);
}

/** What is wrong with a PIN typed to confirm `what` ("the amendment"), or null. */
export function pinProblem(pin: string, what: string): string | null {
  if (pin === '') return `enter your PIN to confirm ${what}`;
  return pinError(pin);
}

/** Whether `me` signs this unsigned session: their own (they treated), with the right to sign. */
export function canSign(session: Pick<TreatmentSession, 'signed_at' | 'practitioner_id'>, me: Signer | null): boolean {
  return (
    me !== null &&
    session.signed_at === null &&
    me.permissions.includes('sign_sessions') &&
    me.practitioner_id === session.practitioner_id
  );
}

/** Why an unsigned session offers `me` no Sign action; null when it does, or when it is signed. */
export function whyNotSign(
  session: Pick<TreatmentSession, 'signed_at' | 'practitioner_id' | 'practitioner'>,
  me: Signer | null,
): string | null {
  if (session.signed_at !== null || canSign(session, me)) return null;
  if (me !== null && me.practitioner_id === session.practitioner_id) return 'Your account does not sign sessions.';
  return `Only ${session.practitioner} can sign this session.`;
}

/** Whether a signed session still waits for the second signature the clinic asks of it. */
export function awaitsCosign(session: Pick<TreatmentSession, 'signed_at' | 'cosign_required' | 'cosignature'>): boolean {
  return session.signed_at !== null && session.cosign_required && session.cosignature === null;
}

/** Whether `me` co-signs this session: it waits for it, they may co-sign, and they did not sign it. */
export function canCosign(
  session: Pick<TreatmentSession, 'signed_at' | 'cosign_required' | 'cosignature' | 'signature'>,
  me: Signer | null,
): boolean {
  return me !== null && awaitsCosign(session) && me.permissions.includes('co_sign') && session.signature?.account_id !== me.id;
}

/** "Signed by Dr Amara Okafor at 5 May 2026, 11:00". */
export function signatureLine(signature: Pick<Signature, 'account_name' | 'at'>, locale?: string, timeZone?: string): string {
  return `Signed by ${signature.account_name} at ${formatInstant(signature.at, locale, timeZone)}`;
}

/** "Co-signed by Dr Jon Reyes at 6 May 2026, 09:30". */
export function cosignatureLine(signature: Pick<Signature, 'account_name' | 'at'>, locale?: string, timeZone?: string): string {
  return `Co-signed by ${signature.account_name} at ${formatInstant(signature.at, locale, timeZone)}`;
}
