// Which rows of a long list are in the page: those near the part of it in
// view, with spacers of the right height standing in for the rest, so a
// course of 300 sessions opens as fast as one of 20. Heights are measured
// once a row has been drawn and estimated (by its kind) until then.

/** The rows to draw, `start` to `end` (exclusive), and the space above and below them. */
export type ListWindow = { start: number; end: number; before: number; after: number };

/** Lists this long or shorter are drawn whole: windowing them would cost more than it saves. */
export const WHOLE_LIST_ROWS = 40;

/** How far beyond the view rows are drawn, in pixels, so a quick scroll finds them ready. */
export const OVERSCAN_PX = 800;

/** Where each row starts: `offsets[i]` is the height of the rows before row i; the last is the total. */
export function rowOffsets(heights: readonly number[]): number[] {
  const offsets = [0];
  for (const height of heights) offsets.push(offsets[offsets.length - 1] + Math.max(0, height));
  return offsets;
}

/** The first index whose offset is at least (`strict`: above) `value`, in the ascending `offsets`. */
function search(offsets: readonly number[], value: number, strict: boolean): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (strict ? offsets[middle] > value : offsets[middle] >= value) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * The rows that reach into the view widened by `overscan` on both sides.
 * `top` and `bottom` are the edges of the view measured from the top of the
 * list (negative while the list starts below the view's top).
 */
export function listWindow(
  heights: readonly number[],
  view: { top: number; bottom: number },
  options: { overscan?: number; wholeRows?: number } = {},
): ListWindow {
  const count = heights.length;
  if (count <= (options.wholeRows ?? WHOLE_LIST_ROWS)) return { start: 0, end: count, before: 0, after: 0 };
  const offsets = rowOffsets(heights);
  const total = offsets[count];
  const overscan = options.overscan ?? OVERSCAN_PX;
  const top = Math.max(0, view.top - overscan);
  const bottom = Math.max(top, view.bottom + overscan);
  // The first row that ends below `top` (scrolled past the end: the last row) …
  const start = Math.min(count - 1, search(offsets, top, true) - 1);
  // … to the last row that starts above `bottom`.
  const end = Math.max(start + 1, Math.min(count, search(offsets, bottom, false)));
  return { start, end, before: offsets[start], after: total - offsets[end] };
}

/** Where row `index` starts, from the top of the list. */
export function rowOffset(heights: readonly number[], index: number): number {
  let offset = 0;
  for (let i = 0; i < Math.min(index, heights.length); i++) offset += Math.max(0, heights[i]);
  return offset;
}

/** Each row's height: measured when it has been drawn, else estimated. */
export function rowHeights<R>(rows: readonly R[], key: (row: R) => string, measured: ReadonlyMap<string, number>, estimate: (row: R) => number): number[] {
  return rows.map((row) => measured.get(key(row)) ?? estimate(row));
}

/**
 * How far to scroll so the list stays where it was when rows above the view
 * turned out taller or shorter than estimated (the sum of their changes).
 */
export function shiftAbove(changes: readonly { offset: number; before: number; after: number }[], viewTop: number): number {
  return changes.filter((change) => change.offset + change.before <= viewTop).reduce((sum, change) => sum + change.after - change.before, 0);
}
