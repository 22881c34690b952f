// The client form as the screen holds it (text in every text field, a list of
// indications) and its conversion to and from the record the Rust side stores.
import type { Client, ClientInput, Indication } from '../api/clients';
import { orderIndications } from './indications';

export const CLIENT_FIELDS = [
  'name',
  'date_of_birth',
  'phone',
  'email',
  'fitzpatrick',
  'glogau',
  'indications',
  'alerts',
  'notes',
] as const;

/** A field of the client form; the names match ClientInput (and the server's `field`). */
export type ClientField = (typeof CLIENT_FIELDS)[number];

/** What the inputs hold: text ('' for "not recorded"), and the indications ticked. */
export type ClientForm = Record<Exclude<ClientField, 'indications'>, string> & { indications: Indication[] };

export function isClientField(value: unknown): value is ClientField {
  return typeof value === 'string' && (CLIENT_FIELDS as readonly string[]).includes(value);
}

export function emptyClientForm(): ClientForm {
  return {
    name: '',
    date_of_birth: '',
    phone: '',
    email: '',
    fitzpatrick: '',
    glogau: '',
    indications: [],
    alerts: '',
    notes: '',
  };
}

export function clientForm(client: Client): ClientForm {
  return {
    name: client.name,
    date_of_birth: client.date_of_birth ?? '',
    phone: client.phone ?? '',
    email: client.email ?? '',
    fitzpatrick: client.fitzpatrick === null ? '' : String(client.fitzpatrick),
    glogau: client.glogau === null ? '' : String(client.glogau),
    indications: orderIndications(client.indications),
    alerts: client.alerts,
    notes: client.notes,
  };
}

function optional(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/** A choice of type (Fitzpatrick, Glogau) as a number; a non-numeric value stays NaN so validation reports it. */
function typeNumber(text: string): number | null {
  const value = optional(text);
  return value === null ? null : Number(value);
}

/**
 * The record to send: surrounding spaces trimmed, blank optional fields as
 * null. Notes keep their text as typed (line breaks matter there).
 */
export function clientInput(form: ClientForm): ClientInput {
  return {
    name: form.name.trim(),
    date_of_birth: optional(form.date_of_birth),
    phone: optional(form.phone),
    email: optional(form.email),
    fitzpatrick: typeNumber(form.fitzpatrick),
    glogau: typeNumber(form.glogau),
    indications: orderIndications(form.indications),
    alerts: form.alerts.trim(),
    notes: form.notes,
  };
}
