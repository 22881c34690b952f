import { describe, expect, it } from 'vitest';
import { GAIS, MMASI, SATISFACTION, SCALES } from './fixtures';
import { formatScore, parseScore, scaleChoices, scaleHint, scaleName, scoreText, scoreValueError, valueText } from './scores';

describe('reading scores', () => {
  it('writes a value as its scale does', () => {
    expect(formatScore(2, GAIS)).toBe('2');
    expect(formatScore(4.2, MMASI)).toBe('4.2');
    expect(formatScore(4.199999999, MMASI)).toBe('4.2');
    expect(formatScore(null, GAIS)).toBe('–');
  });

  it('says a score with its words, or against the top of the scale', () => {
    expect(valueText(2, GAIS)).toBe('2 (very improved)');
    expect(valueText(8, SATISFACTION)).toBe('8 / 10');
    expect(scoreText({ scale: 'gais_practitioner', value: 1 }, SCALES)).toBe('GAIS (practitioner) 1 (exceptional improvement)');
    expect(scoreText({ scale: 'mmasi', value: 4.2 }, SCALES)).toBe('mMASI 4.2 / 24');
    expect(scoreText({ scale: 'ecca', value: 120 }, SCALES), 'a scale not listed').toBe('ecca 120');
    expect(scaleName('satisfaction', SCALES)).toBe('Satisfaction');
  });

  it('offers the words of a worded scale as choices, and a number field otherwise', () => {
    expect(scaleChoices(GAIS)?.map((c) => c.label)).toEqual([
      '1 · exceptional improvement',
      '2 · very improved',
      '3 · improved',
      '4 · no change',
      '5 · worse',
    ]);
    expect(scaleChoices(MMASI)).toBeNull();
    expect(scaleChoices({ ...GAIS, labels: ['too', 'few'] }), 'labels that do not cover the range').toBeNull();
  });

  it('hints at the range, the step and which way is better', () => {
    expect(scaleHint(GAIS)).toBe('1 to 5; lower is better');
    expect(scaleHint(MMASI)).toBe('0 to 24 in steps of 0.1; lower is better');
    expect(scaleHint(SATISFACTION)).toBe('0 to 10; higher is better');
  });
});

describe('checking a typed score against its scale', () => {
  function check(text: string, info: typeof GAIS, expected: string | null) {
    expect(scoreValueError(text, info), JSON.stringify(text)).toBe(expected);
  }

  it('accepts values in range and on the step', () => {
    check('1', GAIS, null);
    check('5', GAIS, null);
    check('4.2', MMASI, null);
    check('4,2', MMASI, null);
    check('0', SATISFACTION, null);
    check(' 24 ', MMASI, null);
  });

  it('refuses what the Rust side refuses, in its words', () => {
    check('', GAIS, 'enter the score');
    check('lots', GAIS, 'lots is not a number');
    check('0', GAIS, 'GAIS (practitioner) 0 is outside its range 1 to 5');
    check('6', GAIS, 'GAIS (practitioner) 6 is outside its range 1 to 5');
    check('2.5', GAIS, 'GAIS (practitioner) 2.5 is not in steps of 1');
    check('4.25', MMASI, 'mMASI 4.25 is not in steps of 0.1');
    check('-1', SATISFACTION, 'Satisfaction -1 is outside its range 0 to 10');
  });

  it('reads typed numbers with a comma or a point', () => {
    expect(['3', '3.5', '3,5', '.5', '3.', '1e3', '', '3 4'].map(parseScore)).toEqual([3, 3.5, 3.5, 0.5, 3, null, null, null]);
  });
});
