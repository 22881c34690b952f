// A drawn signature: strokes of points in the pad's own coordinates (a fixed
// 600 × 200 box, whatever size the pad is shown at), stored as SVG path data
// "M x y L x y …" so it can be drawn again at any size.

export const PAD = { width: 600, height: 200 } as const;

export type Point = { x: number; y: number };
export type Stroke = Point[];

/** Points closer than this (in pad units) to the last one add nothing but size. */
export const MIN_STEP = 1.5;

const round = (n: number) => Math.round(n * 10) / 10;

/** A pointer position (client pixels) in pad units, clamped to the pad. */
export function padPoint(
  clientX: number,
  clientY: number,
  rect: { left: number; top: number; width: number; height: number },
): Point {
  const x = ((clientX - rect.left) / (rect.width || 1)) * PAD.width;
  const y = ((clientY - rect.top) / (rect.height || 1)) * PAD.height;
  return { x: round(Math.min(PAD.width, Math.max(0, x))), y: round(Math.min(PAD.height, Math.max(0, y))) };
}

/** The stroke with `point` added, unless it is too close to the last point. */
export function extendStroke(stroke: Stroke, point: Point): Stroke {
  const last = stroke[stroke.length - 1];
  if (last && Math.hypot(point.x - last.x, point.y - last.y) < MIN_STEP) return stroke;
  return [...stroke, point];
}

/** SVG path data for strokes; a single tap becomes a dot (a zero-length line). */
export function signaturePath(strokes: readonly Stroke[]): string {
  return strokes
    .filter((stroke) => stroke.length > 0)
    .map((stroke) => {
      const [first, ...rest] = stroke;
      const points = rest.length === 0 ? [first] : rest;
      return `M ${first.x} ${first.y} ${points.map((p) => `L ${p.x} ${p.y}`).join(' ')}`;
    })
    .join(' ');
}

/** True when something was drawn. */
export function hasInk(strokes: readonly Stroke[]): boolean {
  return strokes.some((stroke) => stroke.length > 0);
}

/** True for stored path data; false for a typed name (consents taken on the command line). */
export function isDrawnSignature(signature: string): boolean {
  return /^M\s*-?\d/.test(signature.trim());
}

/**
 * A viewBox that fits the drawing with a margin, so small signatures fill a
 * thumbnail; the whole pad when the path has no points.
 */
export function fittedViewBox(path: string, margin = 10): string {
  const numbers = (path.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  if (numbers.length < 2) return `0 0 ${PAD.width} ${PAD.height}`;
  const xs = numbers.filter((_, i) => i % 2 === 0);
  const ys = numbers.filter((_, i) => i % 2 === 1);
  const minX = Math.min(...xs) - margin;
  const minY = Math.min(...ys) - margin;
  // Keep the pad's 3:1 shape so the drawing is not stretched.
  let width = Math.max(...xs) + margin - minX;
  let height = Math.max(...ys) + margin - minY;
  if (width < height * 3) width = height * 3;
  else height = width / 3;
  return `${minX} ${minY} ${width} ${height}`;
}
