import { describe, expect, it } from 'vitest';
import type { ErasureReason } from '../api/clients';
import { erasedNotice, initialReason, keptUntilText, mayErase, namesMatch, reasonChoices, retentionPassed, retentionYears } from './retention';

const TODAY = '2026-05-14';
/** Seen last in 2025, kept ten years: not erasable for retention today. */
const KEPT = { last_visit: '2025-03-12', kept_until: '2035-03-12' };
/** Seen last in 2015, kept ten years: erasable for retention since 2025. */
const PAST = { last_visit: '2015-03-12', kept_until: '2025-03-12' };

describe('the name typed to confirm', () => {
  function check(typed: string, name: string, expected: boolean) {
    expect(namesMatch(typed, name), `"${typed}" against "${name}"`).toBe(expected);
  }

  it('matches the recorded name ignoring case and surrounding spaces, as the core does', () => {
    check('Amara Okafor', 'Amara Okafor', true);
    check('  amara OKAFOR ', 'Amara Okafor', true);
    check('Émile Zola', 'émile zola', true);
    check('Amara  Okafor', 'Amara Okafor', false);
    check('Amara', 'Amara Okafor', false);
    check('Amara Okafor.', 'Amara Okafor', false);
    check('', 'Amara Okafor', false);
    check('   ', '   ', false);
  });
});

describe('whether the retention has passed', () => {
  function check(keptUntil: string, today: string, expected: boolean) {
    expect(retentionPassed(keptUntil, today), `kept until ${keptUntil}, today ${today}`).toBe(expected);
  }

  it('passes on the kept-until day itself, the first day the record may be erased', () => {
    check('2026-05-14', TODAY, true);
    check('2026-05-13', TODAY, true);
    check('2026-05-15', TODAY, false);
    check('2035-03-12', TODAY, false);
  });

  it('never passes on a date it cannot read', () => {
    check('2026-02-30', TODAY, false);
    check('', TODAY, false);
    check('2020-01-01', 'today', false);
  });
});

describe('the kept-until sentence', () => {
  function check(dates: { last_visit: string; kept_until: string }, expected: string) {
    expect(keptUntilText(dates, 'en-GB')).toBe(expected);
  }

  it('names the end of the retention, the years and the last visit', () => {
    check(KEPT, 'Kept until 12 Mar 2035 (10 years after the last visit on 12 Mar 2025)');
    check({ last_visit: '2025-03-12', kept_until: '2026-03-12' }, 'Kept until 12 Mar 2026 (1 year after the last visit on 12 Mar 2025)');
  });

  it('counts a last visit on 29 February whole years to the 28th', () => {
    expect(retentionYears({ last_visit: '2024-02-29', kept_until: '2034-02-28' })).toBe(10);
  });

  it('leaves the years out when the dates cannot be read', () => {
    check({ last_visit: 'soon', kept_until: '2035-03-12' }, 'Kept until 12 Mar 2035 (after the last visit on soon)');
  });
});

describe('the reasons to erase', () => {
  it('offers the retention only once it has passed; the request always', () => {
    const offered = (dates: typeof KEPT) => reasonChoices(dates, TODAY, 'en-GB').map((c) => [c.value, c.enabled, c.hint]);
    expect(offered(KEPT)).toEqual([
      ['retention_passed', false, 'Not before 12 Mar 2035, when its retention ends.'],
      ['client_request', true, 'Only where the law allows erasing a medical record before its retention ends.'],
    ]);
    expect(offered(PAST)[0]).toEqual(['retention_passed', true, 'The record was kept until 12 Mar 2025.']);
  });

  it('starts on the retention when it has passed, and on no reason before', () => {
    expect(initialReason(PAST, TODAY)).toBe('retention_passed');
    expect(initialReason(KEPT, TODAY)).toBeNull();
  });

  it('gives each reason its test hook', () => {
    expect(reasonChoices(KEPT, TODAY).map((c) => c.testid)).toEqual(['erase-reason-retention', 'erase-reason-request']);
  });
});

describe('whether the erase button may be pressed', () => {
  function check(dates: typeof KEPT, typed: string, reason: ErasureReason | null, expected: boolean, why: string) {
    expect(mayErase(dates, 'Amara Okafor', typed, reason, TODAY), why).toBe(expected);
  }

  it('needs a reason that may be chosen and the name typed', () => {
    check(KEPT, 'amara okafor', 'client_request', true, 'a request may erase a record still kept');
    check(KEPT, 'Amara', 'client_request', false, 'a wrong name never erases');
    check(KEPT, 'Amara Okafor', null, false, 'no reason chosen yet');
    check(KEPT, 'Amara Okafor', 'retention_passed', false, 'the retention has not passed');
    check(PAST, 'Amara Okafor', 'retention_passed', true, 'the retention has passed');
  });
});

describe('the notice after erasing', () => {
  it('counts what was removed', () => {
    expect(erasedNotice({ rows: 42, photos: 6 })).toBe('Record erased: 42 rows and 6 photos removed.');
    expect(erasedNotice({ rows: 1, photos: 1 })).toBe('Record erased: 1 row and 1 photo removed.');
    expect(erasedNotice({ rows: 3, photos: 0 })).toBe('Record erased: 3 rows and 0 photos removed.');
  });
});
