// The client form's checks come from the core: what this module adds is
// turning the core's answer into errors by field, and never letting an old
// answer overwrite a newer one. (The rules themselves are tested in Rust,
// `the_form_checks_each_field_with_the_words_a_save_uses`.)
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientInput } from '../api/clients';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const { CLIENT_LIMITS, LiveCheck, toFieldErrors } = await import('./validate');

const INPUT: ClientInput = {
  name: 'Ana Souza',
  date_of_birth: null,
  phone: null,
  email: null,
  fitzpatrick: null,
  glogau: null,
  indications: [],
  alerts: '',
  notes: '',
};

beforeEach(() => invoke.mockReset());

describe('toFieldErrors', () => {
  it('keys the core’s problems by field, the first of a field winning', () => {
    const errors = toFieldErrors([
      { field: 'name', message: "the client's name is empty" },
      { field: 'email', message: 'email address "x" should look like name@example.com' },
      { field: 'name', message: 'a second problem with the name' },
    ]);
    expect(errors).toEqual({
      name: "the client's name is empty",
      email: 'email address "x" should look like name@example.com',
    });
  });

  it('leaves out a field the form does not have', () => {
    expect(toFieldErrors([{ field: 'warnings', message: 'not a client field' }])).toEqual({});
  });
});

describe('LiveCheck', () => {
  it('asks the core with the form as typed', async () => {
    invoke.mockResolvedValueOnce([{ field: 'phone', message: 'phone number "12" should have 5 to 20 digits' }]);
    const errors = await new LiveCheck().run({ ...INPUT, phone: '12' });
    expect(invoke).toHaveBeenCalledWith('check_client', { input: { ...INPUT, phone: '12' } });
    expect(errors).toEqual({ phone: 'phone number "12" should have 5 to 20 digits' });
  });

  it('drops an answer that arrives after a newer question was asked', async () => {
    let answerFirst: (value: unknown) => void = () => {};
    invoke
      .mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve)))
      .mockResolvedValueOnce([]);
    const check = new LiveCheck();
    const first = check.run({ ...INPUT, name: '' });
    const second = await check.run(INPUT);
    answerFirst([{ field: 'name', message: "the client's name is empty" }]);
    expect(second, 'the newest answer counts').toEqual({});
    expect(await first, 'the stale answer is dropped').toBeNull();
  });
});

describe('CLIENT_LIMITS', () => {
  it('are the core’s, generated into the bindings', () => {
    expect(CLIENT_LIMITS.notes_max_chars).toBe(10_000);
    expect(CLIENT_LIMITS.name_max_chars).toBe(200);
  });
});
