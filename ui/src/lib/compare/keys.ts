// The comparison viewer's keyboard: which key does what, the list the help
// overlay shows, and what Escape closes first. Free of the DOM.

export type CompareMode = 'side' | 'slider' | 'overlay' | 'difference';

export const MODES: readonly { value: CompareMode; label: string; key: string }[] = [
  { value: 'side', label: 'Side by side', key: '1' },
  { value: 'slider', label: 'Slider', key: '2' },
  { value: 'overlay', label: 'Overlay', key: '3' },
  { value: 'difference', label: 'Difference', key: '4' },
];

export type CompareAction =
  | { type: 'mode'; mode: CompareMode }
  | { type: 'zoom-in' }
  | { type: 'zoom-out' }
  | { type: 'zoom-reset' }
  /** Move the view by screen pixels. */
  | { type: 'pan'; dx: number; dy: number }
  /** Move the second photo while aligning, as fractions of the frame. */
  | { type: 'nudge'; dx: number; dy: number }
  | { type: 'rotate'; degrees: number }
  | { type: 'scale'; factor: number }
  | { type: 'align' }
  /** Align the second photo onto the first automatically. */
  | { type: 'auto-align' }
  /** Open the comparison image export. */
  | { type: 'export' }
  | { type: 'fullscreen' }
  | { type: 'help' }
  | { type: 'escape' };

export type KeyPress = {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  isComposing?: boolean;
};

export type KeyContext = {
  /** Focus is in a text or number field (the alignment inputs): keys type there. */
  typing: boolean;
  /** Focus is on a control that uses the arrow keys itself (a radio group, a range slider). */
  arrowsTaken?: boolean;
  aligning: boolean;
};

/** Screen pixels per arrow press (with Shift: a larger step). */
export const PAN_STEP = 48;
export const PAN_STEP_LARGE = 240;
/** Fraction of the frame per arrow press while aligning. */
export const NUDGE_STEP = 0.001;
export const NUDGE_STEP_LARGE = 0.01;
export const ROTATE_STEP = 0.25;
export const ROTATE_STEP_LARGE = 5;
export const SCALE_STEP = 1.005;
export const SCALE_STEP_LARGE = 1.05;

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** What a key press means in the viewer, or null when the viewer leaves it alone. */
export function compareAction(press: KeyPress, where: KeyContext): CompareAction | null {
  if (press.isComposing || press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.key === 'Escape') return { type: 'escape' };
  if (where.typing) return null;
  const large = press.shiftKey === true;

  const arrow = ARROWS[press.key];
  if (arrow && where.arrowsTaken) return null;
  if (arrow) {
    const [x, y] = arrow;
    if (where.aligning) {
      const step = large ? NUDGE_STEP_LARGE : NUDGE_STEP;
      return { type: 'nudge', dx: x * step, dy: y * step };
    }
    // The arrow says which part of the photos to look at: the view moves the other way.
    const step = large ? PAN_STEP_LARGE : PAN_STEP;
    return { type: 'pan', dx: -x * step || 0, dy: -y * step || 0 };
  }

  const mode = MODES.find((m) => m.key === press.key);
  if (mode) return { type: 'mode', mode: mode.value };

  switch (press.key) {
    case '+':
    case '=':
      return { type: 'zoom-in' };
    case '-':
    case '_':
      return { type: 'zoom-out' };
    case '0':
      return { type: 'zoom-reset' };
    case 'a':
      return { type: 'align' };
    case 'A':
      // Shift+A aligns automatically; a capital A without Shift is Caps Lock.
      if (!large) return { type: 'align' };
      return where.aligning ? null : { type: 'auto-align' };
    case 'e':
    case 'E':
      return where.aligning ? null : { type: 'export' };
    case 'f':
    case 'F':
      return { type: 'fullscreen' };
    case '?':
      return { type: 'help' };
    case '[':
    case '{':
      return where.aligning ? { type: 'rotate', degrees: -(large ? ROTATE_STEP_LARGE : ROTATE_STEP) } : null;
    case ']':
    case '}':
      return where.aligning ? { type: 'rotate', degrees: large ? ROTATE_STEP_LARGE : ROTATE_STEP } : null;
    case ',':
    case '<':
      return where.aligning ? { type: 'scale', factor: 1 / (large ? SCALE_STEP_LARGE : SCALE_STEP) } : null;
    case '.':
    case '>':
      return where.aligning ? { type: 'scale', factor: large ? SCALE_STEP_LARGE : SCALE_STEP } : null;
    default:
      return null;
  }
}

/** What Escape does, the innermost first. */
export type EscapeStep = 'close-help' | 'cancel-align' | 'exit-fullscreen' | 'leave';

export function escapeStep(state: { helpOpen: boolean; aligning: boolean; fullscreen: boolean }): EscapeStep {
  if (state.helpOpen) return 'close-help';
  if (state.aligning) return 'cancel-align';
  if (state.fullscreen) return 'exit-fullscreen';
  return 'leave';
}

/** The help overlay: keys (as shown; "Shift+A" is one chord) and what they do. */
export const SHORTCUTS: readonly { keys: string[]; does: string; aligning?: boolean }[] = [
  { keys: ['1', '2', '3', '4'], does: 'Side by side, slider, overlay, difference' },
  { keys: ['+', '−'], does: 'Zoom in, zoom out (or the mouse wheel)' },
  { keys: ['0'], does: 'Fit both photos again' },
  { keys: ['←', '→', '↑', '↓'], does: 'Pan (or drag); with Shift, further' },
  { keys: ['A'], does: 'Align the second photo onto the first by hand; again to save' },
  { keys: ['Shift+A'], does: 'Align the second photo onto the first automatically' },
  { keys: ['E'], does: 'Export the comparison as an image' },
  { keys: ['F'], does: 'Full screen' },
  { keys: ['?'], does: 'This help' },
  { keys: ['Esc'], does: 'Close help, cancel aligning, leave full screen, then leave the viewer' },
  { keys: ['←', '→', '↑', '↓'], does: 'Move the second photo (drag works too)', aligning: true },
  { keys: ['[', ']'], does: 'Turn it (Shift+drag works too)', aligning: true },
  { keys: [',', '.'], does: 'Make it smaller, larger (Ctrl+drag works too)', aligning: true },
];

/** The parts of the focused element that decide what a key press means. */
export type FocusedElement = { tagName: string; type?: string; isContentEditable?: boolean };

const TYPING_INPUTS = new Set(['text', 'search', 'number', 'email', 'tel', 'url', 'password']);
const ARROW_INPUTS = new Set(['radio', 'range', 'checkbox']);

/** Where focus is, for `compareAction`; `focused` is document.activeElement. */
export function focusContext(focused: FocusedElement | null): Pick<KeyContext, 'typing' | 'arrowsTaken'> {
  if (focused === null) return { typing: false, arrowsTaken: false };
  const tag = focused.tagName.toUpperCase();
  const type = (focused.type ?? 'text').toLowerCase();
  const typing =
    tag === 'TEXTAREA' || tag === 'SELECT' || focused.isContentEditable === true || (tag === 'INPUT' && TYPING_INPUTS.has(type));
  const arrowsTaken = !typing && tag === 'INPUT' && ARROW_INPUTS.has(type);
  return { typing, arrowsTaken };
}
