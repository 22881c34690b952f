import { describe, expect, it } from 'vitest';
import { glogauInfo, glogauLabel } from './glogau';
import { indicationsText, isIndication, orderIndications } from './indications';

describe('indications', () => {
  it('keeps the form order and each value once', () => {
    expect(orderIndications(['texture', 'acne_scars', 'texture'])).toEqual(['acne_scars', 'texture']);
  });

  it('reads as a short list', () => {
    expect(indicationsText(['texture', 'acne_scars'])).toBe('Acne scars, texture');
    expect(indicationsText([])).toBeNull();
  });

  it('knows its values', () => {
    expect(isIndication('stretch_marks')).toBe(true);
    expect(isIndication('wrinkles')).toBe(false);
  });
});

describe('Glogau types', () => {
  it('names types I to IV', () => {
    expect(glogauLabel(2)).toBe('II – wrinkles in motion');
    expect(glogauInfo(4)?.roman).toBe('IV');
    expect(glogauLabel(5)).toBeNull();
    expect(glogauLabel(null)).toBeNull();
  });
});
