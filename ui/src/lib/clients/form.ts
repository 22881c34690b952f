// The client form as the screen holds it (text in every field) and its
// conversion to and from the record the Rust side stores.
import type { Client, ClientInput } from '../api/clients';

export const CLIENT_FIELDS = ['name', 'date_of_birth', 'phone', 'email', 'fitzpatrick', 'notes'] as const;

/** A field of the client form; the names match ClientInput (and the server's `field`). */
export type ClientField = (typeof CLIENT_FIELDS)[number];

/** What the inputs hold: always text, '' for "not recorded". */
export type ClientForm = Record<ClientField, string>;

export function isClientField(value: unknown): value is ClientField {
  return typeof value === 'string' && (CLIENT_FIELDS as readonly string[]).includes(value);
}

export function emptyClientForm(): ClientForm {
  return { name: '', date_of_birth: '', phone: '', email: '', fitzpatrick: '', notes: '' };
}

export function clientForm(client: Client): ClientForm {
  return {
    name: client.name,
    date_of_birth: client.date_of_birth ?? '',
    phone: client.phone ?? '',
    email: client.email ?? '',
    fitzpatrick: client.fitzpatrick === null ? '' : String(client.fitzpatrick),
    notes: client.notes,
  };
}

function optional(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * The record to send: surrounding spaces trimmed, blank optional fields as
 * null. Notes keep their text as typed (line breaks matter there).
 */
export function clientInput(form: ClientForm): ClientInput {
  const fitzpatrick = optional(form.fitzpatrick);
  return {
    name: form.name.trim(),
    date_of_birth: optional(form.date_of_birth),
    phone: optional(form.phone),
    email: optional(form.email),
    // A non-numeric value stays NaN so validation reports it instead of dropping it.
    fitzpatrick: fitzpatrick === null ? null : Number(fitzpatrick),
    notes: form.notes,
  };
}
