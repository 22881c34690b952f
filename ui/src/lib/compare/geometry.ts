// The comparison viewer's maths, free of the DOM: fitting the reference
// photo's frame into the space available, zoom and pan (shared by both
// photos), and the saved alignment of the second photo onto the first.
//
// Conventions. Both photos are drawn in one frame the size of the reference
// (first) photo as displayed; the second photo is fitted inside it. The view
// (zoom about the frame's centre, then a pan in screen pixels) moves both
// photos together. The alignment places the second photo in that frame:
// scale and clockwise rotation about its centre, then a move of dx × the
// frame's width and dy × its height (Rust's `Alignment`, fractions of the
// reference's displayed size, so the same alignment holds at any size).
import type { Alignment, PhotoId } from '../api/photos';

export type Size = { width: number; height: number };
export type Point = { x: number; y: number };

/** The largest size of aspect `aspect` (width / height) that fits `box`. */
export function fitFrame(aspect: number, box: Size): Size {
  if (!(aspect > 0) || box.width <= 0 || box.height <= 0) return { width: 0, height: 0 };
  if (box.width / box.height > aspect) return { width: box.height * aspect, height: box.height };
  return { width: box.width, height: box.width / aspect };
}

/** Zoom and pan, shared by both photos: `x`, `y` move the frame's centre in screen pixels. */
export type View = { zoom: number; x: number; y: number };

export const FIT: View = { zoom: 1, x: 0, y: 0 };
export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 16;
/** One zoom step (a button, a key). */
export const ZOOM_STEP = 1.25;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * Zooms by `factor` keeping `point` (screen pixels from the viewport's
 * centre, e.g. under the mouse) over the same spot of the photo.
 */
export function zoomAt(view: View, factor: number, point: Point = { x: 0, y: 0 }): View {
  const zoom = clamp(view.zoom * factor, MIN_ZOOM, MAX_ZOOM);
  const k = zoom / view.zoom;
  return { zoom, x: point.x - (point.x - view.x) * k, y: point.y - (point.y - view.y) * k };
}

/** The zoom factor for one wheel event (a notch of about 100 is one step). */
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const pixels = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.pow(ZOOM_STEP, clamp(-pixels / 100, -3, 3));
}

/**
 * The view moved by (`dx`, `dy`) screen pixels, kept so that at least
 * `margin` pixels of the frame stay inside the viewport.
 */
export function panBy(view: View, dx: number, dy: number, frame: Size, viewport: Size, margin = 48): View {
  const limitX = Math.max(0, (frame.width * view.zoom + viewport.width) / 2 - margin);
  const limitY = Math.max(0, (frame.height * view.zoom + viewport.height) / 2 - margin);
  return { zoom: view.zoom, x: clamp(view.x + dx, -limitX, limitX), y: clamp(view.y + dy, -limitY, limitY) };
}

/** The CSS transform of the frame for `view` (its transform-origin is its centre). */
export function viewTransform(view: View): string {
  return `translate(${round(view.x, 2)}px, ${round(view.y, 2)}px) scale(${round(view.zoom, 4)})`;
}

/** "100 %", "250 %". */
export function zoomText(view: View): string {
  return `${Math.round(view.zoom * 100)} %`;
}

/** The second photo's placement in the frame: always complete (Rust's fields may be null). */
export type Placement = { dx: number; dy: number; rotate: number; scale: number };

export const UNMOVED: Placement = { dx: 0, dy: 0, rotate: 0, scale: 1 };
export const MIN_SCALE = 0.1;
export const MAX_SCALE = 10;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** The angle in −180…180 degrees (180 rather than −180). */
export function normalizeAngle(degrees: number): number {
  const a = ((((degrees + 180) % 360) + 360) % 360) - 180;
  return a === -180 ? 180 : a;
}

/** `placement` within what Rust accepts: rotation −180…180, scale 0.1…10, finite moves. */
export function clampPlacement(placement: Placement): Placement {
  const finite = (value: number, fallback: number) => (Number.isFinite(value) ? value : fallback);
  return {
    dx: clamp(finite(placement.dx, 0), -10, 10),
    dy: clamp(finite(placement.dy, 0), -10, 10),
    rotate: normalizeAngle(finite(placement.rotate, 0)),
    scale: clamp(finite(placement.scale, 1), MIN_SCALE, MAX_SCALE),
  };
}

/**
 * Where the second photo goes when compared with `reference`: its saved
 * alignment when that was made against `reference`, else unmoved.
 */
