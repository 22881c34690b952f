import { describe, expect, it } from 'vitest';
import { courseLabel, latestSession, nextSessionLabel, openPlan, planProgress, sessionBadges, zonesSummary } from './course';
import { PLAN, SESSION } from './fixtures';

describe('n of N', () => {
  it('places a session in its course', () => {
    expect(courseLabel(3, 6)).toBe('3 of 6');
    expect(courseLabel(3, null)).toBe('3');
    expect(courseLabel(null, 6)).toBeNull();
  });

  it('numbers the next session of a plan, and says when the course is over', () => {
    expect(nextSessionLabel(PLAN)).toBe('Session 3 of 6');
    expect(nextSessionLabel({ sessions_done: 6, sessions_planned: 6 })).toBe('Session 7, beyond the planned 6');
    expect(planProgress(PLAN)).toBe('2 of 6 done');
  });

  it('follows the open plan, not a closed one', () => {
    const closed = { ...PLAN, id: 'old', closed: true };
    expect(openPlan([PLAN, closed])?.id).toBe('plan-1');
    expect(openPlan([closed])).toBeNull();
    expect(openPlan([])).toBeNull();
  });
});

describe('session rows', () => {
  it('sums up the zones with their depths', () => {
    expect(zonesSummary(SESSION.zones)).toBe('Cheeks 1 mm · Chin 0.75 mm');
    expect(zonesSummary([])).toBe('');
  });

  it('shows signed, amended and the warning count', () => {
    expect(sessionBadges(SESSION)).toEqual({ signed: false, amended: false, warnings: 1 });
    const amended = {
      ...SESSION,
      signed_at: '2026-05-05T11:00:00Z',
      warnings: [],
      amendments: [{ id: 'a', at: '2026-05-06T09:00:00Z', reason: 'typo', changes: ['pain: 6 → 5'], by: null }],
    };
    expect(sessionBadges(amended)).toEqual({ signed: true, amended: true, warnings: 0 });
  });

  it('finds the latest session of a client (oldest first)', () => {
    const later = { ...SESSION, id: 'later' };
    expect(latestSession([SESSION, later])?.id).toBe('later');
    expect(latestSession([])).toBeNull();
  });
});
