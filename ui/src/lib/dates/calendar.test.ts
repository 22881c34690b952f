import { describe, expect, it } from 'vitest';
import {
  ageOn,
  dateFormat,
  formatDate,
  formatInstant,
  formatInstantDate,
  formatInstantTime,
  localIsoDate,
  parseIsoDate,
} from './calendar';

describe('parseIsoDate', () => {
  const check = (text: string, expected: ReturnType<typeof parseIsoDate>) =>
    expect(parseIsoDate(text), `parseIsoDate(${JSON.stringify(text)})`).toEqual(expected);

  it('reads real calendar dates', () => {
    check('1983-04-12', { year: 1983, month: 4, day: 12 });
    check('2024-02-29', { year: 2024, month: 2, day: 29 });
    check('1900-01-01', { year: 1900, month: 1, day: 1 });
  });

  it('refuses days that do not exist and other shapes', () => {
    check('2023-02-29', null); // not a leap year
    check('1900-02-29', null); // century, not a leap year
    check('2023-04-31', null);
    check('2023-13-01', null);
    check('2023-00-10', null);
    check('2023-1-5', null);
    check('12/04/1983', null);
    check('', null);
    check(' 1983-04-12', null);
  });
});

describe('ageOn', () => {
  const check = (birth: string, on: string, expected: number | null) =>
    expect(ageOn(birth, on), `age of someone born ${birth} on ${on}`).toBe(expected);

  it('counts completed years, turning older on the birthday itself', () => {
    check('1983-04-12', '2025-04-11', 41);
    check('1983-04-12', '2025-04-12', 42);
    check('1983-04-12', '2025-12-31', 42);
    check('2000-01-01', '2000-01-01', 0);
  });

  it('ages someone born on 29 February on 1 March in common years', () => {
    check('2000-02-29', '2023-02-28', 22);
    check('2000-02-29', '2023-03-01', 23);
    check('2000-02-29', '2024-02-29', 24);
  });

  it('has no age for invalid dates or a birth after the day asked about', () => {
    check('2025-05-01', '2025-04-30', null);
    check('not a date', '2025-04-30', null);
  });
});

describe('localIsoDate', () => {
  it('uses the local calendar day, not the UTC one', () => {
    expect(localIsoDate(new Date(2025, 0, 5, 23, 59))).toBe('2025-01-05');
    expect(localIsoDate(new Date(2025, 11, 31, 0, 0))).toBe('2025-12-31');
  });
});

describe('formatting', () => {
  it('shows a calendar date without shifting it by the time zone', () => {
    expect(formatDate('1983-04-12', 'en-GB')).toBe('12 Apr 1983');
    expect(formatDate('2000-01-01', 'en-GB')).toBe('1 Jan 2000');
  });

  it('leaves text that is not a date as it is', () => {
    expect(formatDate('unknown', 'en-GB')).toBe('unknown');
    expect(formatInstant('unknown', 'en-GB')).toBe('unknown');
  });

  it('shows an instant in the requested zone', () => {
    expect(formatInstant('2025-03-03T13:05:00Z', 'en-GB', 'Europe/London')).toBe('3 Mar 2025, 13:05');
    expect(formatInstant('2025-07-03T13:05:00Z', 'en-GB', 'Europe/London')).toBe('3 Jul 2025, 14:05');
  });

  it('gives the local day of an instant, which may differ from the UTC day', () => {
    expect(formatInstantDate('2025-03-03T23:30:00Z', 'en-GB', 'Europe/London')).toBe('3 Mar 2025');
    expect(formatInstantDate('2025-03-03T23:30:00Z', 'en-GB', 'Asia/Tokyo')).toBe('4 Mar 2025');
  });
});

describe('formatInstantTime', () => {
  it('gives the local time of an instant', () => {
    expect(formatInstantTime('2026-11-25T09:30:00Z', 'en-GB', 'Europe/Paris')).toBe('10:30');
    expect(formatInstantTime('nonsense', 'en-GB')).toBe('nonsense');
  });
});

describe('date formats are made once', () => {
  it('gives the same formatter for the same locale and options, another for others', () => {
    const a = dateFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
    expect(dateFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' })).toBe(a);
    expect(dateFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' })).not.toBe(a);
    expect(formatDate('2026-03-12', 'en-GB')).toBe('12 Mar 2026');
  });
});
