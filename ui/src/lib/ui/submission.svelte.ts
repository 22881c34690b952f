// Submitting a form: the local check, then the save, with what the Rust side
// refuses shown where it belongs. A refusal that names a field (an
// `invalid` ApiError with `field`) appears beside that field; anything else
// becomes the form's one failure line. Every form that saves uses this.
import { tick } from 'svelte';
import { isFieldError, toApiError } from '../api/errors';
import type { ApiError } from '../api/errors';

/** Messages keyed by the form's field names. */
export type FieldErrors = Record<string, string>;

/** Where the form shows a field the Rust side names (`null`: it shows none, so the message is the form's failure). */
export type FieldFor = (field: string) => string | null;

/** Where a refused save's message goes: beside a field of the form, or in its failure line. */
export function placeRefusal(error: unknown, fieldFor: FieldFor = (field) => field): { field: string; message: string } | { failure: ApiError } {
  const problem = toApiError(error);
  const field = isFieldError(problem) ? fieldFor(problem.field) : null;
  return field === null ? { failure: problem } : { field, message: problem.message };
}

/** Whether any field has a message (an empty string is no message). */
export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some((message) => message !== '');
}

/** Focuses the first control marked invalid inside `within`, once the page shows the errors. */
export async function focusInvalid(within: HTMLElement | undefined, selector = '[aria-invalid="true"]'): Promise<void> {
  await tick();
  within?.querySelector<HTMLElement>(selector)?.focus();
}

/**
 * The state of one form's submission: its field errors, its failure and
 * whether it is saving. `check` shows the local errors; `run` saves.
 */
export class Submission {
  errors: FieldErrors = $state({});
  failure: ApiError | null = $state(null);
  saving = $state(false);
  readonly #fieldFor: FieldFor;

  constructor(fieldFor: FieldFor = (field) => field) {
    this.#fieldFor = fieldFor;
  }

  /**
   * Shows the errors the form found itself and clears the last failure;
   * with errors, focuses the first invalid control inside `within`.
   * Returns whether the form may be saved.
   */
  check(errors: FieldErrors, within?: HTMLElement, selector?: string): boolean {
    this.errors = errors;
    this.failure = null;
    if (!hasErrors(errors)) return true;
    void focusInvalid(within, selector);
    return false;
  }

  /**
   * Runs `save` unless a save is under way. A refusal naming a field shows
   * beside it (and that control takes the focus, when `within` is given);
   * any other error becomes `failure`. Returns whether `save` finished.
   */
  async run(save: () => Promise<void>, within?: HTMLElement): Promise<boolean> {
    if (this.saving) return false;
    this.saving = true;
    this.failure = null;
    try {
      await save();
      return true;
    } catch (error) {
      const placed = placeRefusal(error, this.#fieldFor);
      if ('field' in placed) {
        this.errors = { [placed.field]: placed.message };
        if (within) void focusInvalid(within);
      } else {
        this.failure = placed.failure;
      }
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** Removes the message of one field (it was changed since). */
  clear(field: string) {
    if (field in this.errors) {
      const { [field]: _stale, ...rest } = this.errors;
      this.errors = rest;
    }
  }
}
