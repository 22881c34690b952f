import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  localInstant,
  localOffsetMinutes,
  localWallClock,
  nowWallClock,
  offsetText,
  parseTime,
  withOffset,
} from './wallclock';

describe('parseTime', () => {
  it('reads 24-hour times with optional seconds', () => {
    expect(parseTime('10:30')).toEqual({ hour: 10, minute: 30, second: 0 });
    expect(parseTime('23:59:07')).toEqual({ hour: 23, minute: 59, second: 7 });
    expect(parseTime(' 08:05 ')).toEqual({ hour: 8, minute: 5, second: 0 });
  });

  it('refuses anything else', () => {
    for (const text of ['', '24:00', '9:30', '10:60', '10:30 pm', '10.30']) expect(parseTime(text), text).toBeNull();
  });
});

describe('offsetText', () => {
  it('writes offsets as RFC 3339 does', () => {
    expect(offsetText(60)).toBe('+01:00');
    expect(offsetText(0)).toBe('+00:00');
    expect(offsetText(-330)).toBe('-05:30');
    expect(offsetText(345)).toBe('+05:45');
  });
});

describe('withOffset', () => {
  it('joins date, time and offset', () => {
    expect(withOffset('2026-11-25', '10:30', 60)).toBe('2026-11-25T10:30:00+01:00');
    expect(withOffset('2026-06-01', '09:05:30', -240)).toBe('2026-06-01T09:05:30-04:00');
  });

  it('is null when the date or the time is missing or wrong', () => {
    expect(withOffset('', '10:30', 0)).toBeNull();
    expect(withOffset('2026-02-30', '10:30', 0)).toBeNull();
    expect(withOffset('2026-11-25', '', 0)).toBeNull();
  });
});

describe('in a time zone with summer time (Europe/Paris)', () => {
  beforeAll(() => {
    vi.stubEnv('TZ', 'Europe/Paris');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('uses the offset of that day, not of today', () => {
    expect(localOffsetMinutes('2026-11-25', '10:30')).toBe(60);
    expect(localOffsetMinutes('2026-07-01', '10:30')).toBe(120);
    expect(localInstant('2026-11-25', '10:30')).toBe('2026-11-25T10:30:00+01:00');
    expect(localInstant('2026-07-01', '10:30')).toBe('2026-07-01T10:30:00+02:00');
  });

  it('reads a stored UTC instant back as the local date and time', () => {
    expect(localWallClock('2026-11-25T09:30:00Z')).toEqual({ date: '2026-11-25', time: '10:30' });
    expect(localWallClock('2026-07-01T22:15:00Z')).toEqual({ date: '2026-07-02', time: '00:15' });
    expect(localWallClock('2026-07-01T22:15:09Z')).toEqual({ date: '2026-07-02', time: '00:15:09' });
    expect(localWallClock('not a time')).toBeNull();
  });

  it('round-trips a stored instant through the form to the same moment', () => {
    const stored = '2026-03-29T00:45:12Z';
    const wall = localWallClock(stored)!;
    expect(new Date(localInstant(wall.date, wall.time)!).getTime()).toBe(new Date(stored).getTime());
  });

  it('gives now to the minute', () => {
    expect(nowWallClock(new Date(2026, 10, 25, 10, 30, 45))).toEqual({ date: '2026-11-25', time: '10:30' });
  });
});
