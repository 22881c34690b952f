// A form filled from a stored record that someone else may change while it
// is open (on another computer of the clinic, or in another window). The
// record's `updated_at` as the form was filled goes with the save, and the
// core refuses to save over a newer record (an ApiError of kind
// `conflict`); "Reload" reads the record again and fills the form afresh,
// so the person sees the other change and makes theirs again. A change
// heard from another desktop refills a form nobody has typed in, and only
// shows a notice on one the person is typing in.
import { toApiError } from '../api/errors';
import type { ApiError } from '../api/errors';

/** A record that says when it last changed. */
export type Stamped = { updated_at: string };

export class FilledForm<R extends Stamped> {
  /** The record's `updated_at` when the form was filled: sent with the save. */
  seen: string | null = $state(null);
  /** The record changed on another computer while the person was typing: who changed it (null when not known). */
  changedElsewhere: { by: string | null } | null = $state(null);
  reloading = $state(false);
  /** Why the last reload failed, if it did. */
  reloadFailure: ApiError | null = $state(null);
  readonly #read: () => Promise<R>;
  readonly #fill: (record: R) => void;

  /** `read` fetches the record as it is stored now; `fill` puts it in the form, replacing what was typed. */
  constructor(read: () => Promise<R>, fill: (record: R) => void) {
    this.#read = read;
    this.#fill = fill;
  }

  /** The form now holds `record` (as first loaded, or as read again). */
  filled(record: R) {
    this.seen = record.updated_at;
    this.changedElsewhere = null;
    this.reloadFailure = null;
  }

  /** Reads the record again and fills the form with it. Returns whether it did. */
  async reload(): Promise<boolean> {
    if (this.reloading) return false;
    this.reloading = true;
    try {
      const record = await this.#read();
      this.#fill(record);
      this.filled(record);
      return true;
    } catch (error) {
      this.reloadFailure = toApiError(error);
      return false;
    } finally {
      this.reloading = false;
    }
  }

  /**
   * Another desktop changed the record (`by`: who, when known). A form
   * nobody has typed in is filled afresh at once; one being typed in keeps
   * what was typed, and the notice says the record changed.
   */
  heard(by: string | null, typing: boolean): Promise<boolean> {
    if (!typing) return this.reload();
    this.changedElsewhere = { by };
    return Promise.resolve(false);
  }
}

/** The notice on a form whose record changed on another computer while the person typed. */
export function changedNotice(by: string | null): string {
  return `Changed by ${by?.trim() || 'someone'} on another computer — reload to see it`;
}
