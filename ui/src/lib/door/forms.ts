// The limits on passphrases and PINs as the core sets them, checked in the
// window before asking (the core checks again): the first start, the
// sign-in screens, Settings' accounts and the PIN that confirms a signature
// all use these.

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
