import { describe, expect, it } from 'vitest';
import type { Practitioner } from '../api/clinic';
import { choosePractitioner, rememberPractitioner, rememberedPractitioner } from './practitioner';

function person(id: string, archived = false): Practitioner {
  return { id, name: id, credentials: '', prescriber: false, archived, created_at: '2026-01-01T00:00:00Z' };
}

function memoryStore() {
  const values = new Map<string, string>();
  return { getItem: (k: string) => values.get(k) ?? null, setItem: (k: string, v: string) => void values.set(k, v) };
}

describe('choosing the practitioner of a new session', () => {
  it('takes the one used last, while still active', () => {
    expect(choosePractitioner('b', [person('a'), person('b')])).toBe('b');
    expect(choosePractitioner('b', [person('a'), person('b', true), person('c')])).toBe('');
    expect(choosePractitioner('b', [person('a'), person('b', true)])).toBe('a');
  });

  it('takes the only practitioner, and asks when there is a choice', () => {
    expect(choosePractitioner(null, [person('a')])).toBe('a');
    expect(choosePractitioner('gone', [person('a')])).toBe('a');
    expect(choosePractitioner(null, [person('a'), person('b')])).toBe('');
    expect(choosePractitioner(null, [])).toBe('');
  });

  it('remembers the last one between runs', () => {
    const store = memoryStore();
    expect(rememberedPractitioner(store)).toBeNull();
    rememberPractitioner('b', store);
    expect(rememberedPractitioner(store)).toBe('b');
    expect(rememberedPractitioner(null)).toBeNull();
  });
});
