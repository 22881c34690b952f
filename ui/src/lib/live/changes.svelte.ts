// The app's one ear on the clinic's other desktops (clinic mode): the batches
// of records they change, as the window hears them. `count` and `last` are
// reactive (how many batches so far, and the latest); screens that show
// records `listen` and read them again when a batch concerns them
// (concerns.ts). The app starts `follow` once, at its top.
import { onRecordsChanged } from '../api/live';
import type { RecordChange } from '../api/live';

export type Listener = (batch: readonly RecordChange[]) => void;

export class LiveChanges {
  /** How many batches have arrived since the app started. */
  count = $state(0);
  /** The latest batch (empty until one arrives). */
  last: readonly RecordChange[] = $state([]);
  /** Who hears each batch (not reactive: screens come and go with it). */
  #listeners: Listener[] = [];

  /** A batch arrived: it becomes `last`, and every listener hears it. An empty batch changes nothing. */
  receive(batch: readonly RecordChange[]) {
    if (batch.length === 0) return;
    this.last = batch;
    this.count += 1;
    for (const listener of this.#listeners) {
      try {
        listener(batch);
      } catch {
        // One screen's failure to reload must not keep the others from hearing.
      }
    }
  }

  /** Calls `listener` with each batch from now on; returns a function that stops it (for `onMount`). */
  listen(listener: Listener): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((other) => other !== listener);
    };
  }
}

/** The app's live changes. */
export const liveChanges = new LiveChanges();

/** Starts hearing the window's `records-changed` events into `liveChanges`; resolves to a function that stops. */
export function follow(): Promise<() => void> {
  return onRecordsChanged((batch) => liveChanges.receive(batch));
}
