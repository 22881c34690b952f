import { describe, expect, it } from 'vitest';
import type { TreatmentSession } from '../api/sessions';
import { SIGNED_SESSION } from '../sessions/fixtures';
import { cosignRow, oldestFirst, waitingSummary } from './queue';

function session(id: string, startedAt: string): TreatmentSession {
  return { ...SIGNED_SESSION, id, started_at: startedAt };
}

describe('the sessions to co-sign', () => {
  it('lists the longest wait first, whatever the order received', () => {
    const check = (given: TreatmentSession[], expected: string[]) => expect(oldestFirst(given).map((s) => s.id)).toEqual(expected);
    const may = session('may', '2026-05-05T09:00:00Z');
    const june = session('june', '2026-06-01T08:00:00Z');
    // 07:30 in Paris is 05:30 UTC: before 06:00 UTC the same day.
    const early = session('early', '2026-05-05T07:30:00+02:00');
    const late = session('late', '2026-05-05T06:00:00Z');
    check([june, may], ['may', 'june']);
    check([may, late, june, early], ['early', 'late', 'may', 'june']);
    check([], []);
  });

  it('shows when, who treated, who signed and the zones', () => {
    expect(cosignRow(SIGNED_SESSION, 'en-GB', 'UTC')).toEqual({
      id: 'session-1',
      date: '5 May 2026',
      practitioner: 'Dr. Amara Okafor',
      signed: 'Signed by Dr. Amara Okafor at 5 May 2026, 11:00',
      zones: 'Cheeks 1 mm · Chin 0.75 mm',
    });
  });

  it('still says when a session signed before accounts was signed', () => {
    const before = { ...SIGNED_SESSION, signature: null, zones: [] };
    expect(cosignRow(before, 'en-GB', 'UTC')).toMatchObject({ signed: 'Signed 5 May 2026, 11:00', zones: 'No zones recorded' });
  });

  it('counts what waits', () => {
    expect(waitingSummary(0)).toBe('No session waits for a co-signature.');
    expect(waitingSummary(1)).toBe('1 session waits for a co-signature.');
    expect(waitingSummary(4)).toBe('4 sessions wait for a co-signature.');
  });
});
