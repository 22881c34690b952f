// The client record over IPC: typed functions that return values or throw ApiError.
import { commands } from './bindings';
import type { Client, ClientId, ClientInput, Indication } from './bindings';
import { call } from './errors';

export type { Client, ClientId, ClientInput, Indication };

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
