// A long task the Rust side runs with progress reports and a Cancel: a
// photo import, a whole-record export, a backup. While it runs the screen
// shows `progress` and a Cancel button; when it ends, `outcome` says
// whether it finished, was cancelled or failed.
import { toApiError } from '../api/errors';
import type { ApiError } from '../api/errors';

/** How a run ended. */
export type TaskOutcome<R> = { done: R } | { cancelled: true } | { failure: ApiError };

export type LongTaskHooks<P> = {
  /** Starts listening to the task's progress reports; resolves to what stops listening. */
  listen: (report: (progress: P) => void) => Promise<() => void>;
  /** Asks the running task to stop; it then ends as `cancelled`. */
  cancel: () => Promise<unknown>;
};

export class LongTask<P, R> {
  running = $state(false);
  cancelling = $state(false);
  /** The latest report of the run under way, or null before the first. */
  progress: P | null = $state(null);
  outcome: TaskOutcome<R> | null = $state(null);
  readonly #hooks: LongTaskHooks<P>;

  constructor(hooks: LongTaskHooks<P>) {
    this.#hooks = hooks;
  }

  /**
   * Runs `work` with progress reports, unless a run is under way (then
   * null). A failure of kind `cancelled` is the Cancel, not a failure.
   * Without progress reports the task still runs.
   */
  async run(work: () => Promise<R>, start: P | null = null): Promise<TaskOutcome<R> | null> {
    if (this.running) return null;
    this.running = true;
    this.cancelling = false;
    this.progress = start;
    this.outcome = null;
    let stop: (() => void) | null = null;
    try {
      stop = await this.#hooks.listen((progress) => (this.progress = progress));
    } catch {
      // No progress reports: the bar moves only when the work says so.
    }
    let outcome: TaskOutcome<R>;
    try {
      outcome = { done: await work() };
    } catch (error) {
      const failure = toApiError(error);
      outcome = failure.kind === 'cancelled' ? { cancelled: true } : { failure };
    } finally {
      stop?.();
      this.running = false;
    }
    this.outcome = outcome;
    return outcome;
  }

  /** Asks the run under way to stop; if the request fails, Cancel can be pressed again. */
  async cancel(): Promise<void> {
    if (!this.running || this.cancelling) return;
    this.cancelling = true;
    try {
      await this.#hooks.cancel();
    } catch {
      this.cancelling = false;
    }
  }

  /** Forgets the last outcome (the screen starts afresh). */
  reset() {
    if (!this.running) this.outcome = null;
  }
}
