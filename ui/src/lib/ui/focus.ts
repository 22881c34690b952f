// Focus for panels and dialogs that open in place: the panel takes the focus
// when it opens, and gives it back to what opened it when it closes, so a
// keyboard user carries on where they were.

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
