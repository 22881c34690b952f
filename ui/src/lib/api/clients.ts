// The client record over IPC: typed functions that return values or throw ApiError.
import { CLIENT_LIMITS, commands } from './bindings';
import type { Client, ClientId, ClientInput, FieldError, Indication } from './bindings';
import { call } from './errors';

export type { Client, ClientId, ClientInput, FieldError, Indication };

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

export function updateClient(id: ClientId, input: ClientInput): Promise<Client> {
  return call(() => commands.updateClient(id, input));
}

export function setClientArchived(id: ClientId, archived: boolean): Promise<Client> {
  return call(() => commands.setClientArchived(id, archived));
}
