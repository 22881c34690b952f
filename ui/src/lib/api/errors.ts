// Errors that cross the IPC boundary, as one typed class the screens can act on.
// Screens branch on `kind` and `field`, never on `message` (that is for people).
import type { AppError, ErrorKind } from './bindings';

export type { ErrorKind };

/** What a generated command resolves to (declared here, as not every bindings format exports it). */
export type Result<T, E> = { status: 'ok'; data: T } | { status: 'error'; error: E };

const KINDS: readonly ErrorKind[] = [
  'not_found',
  'invalid',
  'conflict',
  'locked',
  'forbidden',
  'incompatible',
  'cancelled',
  'damaged',
  'internal',
];

/** An error reported by the Rust side (or a failure to reach it). */
export class ApiError extends Error {
  readonly kind: ErrorKind;
  /** The input field the error is about (snake_case, as in the Rust struct), if any. */
  readonly field: string | null;

  constructor(kind: ErrorKind, message: string, field: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.field = field;
  }
}

function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}

function isAppError(value: unknown): value is AppError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    isErrorKind(candidate.kind) &&
    typeof candidate.message === 'string' &&
    (candidate.field === null || candidate.field === undefined || typeof candidate.field === 'string')
  );
}

/**
 * Turns anything a command may throw or return as its error into an ApiError:
 * a well-formed AppError keeps its kind and field; a bare string (Tauri's own
 * errors, e.g. an unknown command) or a JavaScript Error becomes `internal`.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isAppError(error)) return new ApiError(error.kind, error.message, error.field ?? null);
  if (error instanceof Error) return new ApiError('internal', error.message);
  if (typeof error === 'string') return new ApiError('internal', error);
  return new ApiError('internal', 'unexpected error from the application core');
}

/** The value of an ok result; throws the error of an error result as ApiError. */
export function unwrap<T>(result: Result<T, AppError>): T {
  if (result.status === 'ok') return result.data;
  throw toApiError(result.error);
}

/**
 * Runs a generated command and returns its value. Every failure (an error
 * result, or an exception thrown by the IPC layer itself) becomes an ApiError.
 */
export async function call<T>(command: () => Promise<Result<T, AppError>>): Promise<T> {
  let result: Result<T, AppError>;
  try {
    result = await command();
  } catch (error) {
    throw toApiError(error);
  }
  return unwrap(result);
}

/** True when the error says which input field was rejected. */
export function isFieldError(error: unknown): error is ApiError & { kind: 'invalid'; field: string } {
  return error instanceof ApiError && error.kind === 'invalid' && error.field !== null;
}
