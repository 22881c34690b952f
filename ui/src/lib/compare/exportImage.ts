// The comparison image a practitioner exports, planned free of the DOM: its
// size, where each photo's frame goes (side by side, or split where the
// slider is), the caption band under the photos (Before / After, each
// photo's date, zone and pose, the client's name on their own copy only,
// the clinic's name), which photo is "Before", who may have it, where it
// may be written, and the line that says what was written. render.ts draws
// the plan.
import type { ExportedComparison, PhotoKind } from '../api/photos';
import type { Consent } from '../api/records';
import { consentStatuses } from '../consents/consents';
import { formatDate } from '../dates/calendar';
import { isAbsolutePath } from '../exports/destination';
import { formatBytes } from '../photos/importing';
import { canvasSize } from './geometry';
import type { Size, View } from './geometry';

/** Side by side, or the two photos as the slider splits them. */
export type ExportLayout = 'side' | 'slider';

/** Who the image is for (Rust's `ComparisonUse`). */
export type ExportUse = 'client_copy' | 'marketing';

/** The longest side of each photo's frame side by side, and of the one frame split by the slider. */
export const SIDE_LIMIT = 1200;
export const SLIDER_LIMIT = 1600;

export type Rect = { x: number; y: number; width: number; height: number };

/** What the caption band says about one photo. */
export type PanelText = {
  /** "Before" or "After". */
  label: string;
  /** "9 Nov 2026 · Cheeks · Front". */
  detail: string;
};

export type ComparisonInput = {
  /** The reference (first) photo's displayed size: both photos are drawn in a frame of its shape. */
  reference: Size;
  layout: ExportLayout;
  /** For the slider: where the first photo gives way to the second, as a fraction of the frame's width. */
  split: number;
  first: PanelText;
  second: PanelText;
  clinicName: string;
  /** The client's name on their own copy; null for marketing, which names nobody. */
  clientName: string | null;
};

/** One line of text, its top at `y`; `x` is its left edge, or its right edge when aligned right. */
export type TextRun = {
  text: string;
  x: number;
  y: number;
  size: number;
  bold: boolean;
  align: 'left' | 'right';
  /** The width it must fit in (the drawing shortens it with "…"). */
  maxWidth: number;
  muted: boolean;
};

/** One photo's frame on the image and the part of it that shows. */
export type FramePlan = { which: 'first' | 'second'; frame: Rect; visible: Rect };

export type ComparisonPlan = {
  width: number;
  height: number;
  frames: FramePlan[];
  /** The slider's line between the photos; null side by side. */
  divider: Rect | null;
  /** The caption band under the photos. */
  band: Rect;
  texts: TextRun[];
};

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** The layout of the exported image, in whole pixels. */
export function planComparison(input: ComparisonInput): ComparisonPlan {
  const side = input.layout === 'side';
  const frame = canvasSize(input.reference.width, input.reference.height, side ? SIDE_LIMIT : SLIDER_LIMIT);
  const gapless = side ? frame.width * 2 : frame.width;
  // The text's size follows the image's width, within what reads well.
  const unit = clamp(Math.round(gapless / 56), 14, 32);
  const margin = Math.round(unit * 0.75);
  const contentWidth = side ? frame.width * 2 + margin : frame.width;
  const width = contentWidth + 2 * margin;

  const top = margin;
  const bandTop = top + frame.height;
  const labelSize = Math.round(unit * 1.2);
  const footSize = Math.round(unit * 0.8);
  const labelY = bandTop + margin;
  const detailY = labelY + Math.round(labelSize * 1.3);
  const footY = detailY + Math.round(unit * 1.3) + Math.round(margin * 0.75);
  const height = footY + Math.round(footSize * 1.3) + margin;

  const firstFrame: Rect = { x: margin, y: top, ...frame };
  const frames: FramePlan[] = [];
  const texts: TextRun[] = [];
  const caption = (text: PanelText, x: number, align: 'left' | 'right', maxWidth: number) => {
    texts.push({ text: text.label, x, y: labelY, size: labelSize, bold: true, align, maxWidth, muted: false });
    texts.push({ text: text.detail, x, y: detailY, size: unit, bold: false, align, maxWidth, muted: false });
  };
  let divider: Rect | null = null;

  if (side) {
    const secondFrame: Rect = { x: margin + frame.width + margin, y: top, ...frame };
    frames.push({ which: 'first', frame: firstFrame, visible: firstFrame });
    frames.push({ which: 'second', frame: secondFrame, visible: secondFrame });
    caption(input.first, firstFrame.x, 'left', frame.width);
    caption(input.second, secondFrame.x, 'left', frame.width);
  } else {
    const split = clamp(Number.isFinite(input.split) ? input.split : 0.5, 0, 1);
    const at = Math.round(frame.width * split);
    frames.push({ which: 'first', frame: firstFrame, visible: { x: margin, y: top, width: at, height: frame.height } });
    frames.push({ which: 'second', frame: firstFrame, visible: { x: margin + at, y: top, width: frame.width - at, height: frame.height } });
    const line = Math.max(2, Math.round(unit / 8));
    divider = { x: margin + at - line / 2, y: top, width: line, height: frame.height };
    const half = (frame.width - margin) / 2;
    caption(input.first, margin, 'left', half);
    caption(input.second, margin + frame.width, 'right', half);
  }

  const footHalf = (contentWidth - margin) / 2;
  if (input.clientName !== null && input.clientName.trim() !== '') {
    texts.push({ text: input.clientName.trim(), x: margin, y: footY, size: footSize, bold: false, align: 'left', maxWidth: footHalf, muted: true });
  }
  const clinic = input.clinicName.trim();
  if (clinic !== '') {
    texts.push({ text: clinic, x: margin + contentWidth, y: footY, size: footSize, bold: false, align: 'right', maxWidth: footHalf, muted: true });
  }

  return { width, height, frames, divider, band: { x: 0, y: bandTop, width, height: height - bandTop }, texts };
}

