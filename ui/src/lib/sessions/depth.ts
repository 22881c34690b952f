// Needle depths as the practitioner reads and types them: millimetres with as
// few decimals as needed ("0.5 mm", "1.25 mm"), on the device's step grid.
import type { Device, ZoneGuide } from '../api/clinic';

/** The deepest depth the record accepts, as the Rust side's NeedleDepth does. */
export const MAX_DEPTH_MM = 3;
/** The step offered when no device is chosen (the finest the record keeps is 0.01 mm). */
export const DEFAULT_STEP_MM = 0.05;

/** Micrometres, so decimal steps compare exactly. */
function micrometres(mm: number): number {
  return Math.round(mm * 1000);
}

/** "1", "0.75", "1.25": the number as an input shows it. */
export function depthNumber(mm: number | null): string {
  if (mm === null || !Number.isFinite(mm)) return '';
  return String(micrometres(mm) / 1000);
}

/** "1 mm", "0.75 mm"; "–" when there is none. */
export function formatDepth(mm: number | null): string {
  const text = depthNumber(mm);
  return text === '' ? '–' : `${text} mm`;
}

/** "0.5–1.5 mm": a zone's guide range. */
export function formatRange(min: number | null, max: number | null): string {
  return `${depthNumber(min)}–${depthNumber(max)} mm`;
}

/** A depth typed as "0.5", "1,25" or "0.5 mm"; null when it is not a number. */
export function parseDepth(text: string): number | null {
  const cleaned = text.trim().replace(/\s*mm$/i, '').replace(',', '.');
  if (cleaned === '' || !/^\d*\.?\d+$|^\d+\.$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

/** Why a depth cannot be recorded (the Rust side's rules), or null when it can. */
export function depthProblem(mm: number | null): string | null {
  if (mm === null || !Number.isFinite(mm)) return 'enter the depth in mm';
  const um = micrometres(mm);
  if (um <= 0) return 'the depth must be above 0 mm';
  if (um > MAX_DEPTH_MM * 1000) return `${depthNumber(mm)} mm is impossible; the maximum is ${MAX_DEPTH_MM} mm`;
  if (um % 10 !== 0) return `${mm} mm is finer than 0.01 mm`;
  return null;
}

/** The depth input's step for a device (its own step, or a fine default without one). */
export function depthStep(device: Device | null): number {
  return device?.step_mm && device.step_mm > 0 ? device.step_mm : DEFAULT_STEP_MM;
}

/** The depth input's bounds for a device. */
export function depthBounds(device: Device | null): { min: number; max: number } {
  return {
    min: device?.min_depth_mm && device.min_depth_mm > 0 ? device.min_depth_mm : 0.01,
    max: Math.min(MAX_DEPTH_MM, device?.max_depth ?? MAX_DEPTH_MM),
  };
}

/** True when `mm` is a whole number of `step`s (0.75 on a 0.25 mm grid). */
export function onStep(mm: number, step: number): boolean {
  const s = micrometres(step);
  return s <= 0 || micrometres(mm) % s === 0;
}

/**
 * The next depth up or down the device's grid from `mm`, kept within bounds.
 * From a value between steps it goes to the neighbouring step; from nothing it
 * starts at the lower bound.
 */
export function stepDepth(mm: number | null, direction: 1 | -1, step: number, bounds: { min: number; max: number }): number {
  const s = micrometres(step);
  const lo = micrometres(bounds.min);
  const hi = micrometres(bounds.max);
  if (mm === null || !Number.isFinite(mm)) return lo / 1000;
  const um = micrometres(mm);
  let next: number;
  if (um % s === 0) next = um + direction * s;
  else next = direction > 0 ? Math.ceil(um / s) * s : Math.floor(um / s) * s;
  return Math.min(hi, Math.max(lo, next)) / 1000;
}

/** Where a depth stands against the zone's guide range: below, within or above. */
export function guidePosition(mm: number, zone: Pick<ZoneGuide, 'min_depth' | 'max_depth'>): 'below' | 'within' | 'above' {
  const um = micrometres(mm);
  if (zone.min_depth !== null && um < micrometres(zone.min_depth)) return 'below';
  if (zone.max_depth !== null && um > micrometres(zone.max_depth)) return 'above';
  return 'within';
}

/** The line under a zone row when it has no problem: the zone's guide range, and where the typed depth stands against it. */
export function zoneHint(
  guide: Pick<ZoneGuide, 'min_depth' | 'max_depth'> | null,
  depthText: string,
): { text: string; tone: 'muted' | 'off-guide' } {
  if (!guide) return { text: '', tone: 'muted' };
  const range = `Guide ${formatRange(guide.min_depth, guide.max_depth)}`;
  const depth = parseDepth(depthText);
  const position = depth === null ? 'within' : guidePosition(depth, guide);
  if (position === 'within') return { text: range, tone: 'muted' };
  return { text: `${range}: this depth is ${position} it`, tone: 'off-guide' };
}
