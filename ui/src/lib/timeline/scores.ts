// Outcome scores as the practitioner types and reads them: a value checked
// against its scale's range and step (the Rust side checks the same), the
// words a scale has for its values, and a score in one short line.
import type { OutcomeScore, Scale, ScaleInfo } from '../api/progress';

/** Decimals a step needs: 1 → 0, 0.1 → 1, 0.25 → 2. */
function places(step: number | null): number {
  if (step === null || step >= 1) return 0;
  return Math.min(4, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

/** "2", "4.2": a value as its scale writes it; "–" when there is none. */
export function formatScore(value: number | null, info?: Pick<ScaleInfo, 'step'> | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  // At least two decimals, so an odd stored value is not shown rounded to a wrong one.
  return String(Number(value.toFixed(Math.max(2, places(info?.step ?? null)))));
}

/** The scale's name ("GAIS (practitioner)"), or its key when the scale is not known. */
export function scaleName(scale: Scale, scales: readonly ScaleInfo[]): string {
  return scales.find((s) => s.scale === scale)?.name ?? scale;
}

/** The words for a value ("very improved" for GAIS 2), where the scale has them. */
export function valueWords(value: number | null, info: Pick<ScaleInfo, 'min' | 'labels'>): string | null {
  if (value === null || !Number.isInteger(value)) return null;
  return info.labels[value - (info.min ?? 0)] ?? null;
}

/** "2 (very improved)", "8 / 10", "4.2 / 24". */
export function valueText(value: number | null, info: ScaleInfo): string {
  const number = formatScore(value, info);
  const words = valueWords(value, info);
  if (words) return `${number} (${words})`;
  return info.max === null ? number : `${number} / ${formatScore(info.max, info)}`;
}

/** "GAIS (practitioner) 2 (very improved)": a recorded score in one line. */
export function scoreText(score: Pick<OutcomeScore, 'scale' | 'value'>, scales: readonly ScaleInfo[]): string {
  const info = scales.find((s) => s.scale === score.scale);
  return info ? `${info.name} ${valueText(score.value, info)}` : `${score.scale} ${formatScore(score.value)}`;
}

export type ScaleChoice = { value: number; label: string };

/**
 * The values to choose from on a scale with words for each whole value
 * ("1 · exceptional improvement" …); null for a scale typed as a number.
 */
export function scaleChoices(info: ScaleInfo): ScaleChoice[] | null {
  if (info.labels.length === 0 || info.min === null || info.max === null) return null;
  if (info.max - info.min + 1 !== info.labels.length) return null;
  return info.labels.map((words, index) => ({ value: info.min! + index, label: `${info.min! + index} · ${words}` }));
}

/** "1 to 5", "0 to 24 in steps of 0.1"; lower-is-better scales say so. */
export function scaleHint(info: ScaleInfo): string {
  const range =
    info.min !== null && info.max !== null ? `${formatScore(info.min, info)} to ${formatScore(info.max, info)}` : 'any value';
  const steps = info.step !== null && info.step !== 1 ? ` in steps of ${info.step}` : '';
  return `${range}${steps}; ${info.lower_is_better ? 'lower is better' : 'higher is better'}`;
}

/** A typed score: "4.2", "4,2"; null when it is not a number. */
export function parseScore(text: string): number | null {
  const cleaned = text.trim().replace(',', '.');
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

/** Why `text` cannot be recorded on the scale (in the Rust side's words), or null when it can. */
export function scoreValueError(text: string, info: ScaleInfo): string | null {
  if (text.trim() === '') return 'enter the score';
  const value = parseScore(text);
  if (value === null) return `${text.trim()} is not a number`;
  if ((info.min !== null && value < info.min) || (info.max !== null && value > info.max)) {
    return `${info.name} ${formatScore(value)} is outside its range ${formatScore(info.min)} to ${formatScore(info.max)}`;
  }
  if (info.step !== null && info.step > 0) {
    const base = info.min ?? 0;
    const onStep = Math.round((value - base) / info.step) * info.step + base;
    if (Math.abs(onStep - value) > 1e-9) return `${info.name} ${formatScore(value)} is not in steps of ${info.step}`;
  }
  return null;
}
