import { describe, expect, it } from 'vitest';
import { focusBackTo, tabStops, wrapTab } from './focus';
import type { RadioState } from './focus';

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

describe('tabStops', () => {
  type Control = { name: string; radio: RadioState };
  const button = (name: string): Control => ({ name, radio: null });
  const radio = (name: string, group: string, checked = false): Control => ({ name, radio: { group, checked } });

  function check(controls: Control[], expected: string[], why: string) {
    expect(tabStops(controls, (control) => control.radio).map((control) => control.name), why).toEqual(expected);
  }

  it('stops at every control that is not a radio', () => {
    check([button('cancel'), button('save')], ['cancel', 'save'], 'buttons and fields are each a stop');
  });

  it('stops once in a radio group with a choice: at the chosen radio', () => {
    check(
      [radio('retention', 'reason'), radio('request', 'reason', true), button('erase')],
      ['request', 'erase'],
      'the arrow keys move within the group; Tab passes over the radios not chosen',
    );
  });

  it('stops at each radio of a group with no choice yet', () => {
    check([radio('retention', 'reason'), radio('request', 'reason'), button('erase')], ['retention', 'request', 'erase'], 'nothing is chosen to stop at');
  });

  it('judges each group on its own', () => {
    check(
      [radio('side', 'layout', true), radio('slider', 'layout'), radio('client', 'use'), radio('marketing', 'use')],
      ['side', 'client', 'marketing'],
      'a choice in one group does not hide the radios of another',
    );
  });
});

describe('wrapTab', () => {
  const dialog = { name: 'the dialog' };
  const stops = ['first', 'middle', 'last'];

  it('goes from the last stop round to the first, and back', () => {
    expect(wrapTab(stops, 'last', dialog, false)).toBe('first');
    expect(wrapTab(stops, 'first', dialog, true)).toBe('last');
  });

  it('sends Shift+Tab from the dialog itself (focused as it opens) to the last stop', () => {
    expect(wrapTab(stops, dialog, dialog, true)).toBe('last');
  });

  it("leaves every other move to the browser's own Tab", () => {
    expect(wrapTab(stops, 'first', dialog, false)).toBeNull();
    expect(wrapTab(stops, 'middle', dialog, true)).toBeNull();
    expect(wrapTab(stops, dialog, dialog, false), 'Tab from the dialog itself lands on its first stop by itself').toBeNull();
  });

  it('does nothing in a dialog with no stops', () => {
    expect(wrapTab([], dialog, dialog, true)).toBeNull();
  });
});
