// The geometry of the timeline's charts: calendar dates and values onto
// pixels, the ticks each axis shows, the lines between points and the marker
// each series draws with. Pure numbers; the SVG is in the components.
import { dateFormat, parseIsoDate } from '../dates/calendar';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a "YYYY-MM-DD" date; NaN when it is not a date. */
export function dayNumber(isoDate: string): number {
  const date = parseIsoDate(isoDate);
  return date ? Date.UTC(date.year, date.month - 1, date.day) / DAY_MS : NaN;
}

/** The "YYYY-MM-DD" date `day` days after 1970-01-01. */
export function isoFromDay(day: number): string {
  return new Date(Math.round(day) * DAY_MS).toISOString().slice(0, 10);
}

/** A closed range of numbers (days, millimetres, scores). */
export type Span = { min: number; max: number };

/** The shortest span a date axis shows, so a single visit is not drawn at the very edge. */
const MIN_DATE_SPAN_DAYS = 56;

/**
 * The days a chart spans: every date given, with a margin either side so no
 * point sits on the frame; at least eight weeks, centred on the dates. Null
 * when there is no date.
 */
export function dateSpan(dates: readonly string[]): Span | null {
  let min = Infinity;
  let max = -Infinity;
  for (const date of dates) {
    const day = dayNumber(date);
    if (!Number.isFinite(day)) continue;
    if (day < min) min = day;
    if (day > max) max = day;
  }
  if (!Number.isFinite(min)) return null;
  if (max - min < MIN_DATE_SPAN_DAYS) {
    const middle = Math.round((min + max) / 2);
    return { min: middle - MIN_DATE_SPAN_DAYS / 2, max: middle + MIN_DATE_SPAN_DAYS / 2 };
  }
  const margin = Math.max(7, Math.round((max - min) * 0.04));
  return { min: min - margin, max: max + margin };
}

/** Maps `domain` linearly onto `range`; a domain of one value maps to the middle of the range. */
export function scaleLinear(domain: Span, range: [number, number]): (value: number) => number {
  const [from, to] = range;
  const width = domain.max - domain.min;
  if (width === 0) return () => (from + to) / 2;
  return (value) => from + ((value - domain.min) / width) * (to - from);
}

export type Tick = { value: number; label: string };

const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60];

/**
 * Ticks for a date axis over `span` (days), at most `maxTicks` of them:
 * weekly for a short span, else on the first of the month every 1, 2, 3, 6
 * or 12 months. A month tick says the year on January and on the first tick
 * ("Nov 2026", "Dec", "Jan 2027").
 */
export function dateTicks(span: Span, maxTicks: number, locale?: string): Tick[] {
  const limit = Math.max(2, Math.floor(maxTicks));
  const days = span.max - span.min;
  const dayFormat = dateFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  for (const weeks of [1, 2]) {
    if (days / (7 * weeks) <= limit) {
      const ticks: Tick[] = [];
      for (let day = Math.ceil(span.min); day <= span.max; day += 7 * weeks) {
        ticks.push({ value: day, label: dayFormat.format(new Date(day * DAY_MS)) });
      }
      return ticks;
    }
  }
  const months = days / 30.44;
  const step = MONTH_STEPS.find((s) => months / s <= limit) ?? Math.ceil(months / limit / 12) * 12;
  const monthFormat = dateFormat(locale, { month: 'short', timeZone: 'UTC' });
  const yearFormat = dateFormat(locale, { year: 'numeric', timeZone: 'UTC' });
  const monthYearFormat = dateFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const start = new Date(Math.ceil(span.min) * DAY_MS);
  const year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  if (start.getUTCDate() !== 1) month += 1;
  // Months aligned to the step (every 3 months: Jan, Apr, Jul, Oct).
  while (month % Math.min(step, 12) !== 0) month += 1;
  const ticks: Tick[] = [];
  for (;;) {
    const instant = new Date(Date.UTC(year, month, 1));
    const day = instant.getTime() / DAY_MS;
    if (day > span.max) break;
    const first = ticks.length === 0;
    const label =
      step >= 12 ? yearFormat.format(instant) : first || instant.getUTCMonth() === 0 ? monthYearFormat.format(instant) : monthFormat.format(instant);
    ticks.push({ value: day, label });
    month += step;
  }
  return ticks;
}

const NICE = [1, 2, 2.5, 5, 10];

