import { describe, expect, it } from 'vitest';
import { changeTo, concernsClientList, concernsClientPage, concernsSessionPage } from './concerns';
import type { RecordChange } from './concerns';

const change = (entity: string, id: string, by: string | null = 'Maya Lewis'): RecordChange => ({ entity, id, by });

describe('which screens a batch concerns', () => {
  it('finds the change to one record, with who made it', () => {
    const batch = [change('session', 's1'), change('client', 'c1', 'Sofia Lindqvist')];
    expect(changeTo(batch, 'client', 'c1')).toEqual(change('client', 'c1', 'Sofia Lindqvist'));
    expect(changeTo(batch, 'client', 'c2')).toBeNull();
    expect(changeTo(batch, 'session', 'c1'), 'the kind of record counts, not only the id').toBeNull();
  });

  it('reloads the client list for a change to any client, and only then', () => {
    expect(concernsClientList([change('client', 'c9')])).toBe(true);
    expect(concernsClientList([change('session', 's1'), change('photo', 'p1')])).toBe(false);
  });

  it('reloads a client page for its own client and for any part of a client record', () => {
    for (const [batch, expected, why] of [
      [[change('client', 'c1')], true, 'the client edited'],
      [[change('client', 'c2')], false, 'another client'],
      [[change('session', 's1')], true, 'a session (whose client is not named)'],
      [[change('photo', 'p1')], true, 'a photo'],
      [[change('consent', 'k1')], true, 'a consent'],
      [[change('adverse_event', 'a1')], true, 'an adverse event'],
      [[change('account', 'u1'), change('product', 'pr1'), change('settings', 'clinic')], false, 'the clinic catalogue and accounts'],
    ] as const) {
      expect(concernsClientPage(batch, 'c1'), why).toBe(expected);
    }
  });

  it('reloads a session page for its own session and for photos', () => {
    expect(concernsSessionPage([change('session', 's1')], 's1')).toBe(true);
    expect(concernsSessionPage([change('session', 's2')], 's1')).toBe(false);
    expect(concernsSessionPage([change('photo', 'p1')], 's1'), 'it may be one of its photos').toBe(true);
    expect(concernsSessionPage([change('client', 'c1')], 's1')).toBe(false);
  });
});
