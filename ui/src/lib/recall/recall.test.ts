import { describe, expect, it } from 'vitest';
import type { RecallHit } from '../api/clinic';
import { recallSummary } from './recall';

function hit(client: string, session: string): RecallHit {
  return {
    client_id: client,
    client_name: client,
    phone: null,
    email: null,
    session_id: session,
    session_date: '2026-05-05',
    product: 'Nano',
    kind: 'cartridge',
    lot_number: 'C1',
    used_as: 'cartridge',
  };
}

describe('recallSummary', () => {
  it('counts sessions and clients once each', () => {
    expect(recallSummary([])).toBe('No session used this lot');
    expect(recallSummary([hit('a', 's1')])).toBe('1 session · 1 client');
    expect(recallSummary([hit('a', 's1'), hit('a', 's1'), hit('a', 's2'), hit('b', 's3')])).toBe('3 sessions · 2 clients');
  });
});
