// Focus for panels and dialogs that open in place: the panel takes the focus
// when it opens, and gives it back to what opened it when it closes, so a
// keyboard user carries on where they were. A modal dialog also keeps Tab
// going round its own controls while the page behind is covered.

/** Where the focus goes back to when a panel closes: its opener, if the focus was in the panel (or lost) and the opener is still there. */
export function focusBackTo(
  opener: { isConnected: boolean } | null,
  active: unknown,
  panel: { contains(node: never): boolean },
  body: unknown,
): boolean {
  if (!opener || !opener.isConnected) return false;
  return active === null || active === body || panel.contains(active as never);
}

export type HoldFocusOptions = {
  /** What takes the focus on opening; the panel itself when nothing matches. */
  first?: string;
  /** Scroll the panel into view as it opens (a panel opened in a page). */
  scroll?: boolean;
  /** Escape anywhere closes the panel when this says it did (it may refuse while busy). */
  close?: () => boolean;
};

/**
 * Svelte action for a panel or dialog opened in place: on mount it takes
 * the focus (its first match for `first`, else itself), and Escape closes
 * it through `close`; when it goes, the element focused before it gets the
 * focus back, unless the person has moved on elsewhere.
 */
export function holdFocus(node: HTMLElement, options: HoldFocusOptions = {}) {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  if (options.scroll) node.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  const target = options.first ? node.querySelector<HTMLElement>(options.first) : null;
  if (target) target.focus();
  else {
    if (!node.hasAttribute('tabindex')) node.setAttribute('tabindex', '-1');
    node.focus();
  }
  let focusInside = true;
  const track = () => (focusInside = node.contains(document.activeElement));
  node.addEventListener('focusout', () => queueMicrotask(track));
  node.addEventListener('focusin', track);
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !event.defaultPrevented && options.close?.()) event.preventDefault();
  };
  if (options.close) window.addEventListener('keydown', onKeydown);
  return {
    destroy() {
      window.removeEventListener('keydown', onKeydown);
      // The node may already be out of the page: decide from where the focus was last.
      const active = focusInside ? node : document.activeElement;
      if (focusBackTo(opener, active, node, document.body)) opener?.focus({ preventScroll: true });
    },
  };
}

/** A radio button's group and whether it is the chosen one; null for any other control. */
export type RadioState = { group: string; checked: boolean } | null;

/**
 * Where Tab stops among a dialog's controls, in order: every control but,
 * of a radio group with a choice, only the chosen radio (as the browser's
 * own Tab does).
 */
export function tabStops<T>(controls: readonly T[], radioOf: (control: T) => RadioState): T[] {
  const chosen = new Set(controls.map(radioOf).flatMap((radio) => (radio?.checked ? [radio.group] : [])));
  return controls.filter((control) => {
    const radio = radioOf(control);
    return radio === null || radio.checked || !chosen.has(radio.group);
  });
}

/**
 * Where Tab (Shift+Tab: `backwards`) must send the focus so that it goes
 * round the dialog: from its last stop to its first, from its first (or the
 * dialog itself) to its last. Null where the browser's own move stays inside.
 */
export function wrapTab<T>(stops: readonly T[], active: unknown, dialog: unknown, backwards: boolean): T | null {
  if (stops.length === 0) return null;
  const first = stops[0];
  const last = stops[stops.length - 1];
  if (backwards && (active === first || active === dialog)) return last;
  if (!backwards && active === last) return first;
  return null;
}

const CONTROLS = [
  'a[href]',
  'button:not(:disabled)',
  'input:not(:disabled)',
  'select:not(:disabled)',
  'textarea:not(:disabled)',
  'summary',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

/** Keydown handler of a modal dialog: Tab and Shift+Tab go round its own shown controls, since the page behind is covered. */
export function keepFocusInside(event: KeyboardEvent) {
  if (event.key !== 'Tab') return;
  const dialog = event.currentTarget as HTMLElement;
  const shown = [...dialog.querySelectorAll<HTMLElement>(CONTROLS)].filter((element) => element.offsetParent !== null);
  const radioOf = (element: HTMLElement): RadioState =>
    element instanceof HTMLInputElement && element.type === 'radio' ? { group: element.name, checked: element.checked } : null;
  const next = wrapTab(tabStops(shown, radioOf), document.activeElement, dialog, event.shiftKey);
  if (next) {
    event.preventDefault();
    next.focus();
  }
}
