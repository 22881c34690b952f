// Search-as-you-type for the client list: requests wait until typing pauses,
// and only the answer to the newest request is ever shown, so a slow early
// answer cannot overwrite a fast later one.

export type Outcome<R> = { current: true; value: R } | { current: false };

/**
 * Wraps an async function so each call learns whether it is still the newest
 * call when it settles. A stale call resolves to `{ current: false }` whether
 * it succeeded or failed; the newest call resolves with its value or rejects.
 */
export function latestWins<A extends unknown[], R>(run: (...args: A) => Promise<R>) {
  let newest = 0;
  return async (...args: A): Promise<Outcome<R>> => {
    const ticket = ++newest;
    try {
      const value = await run(...args);
      return ticket === newest ? { current: true, value } : { current: false };
    } catch (error) {
      if (ticket === newest) throw error;
      return { current: false };
    }
  };
}

export type SearchQuery = { text: string; includeArchived: boolean };

export type SearchHandlers<R> = {
  /** A request for `query` is waiting or in flight (true), or has settled (false). */
  onBusy?: (busy: boolean) => void;
  onResults: (results: R, query: SearchQuery) => void;
  onError: (error: unknown, query: SearchQuery) => void;
};

export type Timers = {
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
};

const globalTimers: Timers = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type LiveSearch = {
  /** Asks for `query`; after `delayMs` of quiet, or at once with `{ immediate: true }`. */
  search(query: SearchQuery, options?: { immediate?: boolean }): void;
  /** Drops any waiting request and ignores answers still in flight. */
  dispose(): void;
};

export function liveSearch<R>(
  fetch: (query: SearchQuery) => Promise<R>,
  handlers: SearchHandlers<R>,
  delayMs = 120,
  timers: Timers = globalTimers,
): LiveSearch {
  const request = latestWins(fetch);
  let waiting: unknown = null;
  let disposed = false;

  const cancelWaiting = () => {
    if (waiting !== null) timers.clearTimeout(waiting);
    waiting = null;
  };

  const send = async (query: SearchQuery) => {
    waiting = null;
    let outcome: Outcome<R>;
    try {
      outcome = await request(query);
    } catch (error) {
      if (disposed) return;
      handlers.onError(error, query);
      if (waiting === null) handlers.onBusy?.(false);
      return;
    }
    if (disposed || !outcome.current) return;
    handlers.onResults(outcome.value, query);
    // A newer query may already be waiting for typing to pause.
    if (waiting === null) handlers.onBusy?.(false);
  };

  return {
    search(query, options = {}) {
      if (disposed) return;
      cancelWaiting();
      handlers.onBusy?.(true);
      if (options.immediate) void send(query);
      else waiting = timers.setTimeout(() => void send(query), delayMs);
    },
    dispose() {
      disposed = true;
      cancelWaiting();
    },
  };
}
