// The live care-warning check of the session form: the draft is sent once
// typing pauses (300 ms), an unchanged draft is not sent again, and only the
// answer to the newest draft is ever shown.
import type { Timers } from '../clients/search';

export type PreviewHandlers<D, R> = {
  /** A check is waiting or in flight (true), or has settled (false). */
  onBusy?: (busy: boolean) => void;
  onResult: (result: R, draft: D) => void;
  onError: (error: unknown, draft: D) => void;
  /** There is nothing to check (the draft is incomplete). */
  onClear?: () => void;
};

export type LivePreview<D> = {
  /** Checks `draft` after the pause; null means there is nothing to check yet. */
  update(draft: D | null): void;
  /** Checks the latest draft at once, even if it was checked before (after a refused save). */
  refresh(): void;
  dispose(): void;
};

const globalTimers: Timers = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function livePreview<D, R>(
  check: (draft: D) => Promise<R>,
  handlers: PreviewHandlers<D, R>,
  delayMs = 300,
  timers: Timers = globalTimers,
): LivePreview<D> {
  /** Bumped for every draft asked for; an answer counts only if its ticket is still the newest. */
  let newest = 0;
  let waiting: unknown = null;
  let disposed = false;
  /** The draft last asked for, and its JSON (to skip unchanged drafts). */
  let latest: D | null = null;
  let latestKey: string | null = null;

  const cancelWaiting = () => {
    if (waiting !== null) timers.clearTimeout(waiting);
    waiting = null;
  };

  const send = async (draft: D, ticket: number) => {
    waiting = null;
    try {
      const result = await check(draft);
      if (disposed || ticket !== newest) return;
      handlers.onResult(result, draft);
    } catch (error) {
      if (disposed || ticket !== newest) return;
      handlers.onError(error, draft);
    }
    handlers.onBusy?.(false);
  };

  const schedule = (draft: D, immediate: boolean) => {
    cancelWaiting();
    const ticket = ++newest;
    handlers.onBusy?.(true);
    if (immediate) void send(draft, ticket);
    else waiting = timers.setTimeout(() => void send(draft, ticket), delayMs);
  };

  return {
    update(draft) {
      if (disposed) return;
      const key = draft === null ? null : JSON.stringify(draft);
      if (key === latestKey) return;
      latest = draft;
      latestKey = key;
      if (draft === null) {
        cancelWaiting();
        // Answers still in flight are for an older draft: make them stale.
        newest += 1;
        handlers.onBusy?.(false);
        handlers.onClear?.();
        return;
      }
      schedule(draft, false);
    },
    refresh() {
      if (disposed || latest === null) return;
      schedule(latest, true);
    },
    dispose() {
      disposed = true;
      cancelWaiting();
    },
  };
}
