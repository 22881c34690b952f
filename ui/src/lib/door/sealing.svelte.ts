// Sealing the data folder, as the door shows it: the core encrypts the
// folder inside the first start's setup and inside the owner's first
// sign-in to a folder still in the clear, reporting each file it seals.
// The door listens while either is in flight and shows how far it has got.
import { onSealingProgress } from '../api/accounts';
import type { SealingProgress } from '../api/accounts';

/** "Encrypting this clinic's data… 12 of 240 files". */
export function sealingText(progress: SealingProgress): string {
  const total = Math.max(0, progress.total);
  const done = Math.min(Math.max(0, progress.done), total);
  return `Encrypting this clinic's data… ${done} of ${total} ${total === 1 ? 'file' : 'files'}`;
}

/** The share sealed, 0 to 1 (0 while the total is not known). */
export function sealingFraction(progress: SealingProgress): number {
  if (progress.total <= 0) return 0;
  return Math.min(1, Math.max(0, progress.done / progress.total));
}

export type SealingHooks = {
  /** Starts listening to the reports; resolves to what stops listening. */
  listen: (report: (progress: SealingProgress) => void) => Promise<() => void>;
};

/**
 * The sealing reports of one request: `progress` is null until the core
 * reports (most sign-ins seal nothing) and again once the request ends.
 */
export class Sealing {
  progress: SealingProgress | null = $state(null);
  readonly #hooks: SealingHooks;

  constructor(hooks: SealingHooks = { listen: onSealingProgress }) {
    this.#hooks = hooks;
  }

  /** Runs `request` (setup, sign-in), listening from before it starts; its result or error passes through. */
  async during<T>(request: () => Promise<T>): Promise<T> {
    this.progress = null;
    let stop: (() => void) | null = null;
    try {
      stop = await this.#hooks.listen((progress) => (this.progress = progress));
    } catch {
      // No reports: the request still runs, without a bar.
    }
    try {
      return await request();
    } finally {
      stop?.();
      this.progress = null;
    }
  }
}
