// The client record's rules, mirrored from the Rust side for instant feedback.
// The server stays authoritative: its `invalid` errors are shown as well and win.
import type { ClientInput } from '../api/clients';
import { parseIsoDate } from '../dates/calendar';
import type { ClientField } from './form';

export const CLIENT_LIMITS = {
  nameMaxChars: 200,
  notesMaxChars: 10_000,
  alertsMaxChars: 1_000,
  phoneMinDigits: 5,
  phoneMaxDigits: 20,
  earliestBirthDate: '1900-01-01',
} as const;

export type FieldErrors = Partial<Record<ClientField, string>>;

/** Length in Unicode scalar values, as Rust's `str::chars().count()` counts. */
function charCount(text: string): number {
  return Array.from(text).length;
}

const PHONE_CHARACTERS = /^[0-9 +\-().]+$/;
// local@domain.tld: no spaces, one @, a domain of dot-separated non-empty labels.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

type Rule = (input: ClientInput, today: string) => string | null;

const RULES: Record<ClientField, Rule> = {
  name(input) {
    const name = input.name.trim();
    if (name === '') return 'name is required';
    const length = charCount(name);
    if (length > CLIENT_LIMITS.nameMaxChars) {
      return `name is ${length} characters long, at most ${CLIENT_LIMITS.nameMaxChars} are allowed`;
    }
    return null;
  },

  date_of_birth(input, today) {
    const date = input.date_of_birth;
    if (date === null) return null;
    if (!parseIsoDate(date)) return `date of birth ${date} is not a valid date`;
    // "YYYY-MM-DD" strings compare in calendar order.
    if (date > today) return `date of birth ${date} is in the future`;
    if (date < CLIENT_LIMITS.earliestBirthDate) {
      return `date of birth ${date} is before ${CLIENT_LIMITS.earliestBirthDate}`;
    }
    return null;
  },

  phone(input) {
    const phone = input.phone;
    if (phone === null) return null;
    if (!PHONE_CHARACTERS.test(phone)) return 'phone may only contain digits, spaces and + - ( ) .';
    const digits = phone.replace(/\D/g, '').length;
    if (digits < CLIENT_LIMITS.phoneMinDigits) {
      return `phone has ${digits} digits, at least ${CLIENT_LIMITS.phoneMinDigits} are needed`;
    }
    if (digits > CLIENT_LIMITS.phoneMaxDigits) {
      return `phone has ${digits} digits, at most ${CLIENT_LIMITS.phoneMaxDigits} are allowed`;
    }
    return null;
  },

  email(input) {
    const email = input.email;
    if (email === null) return null;
    return EMAIL.test(email) ? null : `email ${email} does not look like name@example.com`;
  },

  fitzpatrick(input) {
    const value = input.fitzpatrick;
    if (value === null) return null;
    return Number.isInteger(value) && value >= 1 && value <= 6 ? null : 'fitzpatrick type must be one of I to VI';
  },

  glogau(input) {
    const value = input.glogau ?? null;
    if (value === null) return null;
    return Number.isInteger(value) && value >= 1 && value <= 4 ? null : 'glogau type must be one of I to IV';
  },

  indications() {
    // Chosen from a fixed list of checkboxes: nothing to get wrong.
    return null;
  },

  alerts(input) {
    const length = charCount(input.alerts ?? '');
    if (length > CLIENT_LIMITS.alertsMaxChars) {
      return `alerts are ${length} characters long, at most ${CLIENT_LIMITS.alertsMaxChars} are allowed`;
    }
    return null;
  },

  notes(input) {
    const length = charCount(input.notes);
    if (length > CLIENT_LIMITS.notesMaxChars) {
      return `notes are ${length} characters long, at most ${CLIENT_LIMITS.notesMaxChars} are allowed`;
    }
    return null;
  },
};

/** The problem with one field, or null when it is fine. `today` is the local date, "YYYY-MM-DD". */
export function validateClientField(field: ClientField, input: ClientInput, today: string): string | null {
  return RULES[field](input, today);
}

/** Every field's problem; an empty object when the record can be saved. */
export function validateClient(input: ClientInput, today: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of Object.keys(RULES) as ClientField[]) {
    const error = RULES[field](input, today);
    if (error !== null) errors[field] = error;
  }
  return errors;
}
