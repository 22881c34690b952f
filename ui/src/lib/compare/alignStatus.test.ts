import { describe, expect, it } from 'vitest';
import type { AlignOutcome, Alignment } from '../api/photos';
import { alignmentStatus, confidenceText, replaceQuestion } from './alignStatus';

const moved = { dx: 0.02, dy: -0.01, rotate_deg: 1.5, scale: 1.03 };
const auto = (confidence: number | null, reference = 'p0'): Alignment => ({ reference, ...moved, source: 'auto', confidence });
const manual = (reference = 'p0'): Alignment => ({ reference, ...moved, source: 'manual', confidence: null });
/** An alignment stored before Pinpoint said who made it. */
const legacy: Alignment = { reference: 'p0', ...moved };
const tried = (applied: boolean, reference = 'p0', confidence: number | null = applied ? 0.82 : 0.21): AlignOutcome => ({
  reference,
  confidence,
  applied,
});

describe('alignmentStatus', () => {
  function check(alignment: Alignment | null, attempt: AlignOutcome | null, expected: string) {
    const status = alignmentStatus(alignment, 'p0', attempt);
    expect(`${status.state}: ${status.text}`).toBe(expected);
  }

  it('says how the saved alignment was made, with the confidence of an automatic one', () => {
    check(auto(0.8234), null, 'auto: Aligned automatically (confidence 82%)');
    check(auto(null), null, 'auto: Aligned automatically');
    check(manual(), null, 'manual: Aligned by hand');
    check(legacy, null, 'manual: Aligned by hand');
    check(null, null, 'none: Not aligned');
  });

  it('does not claim an alignment made onto another photo', () => {
    check(auto(0.9, 'elsewhere'), null, 'elsewhere: Not aligned with this photo (aligned with another one)');
  });

  it('says when an automatic alignment could not be made, and what was kept', () => {
    check(null, tried(false), 'failed: Could not align automatically: the photos differ too much');
    check(manual(), tried(false), 'failed: Could not align automatically: the photos differ too much; the alignment already saved is kept');
    check(auto(0.7, 'elsewhere'), tried(false), 'failed: Could not align automatically: the photos differ too much');
  });

  it('shows the saved alignment after a successful attempt, and ignores an attempt against another reference', () => {
    check(auto(0.91), tried(true), 'auto: Aligned automatically (confidence 91%)');
    check(manual(), tried(false, 'other'), 'manual: Aligned by hand');
  });
});

describe('replaceQuestion', () => {
  it('asks before replacing an alignment made by hand or one onto another photo', () => {
    expect(replaceQuestion(manual(), 'p0')).toMatch(/aligned by hand/);
    expect(replaceQuestion(legacy, 'p0')).toMatch(/aligned by hand/);
    expect(replaceQuestion(auto(0.9, 'elsewhere'), 'p0')).toMatch(/aligned with another photo/);
    expect(replaceQuestion(manual('elsewhere'), 'p0')).toMatch(/aligned with another photo/);
  });

  it('does not ask when there is nothing to lose', () => {
    expect(replaceQuestion(null, 'p0'), 'no alignment').toBeNull();
    expect(replaceQuestion(auto(0.6), 'p0'), 'an automatic alignment onto this photo is made again').toBeNull();
  });
});

describe('confidenceText', () => {
  it('rounds to a whole percentage within 0 and 100', () => {
    expect([0, 0.005, 0.5, 0.826, 1, 1.4, -0.2].map(confidenceText)).toEqual(['0%', '1%', '50%', '83%', '100%', '100%', '0%']);
  });
});
