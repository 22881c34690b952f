import { describe, expect, it } from 'vitest';
import { ApiError, call, isFieldError, toApiError, unwrap } from './errors';

describe('unwrap', () => {
  it('gives the value of an ok result', () => {
    expect(unwrap({ status: 'ok', data: 42 })).toBe(42);
  });

  it('throws the error of an error result as an ApiError with its kind and field', () => {
    const result = { status: 'error', error: { kind: 'invalid', message: 'name is required', field: 'name' } } as const;
    let thrown: unknown;
    try {
      unwrap(result);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ kind: 'invalid', field: 'name', message: 'name is required' });
    expect(isFieldError(thrown), 'an invalid error naming a field is a field error').toBe(true);
  });
});

describe('toApiError', () => {
  it('keeps kind and field of a well-formed error', () => {
    const error = toApiError({ kind: 'not_found', message: 'no client 42', field: null });
    expect(error).toMatchObject({ kind: 'not_found', field: null, message: 'no client 42' });
    expect(isFieldError(error), 'an error without a field is not a field error').toBe(false);
  });

  it('keeps a cancelled backup or import as kind cancelled, not as a failure', () => {
    const error = toApiError({ kind: 'cancelled', message: 'the backup cancelled; nothing was changed', field: null });
    expect(error.kind, 'a cancel is told apart from a failure by its kind').toBe('cancelled');
  });

  it('treats a missing field as no field', () => {
    expect(toApiError({ kind: 'conflict', message: 'changed elsewhere' }).field).toBeNull();
  });

  it('makes a bare string from Tauri an internal error carrying that text', () => {
    const error = toApiError('command list_clients not found');
    expect(error).toMatchObject({ kind: 'internal', message: 'command list_clients not found' });
  });

  it('makes an unknown kind or shape an internal error', () => {
    expect(toApiError({ kind: 'exploded', message: 'x', field: null }).kind).toBe('internal');
    expect(toApiError(undefined).kind).toBe('internal');
    expect(toApiError(new TypeError('ipc is not available')).message).toBe('ipc is not available');
  });

  it('returns an ApiError unchanged', () => {
    const original = new ApiError('locked', 'session is signed');
    expect(toApiError(original)).toBe(original);
  });
});

describe('call', () => {
  it('returns the value of a successful command', async () => {
    await expect(call(async () => ({ status: 'ok', data: 'v1' }) as const)).resolves.toBe('v1');
  });

  it('turns an exception thrown below the command into an internal ApiError', async () => {
    const failing = async (): Promise<never> => {
      throw new TypeError("window.__TAURI_INTERNALS__ is undefined");
    };
    await expect(call(failing)).rejects.toMatchObject({ name: 'ApiError', kind: 'internal' });
  });
});
