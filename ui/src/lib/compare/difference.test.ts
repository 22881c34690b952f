import { describe, expect, it } from 'vitest';
import { differencePixels, meanText } from './difference';
import type { Pixels } from './difference';

/** A `width`-pixel-wide image from RGBA quadruples. */
function image(width: number, ...pixels: [number, number, number, number][]): Pixels {
  return { width, height: pixels.length / width, data: pixels.flat() };
}

describe('differencePixels', () => {
  it('takes |a − b| per channel, opaque, where both photos cover the pixel', () => {
    const a = image(2, [200, 100, 50, 255], [0, 0, 0, 255]);
    const b = image(2, [100, 150, 50, 255], [0, 0, 0, 255]);
    const result = differencePixels(a, b);
    expect([...result.data]).toEqual([100, 50, 0, 255, 0, 0, 0, 255]);
    expect(result.covered).toBe(2);
    expect(result.mean).toBeCloseTo(150 / (2 * 3 * 255));
  });

  it('is black for identical photos', () => {
    const a = image(1, [12, 34, 56, 255]);
    const result = differencePixels(a, a);
    expect([...result.data]).toEqual([0, 0, 0, 255]);
    expect(result.mean).toBe(0);
  });

  it('leaves transparent, and out of the mean, pixels the aligned second photo does not cover', () => {
    const a = image(3, [255, 255, 255, 255], [255, 255, 255, 255], [255, 255, 255, 255]);
    const b = image(3, [255, 255, 255, 255], [0, 0, 0, 0], [0, 0, 0, 100]);
    const result = differencePixels(a, b);
    expect([...result.data]).toEqual([0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(result.covered).toBe(1);
    expect(result.mean, 'an uncovered edge is not a difference').toBe(0);
  });

  it('refuses images of different sizes', () => {
    expect(() => differencePixels(image(1, [0, 0, 0, 255]), image(2, [0, 0, 0, 255], [0, 0, 0, 255]))).toThrow(/differ in size/);
  });
});

describe('meanText', () => {
  it('reads the mean as a percentage, or says the photos do not overlap', () => {
    expect(meanText({ mean: 0.04213, covered: 10 })).toBe('Mean difference 4.2 %');
    expect(meanText({ mean: 0, covered: 0 })).toBe('The photos do not overlap');
  });
});
