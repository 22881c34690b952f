import { describe, expect, it } from 'vitest';
import { keepHighlight, keyContext, listAction, moveHighlight } from './keyboard';
import type { KeyContext, ListAction } from './keyboard';

const IN_SEARCH: KeyContext = { inSearch: true, typing: false, onControl: false };
const NOWHERE: KeyContext = { inSearch: false, typing: false, onControl: false };
const TYPING: KeyContext = { inSearch: false, typing: true, onControl: false };
const ON_BUTTON: KeyContext = { inSearch: false, typing: false, onControl: true };

function check(key: string, where: KeyContext, expected: ListAction | null, modifiers = {}) {
  expect(listAction({ key, ...modifiers }, where), `${key} in ${JSON.stringify(where)}`).toBe(expected);
}

describe('listAction', () => {
  it('moves and opens from the search box', () => {
    check('ArrowDown', IN_SEARCH, 'down');
    check('ArrowUp', IN_SEARCH, 'up');
    check('Enter', IN_SEARCH, 'open');
  });

  it('lets "/" and "n" be typed into the search box and other text fields', () => {
    check('/', IN_SEARCH, null);
    check('n', IN_SEARCH, null);
    check('/', TYPING, null);
    check('n', TYPING, null);
  });

  it('uses "/" and "n" as shortcuts when not typing', () => {
    check('/', NOWHERE, 'focus-search');
    check('n', NOWHERE, 'new-client');
    check('N', NOWHERE, 'new-client');
    check('n', ON_BUTTON, 'new-client');
  });

  it('leaves Enter and arrows to buttons and text fields', () => {
    check('Enter', ON_BUTTON, null);
    check('ArrowDown', ON_BUTTON, null);
    check('ArrowDown', TYPING, null);
  });

  it('ignores keys with modifiers and during composition', () => {
    check('n', NOWHERE, null, { ctrlKey: true });
    check('n', NOWHERE, null, { metaKey: true });
    check('/', NOWHERE, null, { altKey: true });
    check('Enter', IN_SEARCH, null, { isComposing: true });
    check('x', NOWHERE, null);
  });
});

describe('moveHighlight', () => {
  it('moves one row and stops at both ends', () => {
    expect(moveHighlight(0, 1, 3)).toBe(1);
    expect(moveHighlight(2, 1, 3), 'no wrap past the last row').toBe(2);
    expect(moveHighlight(0, -1, 3), 'no wrap past the first row').toBe(0);
  });

  it('starts from the top going down and from the bottom going up', () => {
    expect(moveHighlight(-1, 1, 3)).toBe(0);
    expect(moveHighlight(-1, -1, 3)).toBe(2);
  });

  it('has nothing to highlight in an empty list', () => {
    expect(moveHighlight(0, 1, 0)).toBe(-1);
  });
});

describe('keepHighlight', () => {
  const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

  it('follows the same record to its new place', () => {
    expect(keepHighlight(rows, 'c')).toBe(2);
  });

  it('falls back to the first row', () => {
    expect(keepHighlight(rows, 'gone')).toBe(0);
    expect(keepHighlight(rows, null)).toBe(0);
    expect(keepHighlight([], 'a')).toBe(-1);
  });
});

describe('keyContext', () => {
  const search = { tagName: 'INPUT', type: 'search' };

  it('knows the search box', () => {
    expect(keyContext(search, search)).toEqual(IN_SEARCH);
  });

  it('treats text inputs, text areas, selects and editable content as typing', () => {
    for (const el of [
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'INPUT', type: 'date' },
      { tagName: 'input' },
      { tagName: 'TEXTAREA' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
    ]) {
      expect(keyContext(el, search), JSON.stringify(el)).toEqual(TYPING);
    }
  });

  it('treats buttons, links and checkboxes as controls', () => {
    for (const el of [{ tagName: 'BUTTON' }, { tagName: 'A' }, { tagName: 'INPUT', type: 'checkbox' }]) {
      expect(keyContext(el, search), JSON.stringify(el)).toEqual(ON_BUTTON);
    }
  });

  it('treats the page itself as free for shortcuts', () => {
    expect(keyContext({ tagName: 'BODY' }, search)).toEqual(NOWHERE);
    expect(keyContext(null, search)).toEqual(NOWHERE);
  });
});
