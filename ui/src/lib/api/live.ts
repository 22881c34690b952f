// What the clinic's other desktops change, as the window hears it (clinic
// mode only): each batch names the records changed, never their contents.
import { events } from './bindings';
import type { RecordChange } from './bindings';

export type { RecordChange };

/** Calls `handler` with each batch of records other desktops changed; resolves to a function that stops listening. */
export function onRecordsChanged(handler: (changes: RecordChange[]) => void): Promise<() => void> {
  return events.recordsChanged.listen((event) => handler(event.payload.changes));
}
