// The idle lock's rules, apart from the page: when the window counts as
// idle, and which keys lock it at once.

/** Events that count as someone at the keyboard. */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** Whether a window last used at `lastActivity` (ms) is idle at `now` (ms) after `seconds`. */
export function isIdle(lastActivity: number, now: number, seconds: number): boolean {
  return seconds > 0 && now - lastActivity >= seconds * 1000;
}

/** Ctrl+L (Cmd+L on a Mac): lock now. */
export function isLockShortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'l';
}
