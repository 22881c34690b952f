// Which screens a batch of changes from other desktops concerns. A change
// names only the kind of record and its id; the part of a client's record
// it belongs to (a session, a photo, a consent, …) would take a read to
// know, so the open client page reads its record again on any change to a
// part of any client's record: a cheap read, and nothing is missed.
import type { RecordChange } from '../api/live';

export type { RecordChange };

/** The kinds of record that are part of one client's record (as the audit log names them). */
export const CLIENT_RECORD_PARTS: ReadonlySet<string> = new Set([
  'session',
  'photo',
  'consent',
  'screening',
  'treatment_plan',
  'outcome_score',
  'follow_up',
  'adverse_event',
]);

/** The change to the record `entity` `id` in `batch`, if there is one. */
export function changeTo(batch: readonly RecordChange[], entity: string, id: string): RecordChange | null {
  return batch.find((change) => change.entity === entity && change.id === id) ?? null;
}

/** Whether the client list shows something `batch` changed: any client added, edited, archived or erased. */
export function concernsClientList(batch: readonly RecordChange[]): boolean {
  return batch.some((change) => change.entity === 'client');
}

/** Whether the page of client `clientId` shows something `batch` changed: the client, or a part of a client's record. */
export function concernsClientPage(batch: readonly RecordChange[], clientId: string): boolean {
  return batch.some((change) => (change.entity === 'client' ? change.id === clientId : CLIENT_RECORD_PARTS.has(change.entity)));
}

/** Whether the page of session `sessionId` shows something `batch` changed: the session itself, or a photo (it may be one of its photos). */
export function concernsSessionPage(batch: readonly RecordChange[], sessionId: string): boolean {
  return batch.some((change) => (change.entity === 'session' && change.id === sessionId) || change.entity === 'photo');
}
