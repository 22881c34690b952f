// Fitzpatrick skin phototypes I–VI: how the client's skin reacts to sun,
// which guides how cautiously a practitioner treats it.

export type FitzpatrickType = 1 | 2 | 3 | 4 | 5 | 6;

export type FitzpatrickInfo = {
  type: FitzpatrickType;
  roman: string;
  description: string;
};

export const FITZPATRICK_TYPES: readonly FitzpatrickInfo[] = [
  { type: 1, roman: 'I', description: 'always burns, never tans' },
  { type: 2, roman: 'II', description: 'usually burns, tans minimally' },
  { type: 3, roman: 'III', description: 'sometimes burns, tans gradually' },
  { type: 4, roman: 'IV', description: 'rarely burns, tans easily' },
  { type: 5, roman: 'V', description: 'very rarely burns, tans darkly' },
  { type: 6, roman: 'VI', description: 'never burns, deeply pigmented' },
];

export function isFitzpatrickType(value: unknown): value is FitzpatrickType {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 6;
}

/** The phototype's entry, or null when the value is not one of I–VI. */
export function fitzpatrickInfo(value: number | null | undefined): FitzpatrickInfo | null {
  return isFitzpatrickType(value) ? FITZPATRICK_TYPES[value - 1] : null;
}

/** "IV", or null when the value is not one of I–VI. */
export function fitzpatrickRoman(value: number | null | undefined): string | null {
  return fitzpatrickInfo(value)?.roman ?? null;
}

/** "IV – rarely burns, tans easily", or null when the value is not one of I–VI. */
export function fitzpatrickLabel(value: number | null | undefined): string | null {
  const info = fitzpatrickInfo(value);
  return info ? `${info.roman} – ${info.description}` : null;
}