/** The decimals a step needs (0.25 → 2). */
function decimals(step: number): number {
  const text = String(step);
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/**
 * Round values from `min` to `max` about `count` apart: steps of 1, 2, 2.5
 * or 5 times a power of ten, never finer than `finest` (1 for a scale of
 * whole numbers).
 */
export function niceTicks(min: number, max: number, count: number, finest = 0): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const candidates = NICE.map((n) => n * power).filter((step) => finest < 1 || Number.isInteger(step));
  let step = candidates.reduce((best, candidate) =>
    Math.abs(Math.log(candidate / raw)) < Math.abs(Math.log(best / raw)) ? candidate : best,
  );
  if (step < finest) step = finest;
  const places = Math.min(6, decimals(Number(step.toPrecision(6))));
  const ticks: number[] = [];
  for (let value = Math.ceil(min / step - 1e-9) * step; value <= max + step * 1e-9; value += step) {
    ticks.push(Number(value.toFixed(places)));
  }
  return ticks;
}

/** The depth axis: from 0 to the deepest point rounded up to half a millimetre (at least 1 mm). */
export function depthSpan(depths: readonly (number | null)[]): Span {
  let deepest = 0;
  for (const depth of depths) if (depth !== null && Number.isFinite(depth) && depth > deepest) deepest = depth;
  return { min: 0, max: Math.max(1, Math.ceil(deepest * 2 - 1e-9) / 2) };
}

/** Depth ticks every 0.25 mm up to 1 mm, else every 0.5 mm. */
export function depthTicks(span: Span): number[] {
  const step = span.max <= 1 ? 0.25 : 0.5;
  const ticks: number[] = [];
  for (let i = 0; i * step <= span.max + 1e-9; i += 1) ticks.push(i * step);
  return ticks;
}

/** A scale's range as the axis shows it; values outside a declared range (none expected) widen it. */
export function scoreSpan(
  scale: { min: number | null; max: number | null },
  values: readonly (number | null)[],
): Span {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  let min = scale.min ?? Math.min(0, ...known);
  let max = scale.max ?? Math.max(1, ...known);
  for (const v of known) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max: max > min ? max : min + 1 };
}

/** Ticks for a score axis: about four steps, whole numbers on whole-number scales. */
export function scoreTicks(span: Span, step: number | null): number[] {
  return niceTicks(span.min, span.max, 4, step !== null && step >= 1 ? 1 : 0);
}

/**
 * The vertical pixel of a score, better results higher: on a scale where a
 * lower score is better (GAIS, acne-scar grades, mMASI) the axis runs
 * downwards from the best value at the top.
 */
export function scoreScale(span: Span, lowerIsBetter: boolean, top: number, bottom: number): (value: number) => number {
  return scaleLinear(span, lowerIsBetter ? [top, bottom] : [bottom, top]);
}

/** An SVG path through the points in order; a missing value breaks the line. */
export function linePath(points: readonly { x: number; y: number | null }[]): string {
  let path = '';
  let drawing = false;
  for (const point of points) {
    if (point.y === null || !Number.isFinite(point.y)) {
      drawing = false;
      continue;
    }
    path += `${path === '' ? '' : ' '}${drawing ? 'L' : 'M'}${round(point.x)} ${round(point.y)}`;
    drawing = true;
  }
  return path;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The marker shapes series take in turn, so series differ by more than colour. */
export const MARKERS = ['circle', 'square', 'diamond', 'triangle'] as const;
export type Marker = (typeof MARKERS)[number];

/** How the `index`th series is drawn: a colour token and a marker shape. */
export function seriesStyle(index: number): { color: string; marker: Marker } {
  return { color: `var(--color-series-${(index % 6) + 1})`, marker: MARKERS[index % MARKERS.length] };
}

/** The SVG path of a marker of about radius `r` centred on (x, y). */
export function markerPath(marker: Marker, x: number, y: number, r: number): string {
  const [cx, cy] = [round(x), round(y)];
  switch (marker) {
    case 'circle':
      return `M${round(cx - r)} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`;
    case 'square': {
      const s = round(r * 0.9);
      return `M${round(cx - s)} ${round(cy - s)}h${2 * s}v${2 * s}h${-2 * s}Z`;
    }
    case 'diamond': {
      const d = round(r * 1.25);
      return `M${cx} ${round(cy - d)}L${round(cx + d)} ${cy}L${cx} ${round(cy + d)}L${round(cx - d)} ${cy}Z`;
    }
    case 'triangle': {
      const t = round(r * 1.2);
      return `M${cx} ${round(cy - t)}L${round(cx + t)} ${round(cy + t * 0.8)}L${round(cx - t)} ${round(cy + t * 0.8)}Z`;
    }
  }
}