/**
 * Where the slider's divider (a fraction of the stage's width) crosses the
 * photos' frame as the viewer shows it (zoomed and panned), as a fraction of
 * the frame's width: the exported image splits the photos there.
 */
export function splitInFrame(divider: number, stageWidth: number, frameWidth: number, view: View): number {
  const shown = frameWidth * view.zoom;
  if (!(shown > 0) || !(stageWidth > 0)) return 0.5;
  const left = stageWidth / 2 + view.x - shown / 2;
  return clamp((divider * stageWidth - left) / shown, 0, 1);
}

/**
 * "Before" and "After" for the first and second photos: by their dates,
 * and on the same day a before photo comes first; the reference stays the
 * first photo even when it is the later one.
 */
export function beforeAfter(
  first: { day: string; kind: PhotoKind },
  second: { day: string; kind: PhotoKind },
): [string, string] {
  const rank = (p: { day: string; kind: PhotoKind }) => `${p.day}|${p.kind === 'before' ? 0 : 1}`;
  return rank(first) <= rank(second) ? ['Before', 'After'] : ['After', 'Before'];
}

/**
 * `text` shortened with "…" until `measure` says it fits `maxWidth`; the
 * whole text when it fits.
 */
export function fitText(text: string, maxWidth: number, measure: (text: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  const characters = [...text];
  let low = 0;
  let high = characters.length;
  // The longest start that fits with the ellipsis.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measure(`${characters.slice(0, middle).join('').trimEnd()}…`) <= maxWidth) low = middle;
    else high = middle - 1;
  }
  return low === 0 ? '…' : `${characters.slice(0, low).join('').trimEnd()}…`;
}

/**
 * Why the image cannot be exported for marketing on `today`, said before
 * anyone tries; null when the client's marketing-photo consent is in force
 * (the Rust side checks again and has the last word).
 */
export function marketingRefusal(clientName: string, consents: readonly Consent[], today: string, locale?: string): string | null {
  const marketing = consentStatuses(consents, today).find((status) => status.kind === 'marketing_photos');
  if (!marketing || marketing.status === 'active') return null;
  const revokedOn = marketing.consent?.revoked_on;
  if (marketing.status === 'revoked' && revokedOn) {
    return `${clientName} revoked marketing-photo consent on ${formatDate(revokedOn, locale)}: the image can be exported for the client only.`;
  }
  return `${clientName} has not given marketing-photo consent: the image can be exported for the client only. Record that consent on the Consents tab first.`;
}

/**
 * What is wrong with a typed path for the image before anything is
 * written, in the app's lowercase style; null when it can be sent.
 */
export function imagePathProblem(path: string): string | null {
  const trimmed = path.trim();
  if (trimmed === '') return 'choose where to save the image, or type its full path';
  if (!isAbsolutePath(trimmed)) return 'give the full path from the top, e.g. /home/you/Pictures/comparison.jpg';
  if (!/\.jpe?g$/i.test(trimmed)) return 'the image is a JPEG: end the file name with .jpg';
  return null;
}

/** "Comparison image saved — 2,424 × 1,046 px, 412 KB". */
export function writtenText(written: ExportedComparison, locale?: string): string {
  const number = new Intl.NumberFormat(locale);
  const size = formatBytes(written.bytes);
  return `Comparison image saved — ${number.format(written.width)} × ${number.format(written.height)} px${size === '' ? '' : `, ${size}`}`;
}
