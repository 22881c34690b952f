import { describe, expect, it } from 'vitest';
import { focusBackTo } from './focus';

describe('focusBackTo', () => {
  const body = { name: 'body' };
  const inside = { name: 'a field of the panel' };
  const elsewhere = { name: 'the search box' };
  const panel = { contains: (node: never) => node === (inside as never) };
  const opener = { isConnected: true };

  it('gives the focus back to the opener when it was in the panel, or lost with it', () => {
    expect(focusBackTo(opener, inside, panel, body)).toBe(true);
    expect(focusBackTo(opener, body, panel, body), 'the panel took the focused field with it').toBe(true);
    expect(focusBackTo(opener, null, panel, body)).toBe(true);
  });

  it('leaves the focus where the person moved it', () => {
    expect(focusBackTo(opener, elsewhere, panel, body)).toBe(false);
  });

  it('does nothing when nothing opened it or the opener is gone', () => {
    expect(focusBackTo(null, inside, panel, body)).toBe(false);
    expect(focusBackTo({ isConnected: false }, inside, panel, body)).toBe(false);
  });
});
