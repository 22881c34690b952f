// Colour contrast as WCAG 2.1 measures it, for checking the design tokens:
// text needs 4.5:1 against what it stands on, icons, chart marks and focus
// rings 3:1. The tokens are read from tokens.css, light and dark.

export type Theme = 'light' | 'dark';
export type Tokens = Record<Theme, Record<string, string>>;

/** WCAG 2.1's minimum ratios: body text, and large text or graphics (icons, chart marks, focus rings). */
export const MIN_TEXT = 4.5;
export const MIN_GRAPHIC = 3;

/** The `--color-*` tokens of each theme (the dark one overrides the light one); keys without the `--color-` prefix. */
export function parseTokens(css: string): Tokens {
  const darkAt = css.indexOf('prefers-color-scheme: dark');
  const read = (part: string) =>
    Object.fromEntries([...part.matchAll(/--color-([\w-]+):\s*(#[0-9a-fA-F]{6})\b/g)].map((match) => [match[1], match[2].toLowerCase()]));
  const light = read(darkAt < 0 ? css : css.slice(0, darkAt));
  return { light, dark: { ...light, ...(darkAt < 0 ? {} : read(css.slice(darkAt))) } };
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** The relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => channel(parseInt(hex.slice(i, i + 2), 16)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The tokens a stylesheet uses as the colour of text (`color:`, or `fill:` of SVG text), without the `--color-` prefix. */
export function textTokens(sources: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/(?<![\w-])(?:color|fill):\s*var\(--color-([\w-]+)\)/g)) found.add(match[1]);
  }
  return found;
}
