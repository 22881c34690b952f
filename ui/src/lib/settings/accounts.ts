// The clinic's accounts as Settings shows them: the roles by name, whom an
// account treats as, and the forms that add an account or set a passphrase,
// checked the way the Rust side checks them (it checks again).
import type { Account, NewAccount, Role } from '../api/accounts';
import type { Practitioner } from '../api/clinic';
import { MIN_PASSPHRASE, passphraseError, pinError } from '../door/forms';

export const ROLES: readonly { value: Role; label: string; hint: string }[] = [
  { value: 'owner', label: 'Owner', hint: 'Accounts, settings and backups, and everything a practitioner does' },
  { value: 'practitioner', label: 'Practitioner', hint: 'Treats clients: the clinical record, photos, signing sessions' },
  { value: 'assistant', label: 'Assistant', hint: 'Front desk: clients’ details, consents, taking photos; no clinical notes' },
  { value: 'reviewer', label: 'Reviewer', hint: 'Reads and prints everything clinical, co-signs; changes nothing' },
];

/** "Owner", "Practitioner", … */
export function roleLabel(role: Role): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}

/** What a role may do, in a few words. */
export function roleHint(role: Role): string {
  return ROLES.find((r) => r.value === role)?.hint ?? '';
}

/** Whether an account of `role` can treat clients (the others cannot sign sessions, so need no practitioner record). */
export function roleTreats(role: Role): boolean {
  return role === 'owner' || role === 'practitioner';
}

/** "treats as Ana Ruiz, RN" for an account linked to a practitioner; null for one that is not. */
export function treatsAs(account: Pick<Account, 'practitioner_id'>, practitioners: readonly Practitioner[]): string | null {
  if (account.practitioner_id === null) return null;
  const practitioner = practitioners.find((p) => p.id === account.practitioner_id);
  if (!practitioner) return 'treats clients';
  return `treats as ${[practitioner.name, practitioner.credentials.trim()].filter(Boolean).join(', ')}`;
}

/** Whether the practitioner an account treats as may prescribe. */
export function isPrescriber(account: Pick<Account, 'practitioner_id'>, practitioners: readonly Practitioner[]): boolean {
  return account.practitioner_id !== null && practitioners.some((p) => p.id === account.practitioner_id && p.prescriber);
}

/** The problem with a passphrase, or null. */
export function passphraseProblem(passphrase: string): string | null {
  if (passphrase === '') return `enter a passphrase of at least ${MIN_PASSPHRASE} characters`;
  return passphraseError(passphrase, passphrase);
}

/** The problem with a PIN, or null: 4 to 8 digits. */
export const pinProblem = pinError;

export type AccountForm = {
  name: string;
  role: Role;
  /** The account treats clients: a practitioner record is made under its name. */
  treats: boolean;
  credentials: string;
  prescriber: boolean;
  /** Both empty: the person chooses them at first sign-in. */
  passphrase: string;
  pin: string;
};

export function emptyAccountForm(): AccountForm {
  return { name: '', role: 'practitioner', treats: true, credentials: '', prescriber: false, passphrase: '', pin: '' };
}

/**
 * The account to add, or the problems keyed by NewAccount field. A
 * passphrase and a PIN go together: given both, the person signs in with
 * them; given neither, they choose them at their first sign-in.
 */
export function accountInput(form: AccountForm): { input: NewAccount | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = form.name.trim().split(/\s+/).join(' ');
  if (name === '') errors.name = 'enter the person’s name';
  const pin = form.pin.trim();
  const hasPassphrase = form.passphrase !== '';
  if (hasPassphrase) {
    const problem = passphraseProblem(form.passphrase);
    if (problem) errors.passphrase = problem;
    if (pin === '') errors.pin = 'give a PIN with the passphrase, or leave both empty';
  }
  if (pin !== '') {
    const problem = pinProblem(pin);
    if (problem) errors.pin = problem;
    if (!hasPassphrase) errors.passphrase = 'give a passphrase with the PIN, or leave both empty';
  }
  if (Object.keys(errors).length > 0) return { input: null, errors };
  const treats = roleTreats(form.role) && form.treats;
  return {
    input: {
      name,
      role: form.role,
      practitioner_id: null,
      treats: treats ? { credentials: form.credentials.trim(), prescriber: form.prescriber } : null,
      passphrase: hasPassphrase ? form.passphrase : null,
      pin: hasPassphrase ? pin : null,
    },
    errors,
  };
}

export type PassphraseForm = { passphrase: string; pin: string };

export function emptyPassphraseForm(): PassphraseForm {
  return { passphrase: '', pin: '' };
}

/**
 * A new passphrase for an account and, when typed, a new PIN (null keeps
 * the PIN it has). An account that has never signed in has no PIN, so it
 * needs one with its first passphrase.
 */
export function passphraseInput(
  form: PassphraseForm,
  needsPin: boolean,
): { input: { passphrase: string; pin: string | null } | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const passphrase = passphraseProblem(form.passphrase);
  if (passphrase) errors.passphrase = passphrase;
  const pin = form.pin.trim();
  if (pin === '' && needsPin) errors.pin = 'choose a PIN too: this account has none yet';
  else if (pin !== '') {
    const problem = pinProblem(pin);
    if (problem) errors.pin = problem;
  }
  if (Object.keys(errors).length > 0) return { input: null, errors };
  return { input: { passphrase: form.passphrase, pin: pin === '' ? null : pin }, errors };
}
