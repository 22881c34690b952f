import { describe, expect, it } from 'vitest';
import { MIN_GRAPHIC, MIN_TEXT, contrastRatio, parseTokens, textTokens } from './contrast';
import type { Theme } from './contrast';

// Vitest hands CSS imports to tests as empty text, so the stylesheets are read from disk.
const fs = (await import(/* @vite-ignore */ `node:${'fs'}`)) as { readFileSync(path: URL, encoding: 'utf8'): string };
const readCss = (relative: string) => fs.readFileSync(new URL(relative, import.meta.url), 'utf8');

const TOKENS = parseTokens(readCss('./tokens.css'));
const THEMES: Theme[] = ['light', 'dark'];
/** Every stylesheet of the app (components and app.css): what it uses as a text colour is checked below. */
const SOURCES = [
  ...Object.values(import.meta.glob<string>('../../**/*.svelte', { query: '?raw', import: 'default', eager: true })),
  readCss('../../app.css'),
];

/** The surfaces text stands on anywhere in the app. */
const SURFACES = ['bg', 'surface', 'surface-raised', 'surface-sunken', 'sidebar', 'highlight'];
/** Text on a filled control: the primary button and the chosen segment. */
const ON_FILL: [string, string][] = [
  ['on-accent', 'accent'],
  ['on-accent', 'accent-hover'],
];
/** Text on a tinted background: badges, banners, warnings, the alerts line, the consent note. */
const ON_TINT: [string, string][] = [
  ['danger', 'danger-soft'],
  ['danger-hover', 'danger-soft'],
  ['warning', 'warning-soft'],
  ['success', 'success-soft'],
  ['accent-text', 'accent-soft'],
  ['text', 'accent-soft'],
  ['text', 'danger-soft'],
  ['text', 'warning-soft'],
  ['text-muted', 'danger-soft'],
  ['text-muted', 'warning-soft'],
  ['text-muted', 'surface-sunken'],
];
/** Marks that carry meaning without text: chart series, the focus ring, the course line's dots. */
const GRAPHICS = ['series-1', 'series-2', 'series-3', 'series-4', 'series-5', 'series-6', 'focus', 'accent', 'danger', 'text'];

function failures(pairs: [string, string][], minimum: number): string[] {
  const out: string[] = [];
  for (const theme of THEMES) {
    for (const [fg, bg] of pairs) {
      const [a, b] = [TOKENS[theme][fg], TOKENS[theme][bg]];
      if (!a || !b) {
        out.push(`${theme}: --color-${!a ? fg : bg} is not a token`);
        continue;
      }
      const ratio = contrastRatio(a, b);
      if (ratio < minimum) out.push(`${theme}: --color-${fg} on --color-${bg} is ${ratio.toFixed(2)}:1`);
    }
  }
  return out;
}

describe('contrast of the design tokens (WCAG 2.1 AA)', () => {
  const used = [...textTokens(SOURCES)];

  it('finds the stylesheets and the text colours they use', () => {
    expect(SOURCES.length).toBeGreaterThan(50);
    expect(used).toEqual(expect.arrayContaining(['text', 'text-muted', 'text-faint', 'danger', 'on-accent']));
  });

  it('gives every text colour used 4.5:1 on every surface, in both themes', () => {
    const onSurfaces = used.filter((token) => token !== 'on-accent').flatMap((fg) => SURFACES.map((bg): [string, string] => [fg, bg]));
    expect(failures(onSurfaces, MIN_TEXT)).toEqual([]);
  });

  it('gives text on filled controls and tinted backgrounds 4.5:1', () => {
    expect(failures([...ON_FILL, ...ON_TINT], MIN_TEXT)).toEqual([]);
  });

  it('gives chart marks, dots and the focus ring 3:1 against the surfaces', () => {
    const marks = GRAPHICS.flatMap((fg) => ['bg', 'surface', 'surface-raised'].map((bg): [string, string] => [fg, bg]));
    expect(failures(marks, MIN_GRAPHIC)).toEqual([]);
  });

  it('measures as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(parseTokens(':root { --color-text: #112233; } @media (prefers-color-scheme: dark) { :root { --color-bg: #000000; } }')).toEqual({
      light: { text: '#112233' },
      dark: { text: '#112233', bg: '#000000' },
    });
  });
});
