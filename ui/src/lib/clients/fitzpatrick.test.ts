import { describe, expect, it } from 'vitest';
import { FITZPATRICK_TYPES, fitzpatrickLabel, fitzpatrickRoman, isFitzpatrickType } from './fitzpatrick';

describe('Fitzpatrick phototypes', () => {
  it('writes each type as its roman numeral', () => {
    const romans = [1, 2, 3, 4, 5, 6].map((n) => fitzpatrickRoman(n));
    expect(romans).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI']);
  });

  it('labels a type with its numeral and how the skin reacts to sun', () => {
    expect(fitzpatrickLabel(1)).toBe('I – always burns, never tans');
    expect(fitzpatrickLabel(6)).toBe('VI – never burns, deeply pigmented');
  });

  it('lists the six types in order, each described', () => {
    expect(FITZPATRICK_TYPES.map((t) => t.type)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const t of FITZPATRICK_TYPES) expect(t.description, `type ${t.roman}`).not.toBe('');
  });

  it('has no numeral for values outside I–VI', () => {
    for (const value of [0, 7, -1, 2.5, Number.NaN, null, undefined]) {
      expect(fitzpatrickRoman(value), `value ${String(value)}`).toBeNull();
      expect(fitzpatrickLabel(value), `value ${String(value)}`).toBeNull();
      expect(isFitzpatrickType(value), `value ${String(value)}`).toBe(false);
    }
  });
});
