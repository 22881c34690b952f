// The client record over IPC: typed functions that return values or throw
// ApiError. Also how long a record is kept, and erasing it.
import { CLIENT_LIMITS, commands } from './bindings';
import type { Client, ClientId, ClientInput, Erased, ErasureReason, FieldError, Indication, Retention } from './bindings';
import { call } from './errors';

export type { Client, ClientId, ClientInput, Erased, ErasureReason, FieldError, Indication, Retention };

/** The limits of a client's record, as the core checks them (generated from Rust). */
export { CLIENT_LIMITS };

/** Every problem with a client as typed so far, field by field, in the core's words; empty when it can be saved. */
export function checkClient(input: ClientInput): Promise<FieldError[]> {
  return call(() => commands.checkClient(input));
}

/** Clients matching `search` (name, phone, email or date of birth); all clients when it is blank. */
export function listClients(search: string, includeArchived: boolean): Promise<Client[]> {
  const query = search.trim();
  return call(() => commands.listClients(query === '' ? null : query, includeArchived));
}

export function getClient(id: ClientId): Promise<Client> {
  return call(() => commands.getClient(id));
}

export function createClient(input: ClientInput): Promise<Client> {
  return call(() => commands.createClient(input));
}

/**
 * Saves an edit of the client's record. `seen` is the record's `updated_at`
 * when the form was filled: when someone has changed the record since (on
 * another computer or window), nothing is saved and the core refuses with
 * kind `conflict`, naming who changed it and when.
 */
export function updateClient(id: ClientId, input: ClientInput, seen: string | null): Promise<Client> {
  return call(() => commands.updateClient(id, input, seen));
}

export function setClientArchived(id: ClientId, archived: boolean): Promise<Client> {
  return call(() => commands.setClientArchived(id, archived));
}

/** How long the client's record is kept: their last visit and the first day it may be erased for retention. */
export function clientRetention(clientId: ClientId): Promise<Retention> {
  return call(() => commands.clientRetention(clientId));
}

/** The records whose retention has passed, oldest last visit first (the owner's list). */
export function pastRetention(): Promise<Retention[]> {
  return call(() => commands.pastRetention());
}

/**
 * Erases the client's whole record for good (the owner only). The core
 * refuses `confirmName` unless it is the client's name as recorded
 * (ignoring case and surrounding spaces), as `invalid` on `confirm_name`;
 * and `retention_passed` while the record is still kept, as `conflict`.
 */
export function eraseClient(clientId: ClientId, reason: ErasureReason, confirmName: string): Promise<Erased> {
  return call(() => commands.eraseClient(clientId, reason, confirmName));
}
