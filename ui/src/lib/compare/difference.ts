// The difference image: per pixel, |first − second| for each colour channel.
// Works on ImageData-like arrays (RGBA, 8 bits) so it can be tested without
// a canvas. Where the second photo does not cover the frame (moved or turned
// away by the alignment) the result is transparent, not a false difference.

/** RGBA pixels, four bytes per pixel, row by row (what a canvas's getImageData returns). */
export type Pixels = { width: number; height: number; data: ArrayLike<number> };

export type Difference = {
  /** RGBA: |a − b| per channel, opaque where both photos cover the pixel, transparent elsewhere. */
  data: Uint8ClampedArray<ArrayBuffer>;
  /** The mean difference over covered pixels and channels, 0 (identical) to 1. */
  mean: number;
  /** How many pixels both photos cover. */
  covered: number;
};

/** Below this alpha the second photo does not cover a pixel (edges of a turned photo are half-covered). */
const COVERED_ALPHA = 128;

export function differencePixels(a: Pixels, b: Pixels): Difference {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`the two images differ in size: ${a.width}×${a.height} and ${b.width}×${b.height}`);
  }
  const count = a.width * a.height;
  const out = new Uint8ClampedArray(count * 4);
  let sum = 0;
  let covered = 0;
  for (let i = 0; i < count * 4; i += 4) {
    if (b.data[i + 3] < COVERED_ALPHA || a.data[i + 3] < COVERED_ALPHA) continue;
    const r = Math.abs(a.data[i] - b.data[i]);
    const g = Math.abs(a.data[i + 1] - b.data[i + 1]);
    const bl = Math.abs(a.data[i + 2] - b.data[i + 2]);
    out[i] = r;
    out[i + 1] = g;
    out[i + 2] = bl;
    out[i + 3] = 255;
    sum += r + g + bl;
    covered += 1;
  }
  return { data: out, mean: covered === 0 ? 0 : sum / (covered * 3 * 255), covered };
}

/** How much faint differences are brightened on screen (a CSS filter, so changing it costs nothing). */
export const DIFFERENCE_GAINS = [1, 2, 4, 8] as const;
export type DifferenceGain = (typeof DIFFERENCE_GAINS)[number];

/** "Mean difference 4.2 %". */
export function meanText(difference: Pick<Difference, 'mean' | 'covered'>): string {
  if (difference.covered === 0) return 'The photos do not overlap';
  return `Mean difference ${(difference.mean * 100).toFixed(1)} %`;
}