export function placementFor(alignment: Alignment | null, reference: PhotoId): Placement {
  if (alignment === null || alignment.reference !== reference) return UNMOVED;
  return clampPlacement({
    dx: alignment.dx ?? 0,
    dy: alignment.dy ?? 0,
    rotate: alignment.rotate_deg ?? 0,
    scale: alignment.scale ?? 1,
  });
}

export function isUnmoved(placement: Placement): boolean {
  const p = clampPlacement(placement);
  return round(p.dx, 5) === 0 && round(p.dy, 5) === 0 && round(p.rotate, 2) === 0 && round(p.scale, 4) === 1;
}

/** What to save for `placement` against `reference`: null (no alignment) when it does not move the photo. */
export function alignmentToSave(placement: Placement, reference: PhotoId): Alignment | null {
  if (isUnmoved(placement)) return null;
  const p = clampPlacement(placement);
  return { reference, dx: round(p.dx, 5), dy: round(p.dy, 5), rotate_deg: round(p.rotate, 2), scale: round(p.scale, 4) };
}

/**
 * The CSS transform of the second photo's image, which fills the frame
 * (transform-origin at its centre): percentages of its own box are
 * fractions of the frame, whatever its size on screen.
 */
export function placementTransform(placement: Placement): string {
  const p = clampPlacement(placement);
  return `translate(${round(p.dx * 100, 4)}%, ${round(p.dy * 100, 4)}%) rotate(${round(p.rotate, 3)}deg) scale(${round(p.scale, 5)})`;
}

/** A 2-D affine matrix as canvas `setTransform(a, b, c, d, e, f)` takes it. */
export type Matrix = [number, number, number, number, number, number];

/** The matrix that places the second photo in a frame of `size` (pixels, origin top left). */
export function placementMatrix(placement: Placement, size: Size): Matrix {
  const p = clampPlacement(placement);
  const radians = (p.rotate * Math.PI) / 180;
  const a = p.scale * Math.cos(radians);
  const b = p.scale * Math.sin(radians);
  const c = -b;
  const d = a;
  const cx = size.width / 2;
  const cy = size.height / 2;
  return [a, b, c, d, cx + p.dx * size.width - (a * cx + c * cy), cy + p.dy * size.height - (b * cx + d * cy)];
}

export function applyMatrix(m: Matrix, point: Point): Point {
  return { x: m[0] * point.x + m[2] * point.y + m[4], y: m[1] * point.x + m[3] * point.y + m[5] };
}

/** The canvas size for a reference photo of `width` × `height`, at most `limit` pixels on the long side (never enlarged). */
export function canvasSize(width: number, height: number, limit = 1600): Size {
  const scale = Math.min(1, limit / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The rectangle where an image of `aspect` is drawn when fitted (contained) in `frame`. */
export function containRect(aspect: number, frame: Size): { x: number; y: number; width: number; height: number } {
  const fitted = fitFrame(aspect, frame);
  return { x: (frame.width - fitted.width) / 2, y: (frame.height - fitted.height) / 2, ...fitted };
}

/** The placement after dragging the photo by (`dx`, `dy`) screen pixels at `zoom` in a frame of `frame` pixels. */
export function moveByPixels(placement: Placement, dx: number, dy: number, frame: Size, zoom: number): Placement {
  if (frame.width <= 0 || frame.height <= 0 || zoom <= 0) return placement;
  return clampPlacement({
    ...placement,
    dx: placement.dx + dx / (frame.width * zoom),
    dy: placement.dy + dy / (frame.height * zoom),
  });
}

/** The placement after turning the photo the way a pointer turned about `centre`, from `from` to `to`. */
export function rotateByDrag(placement: Placement, centre: Point, from: Point, to: Point): Placement {
  const angle = (p: Point) => (Math.atan2(p.y - centre.y, p.x - centre.x) * 180) / Math.PI;
  return clampPlacement({ ...placement, rotate: placement.rotate + angle(to) - angle(from) });
}

/** The placement after a pointer moved away from (or towards) `centre`, scaling by the ratio of the distances. */
export function scaleByDrag(placement: Placement, centre: Point, from: Point, to: Point): Placement {
  const distance = (p: Point) => Math.hypot(p.x - centre.x, p.y - centre.y);
  const start = distance(from);
  if (start < 4) return placement;
  return clampPlacement({ ...placement, scale: placement.scale * (distance(to) / start) });
}

/**
 * Where the second photo's centre is on screen, relative to the viewport's
 * centre (for turning and scaling it with the pointer).
 */
export function placedCentre(placement: Placement, frame: Size, view: View): Point {
  return {
    x: view.x + view.zoom * placement.dx * frame.width,
    y: view.y + view.zoom * placement.dy * frame.height,
  };
}
