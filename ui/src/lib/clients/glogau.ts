// Glogau photoageing types I–IV: how far wrinkles have come, which guides the
// expected course and depth of treatment.

export type GlogauInfo = { type: 1 | 2 | 3 | 4; roman: string; name: string; description: string };

export const GLOGAU_TYPES: readonly GlogauInfo[] = [
  { type: 1, roman: 'I', name: 'no wrinkles', description: 'early photoageing, little or no make-up' },
  { type: 2, roman: 'II', name: 'wrinkles in motion', description: 'lines appear when the face moves' },
  { type: 3, roman: 'III', name: 'wrinkles at rest', description: 'lines visible without movement' },
  { type: 4, roman: 'IV', name: 'only wrinkles', description: 'advanced photoageing throughout' },
];

export function glogauInfo(value: number | null | undefined): GlogauInfo | null {
  return GLOGAU_TYPES.find((g) => g.type === value) ?? null;
}

/** "II – wrinkles in motion", or null when the value is not one of I–IV. */
export function glogauLabel(value: number | null | undefined): string | null {
  const info = glogauInfo(value);
  return info ? `${info.roman} – ${info.name}` : null;
}
