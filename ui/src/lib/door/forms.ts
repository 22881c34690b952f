// The limits on passphrases, PINs and recovery keys as the core sets them,
// checked in the window before asking (the core checks again): the first
// start, the sign-in screens, the recovery form, Settings' accounts and the
// PIN that confirms a signature all use these.

/** The shortest passphrase the core accepts, in characters. */
export const MIN_PASSPHRASE = 10;

export type FieldErrors = Partial<Record<string, string>>;

/** The problem with a passphrase and its repetition, or null. */
export function passphraseError(passphrase: string, repeated: string): string | null {
  const length = [...passphrase].length;
  if (length < MIN_PASSPHRASE) return `a passphrase needs at least ${MIN_PASSPHRASE} characters; this one has ${length}`;
  if (passphrase !== repeated) return 'the two passphrases differ';
  return null;
}

/** Whether a PIN can be sent: 4 to 8 digits. */
export function pinReady(pin: string): boolean {
  return /^[0-9]{4,8}$/.test(pin);
}

/** The problem with a PIN, or null. */
export function pinError(pin: string): string | null {
  return pinReady(pin) ? null : 'a PIN is 4 to 8 digits';
}

export type OwnerForm = {
  clinicName: string;
  name: string;
  passphrase: string;
  repeated: string;
  pin: string;
  treats: boolean;
  credentials: string;
  prescriber: boolean;
};

/** Every problem with the first start's owner form, by field (empty when it can be sent). */
export function ownerErrors(form: OwnerForm): FieldErrors {
  const errors: FieldErrors = {};
  if (form.clinicName.trim() === '') errors.clinic_name = 'the clinic needs a name';
  if (form.name.trim() === '') errors.name = 'your name, as it will sign records';
  const passphrase = passphraseError(form.passphrase, form.repeated);
  if (passphrase) errors.passphrase = passphrase;
  const pin = pinError(form.pin);
  if (pin) errors.pin = pin;
  return errors;
}

/** The characters of a recovery key: Crockford's base 32, without I, L, O or U. */
const RECOVERY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The characters of a recovery key, without its dashes. */
export const RECOVERY_KEY_LENGTH = 52;

/**
 * The problem with a recovery key as a person typed it, or null. Spaces and
 * dashes do not count and case does not matter; O is read as 0, and I and L
 * as 1, as the core reads them.
 */
export function recoveryKeyError(typed: string): string | null {
  let count = 0;
  for (const c of typed) {
    if (c === '-' || /\s/.test(c)) continue;
    const upper = /^[a-z]$/.test(c) ? c.toUpperCase() : c;
    const read = upper === 'O' ? '0' : upper === 'I' || upper === 'L' ? '1' : upper;
    if (!RECOVERY_ALPHABET.includes(read)) return `a recovery key has only digits and the letters A to Z without U; this has "${c}"`;
    count += 1;
  }
  if (count === 0) return 'type the recovery key from the recovery sheet';
  if (count !== RECOVERY_KEY_LENGTH) return `a recovery key has ${RECOVERY_KEY_LENGTH} characters; this has ${count}`;
  return null;
}

export type RecoveryForm = {
  recoveryKey: string;
  name: string;
  passphrase: string;
  repeated: string;
  pin: string;
  repeatedPin: string;
};

/** Every problem with the recovery form, by field (empty when it can be sent). */
export function recoveryErrors(form: RecoveryForm): FieldErrors {
  const errors: FieldErrors = {};
  const key = recoveryKeyError(form.recoveryKey);
  if (key) errors.recovery_key = key;
  if (form.name.trim() === '') errors.name = 'choose whose account this is';
  const passphrase = passphraseError(form.passphrase, form.repeated);
  if (passphrase) errors.passphrase = passphrase;
  const pin = pinError(form.pin) ?? (form.pin === form.repeatedPin ? null : 'the two PINs differ');
  if (pin) errors.pin = pin;
  return errors;
}
