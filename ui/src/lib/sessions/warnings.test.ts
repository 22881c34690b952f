import { describe, expect, it } from 'vitest';
import type { CareWarning } from '../api/sessions';
import { missingReasonsText, overridesFor, reasonsFromRecord, unanswered, warningCount, warningKey } from './warnings';

const DEPTH: CareWarning = { rule: 'depth_outside_guide', subject: 'cheeks', message: 'Cheeks: 2 mm is outside …' };
const DEPTH_CHIN: CareWarning = { rule: 'depth_outside_guide', subject: 'chin', message: 'Chin: 2 mm …' };
const INTERVAL: CareWarning = { rule: 'interval_short', subject: '', message: 'only 20 days …' };

describe('matching reasons to warnings', () => {
  it('files a reason under the rule and the subject', () => {
    expect(warningKey(DEPTH)).toBe('depth_outside_guide|cheeks');
    expect(warningKey(INTERVAL)).toBe('interval_short|');
  });

  it('sends an override with the same rule and subject for each answered warning', () => {
    const reasons = { [warningKey(DEPTH)]: '  deep scars, client consented  ', [warningKey(INTERVAL)]: '   ' };
    expect(overridesFor([DEPTH, DEPTH_CHIN, INTERVAL], reasons)).toEqual([
      { rule: 'depth_outside_guide', subject: 'cheeks', reason: 'deep scars, client consented' },
    ]);
  });

  it('does not let a reason for one zone answer the same rule for another', () => {
    const reasons = { [warningKey(DEPTH)]: 'ok' };
    expect(unanswered([DEPTH, DEPTH_CHIN, INTERVAL], reasons)).toEqual([DEPTH_CHIN, INTERVAL]);
  });

  it('ignores reasons for warnings no longer raised', () => {
    expect(overridesFor([INTERVAL], { [warningKey(DEPTH)]: 'old' })).toEqual([]);
  });

  it('prefills the reasons recorded with a session', () => {
    expect(
      reasonsFromRecord([
        { ...DEPTH, reason: 'scar tissue' },
        { ...INTERVAL, reason: '' },
      ]),
    ).toEqual({ 'depth_outside_guide|cheeks': 'scar tissue' });
  });
});

describe('counting warnings', () => {
  it('says how many', () => {
    expect(warningCount(0)).toBeNull();
    expect(warningCount(1)).toBe('1 warning');
    expect(warningCount(3)).toBe('3 warnings');
    expect(missingReasonsText(1)).toBe('1 warning needs a reason');
    expect(missingReasonsText(2)).toBe('2 warnings need a reason');
  });
});
