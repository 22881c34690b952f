// Keyboard use of the client list: which key does what, and where the
// highlighted row goes. Kept free of the DOM so it can be tested.

export type ListAction = 'up' | 'down' | 'open' | 'focus-search' | 'new-client';

export type KeyPress = {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  isComposing?: boolean;
};

export type KeyContext = {
  /** Focus is in the search box. */
  inSearch: boolean;
  /** Focus is in some other place that takes text (or a select). */
  typing: boolean;
  /** Focus is on a control that handles Enter itself (a button, link, checkbox). */
  onControl: boolean;
};

/** What a key press means on the client list, or null when the list leaves it alone. */
export function listAction(press: KeyPress, where: KeyContext): ListAction | null {
  if (press.isComposing || press.ctrlKey || press.metaKey || press.altKey) return null;
  const free = !where.inSearch && !where.typing && !where.onControl;
  switch (press.key) {
    case 'ArrowDown':
      return where.inSearch || free ? 'down' : null;
    case 'ArrowUp':
      return where.inSearch || free ? 'up' : null;
    case 'Enter':
      return where.inSearch || free ? 'open' : null;
    case '/':
      return where.inSearch || where.typing ? null : 'focus-search';
    case 'n':
    case 'N':
      return where.inSearch || where.typing ? null : 'new-client';
    default:
      return null;
  }
}

/**
 * The highlighted row after moving by `step`: stops at the ends; from no
 * highlight, down starts at the top and up at the bottom. -1 when the list is empty.
 */
export function moveHighlight(current: number, step: number, count: number): number {
  if (count === 0) return -1;
  if (current < 0 || current >= count) return step > 0 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + step));
}

/** The row to highlight in fresh results: the same record if it is still there, else the first. */
export function keepHighlight<T extends { id: string }>(results: readonly T[], previousId: string | null): number {
  if (results.length === 0) return -1;
  const index = previousId === null ? -1 : results.findIndex((row) => row.id === previousId);
  return index >= 0 ? index : 0;
}

/** The parts of a focused element that decide what a key press means. */
export type FocusedElement = {
  tagName: string;
  type?: string;
  isContentEditable?: boolean;
};

const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'email',
  'tel',
  'url',
  'password',
  'number',
  'date',
  'datetime-local',
  'month',
  'time',
  'week',
]);

/** Where focus is, for `listAction`. `focused` is document.activeElement. */
export function keyContext(focused: FocusedElement | null, searchBox: FocusedElement | null): KeyContext {
  if (focused === null) return { inSearch: false, typing: false, onControl: false };
  const tag = focused.tagName.toUpperCase();
  const inSearch = searchBox !== null && focused === searchBox;
  const typing =
    !inSearch &&
    (tag === 'TEXTAREA' ||
      tag === 'SELECT' ||
      focused.isContentEditable === true ||
      (tag === 'INPUT' && TEXT_INPUT_TYPES.has((focused.type ?? 'text').toLowerCase())));
  const onControl = !inSearch && !typing && ['BUTTON', 'A', 'INPUT', 'SUMMARY'].includes(tag);
  return { inSearch, typing, onControl };
}
