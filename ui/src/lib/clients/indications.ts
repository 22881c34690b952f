// Why a client seeks treatment, in the order the form lists them.
import type { Indication } from '../api/clients';

export const INDICATIONS: readonly { value: Indication; label: string }[] = [
  { value: 'acne_scars', label: 'Acne scars' },
  { value: 'fine_lines', label: 'Fine lines' },
  { value: 'texture', label: 'Texture' },
  { value: 'pigmentation', label: 'Pigmentation' },
  { value: 'stretch_marks', label: 'Stretch marks' },
  { value: 'other', label: 'Other' },
];

export function isIndication(value: unknown): value is Indication {
  return INDICATIONS.some((i) => i.value === value);
}

/** The indications in the form's order, each once. */
export function orderIndications(values: readonly Indication[]): Indication[] {
  return INDICATIONS.map((i) => i.value).filter((value) => values.includes(value));
}

/** "Acne scars, texture"; null when none is recorded. */
export function indicationsText(values: readonly Indication[]): string | null {
  const labels = orderIndications(values).map((value) => INDICATIONS.find((i) => i.value === value)!.label);
  if (labels.length === 0) return null;
  return [labels[0], ...labels.slice(1).map((l) => l.toLowerCase())].join(', ');
}
