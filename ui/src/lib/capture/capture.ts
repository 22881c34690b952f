// What the "Capture with a phone" dialog says and shows: the QR code as an
// image, the time the code has left, the certificate's fingerprint in
// groups, each photo as it arrives with what alignment made of it, and why a
// capture closed by itself. The dialog only draws what these rules give.
import type { CaptureTarget } from '../api/capture';
import type { ZoneGuide } from '../api/clinic';
import type { ImportResult, Photo } from '../api/photos';
import { kindLabel, whereLabel } from '../photos/labels';

/**
 * The QR code's SVG document as an image address, so the page shows it
 * through an `<img>` (never as markup in the page).
 */
export function qrImageSrc(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The whole seconds a code opened at `openedAt` (ms) for `expiresIn` seconds has left at `now` (ms); never below 0. */
export function secondsLeft(openedAt: number, expiresIn: number, now: number): number {
  const elapsed = Math.max(0, now - openedAt) / 1000;
  return Math.max(0, Math.ceil(expiresIn - elapsed));
}

/** "9:41", "0:05", "12:00". */
export function clockText(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** What the line under the code says: the time it still pairs a phone, or that it has run out. */
export function codeText(left: number): string {
  if (left <= 0) return 'The code has run out: a phone that has not scanned it yet needs a new code.';
  return `The code works once, for ${clockText(left)} more`;
}

/**
 * What the dialog shows: the capture opening, refused, waiting for a phone
 * (the code and how to trust the certificate), in use by a phone (a photo
 * has come: the code is spent, so only the photos are shown), or closed by
 * itself.
 */
export type CaptureStage = 'opening' | 'failed' | 'waiting' | 'paired' | 'closed';

export function captureStage(state: { opened: boolean; failed: boolean; closed: boolean; paired: boolean }): CaptureStage {
  if (state.failed) return 'failed';
  if (!state.opened) return 'opening';
  if (state.closed) return 'closed';
  return state.paired ? 'paired' : 'waiting';
}

/** The fingerprint's first groups, shown large to compare at a glance, and the rest. */
export type FingerprintParts = { start: string; rest: string };

/** "AB:CD:EF:01:23:…" → its first `count` groups, and the others (both joined with ":"). */
export function fingerprintParts(fingerprint: string, count = 4): FingerprintParts {
  const groups = fingerprint.trim().split(':').filter((group) => group !== '');
  return { start: groups.slice(0, count).join(':'), rest: groups.slice(count).join(':') };
}

/** The address the phone's browser names in its warning ("192.168.1.20"), from the code's URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url;
  }
}

/** Whether an event is about the capture this dialog opened. */
export function sameTarget(a: CaptureTarget, b: CaptureTarget): boolean {
  return a.client_id === b.client_id && a.session_id === b.session_id && a.follow_up_id === b.follow_up_id;
}

export type ArrivalTone = 'success' | 'warning' | 'danger';

/** One photo the phone sent, as the dialog lists it. */
export type Arrival = {
  /** The photo's id; a refused file gets one of its own. */
  key: string;
  photo: Photo | null;
  /** "Before · Cheeks · Left 45°", or the file's name when it was refused. */
  title: string;
  /** What became of it: saved and lined up, saved but not lining up, refused. */
  outcome: string;
  tone: ArrivalTone;
};

function percent(confidence: number): number {
  return Math.round(Math.min(1, Math.max(0, Number.isFinite(confidence) ? confidence : 0)) * 100);
}

/** What became of a photo the phone sent, in words, and how it should look. */
export function arrivalOutcome(result: ImportResult): { outcome: string; tone: ArrivalTone } {
  if (result.refused || !result.photo) {
    return { outcome: result.refused?.message ?? 'the photo was not stored', tone: 'danger' };
  }
  if (result.duplicate) return { outcome: 'Already saved: the phone sent the same photo again', tone: 'success' };
  const alignment = result.alignment;
  if (!alignment) return { outcome: 'Saved; no earlier photo of this zone and pose to line up with', tone: 'success' };
  if (alignment.applied && alignment.confidence !== null) {
    return { outcome: `Lines up with the earlier photo — ${percent(alignment.confidence)}%`, tone: 'success' };
  }
  if (alignment.applied) return { outcome: 'Lines up with the earlier photo', tone: 'success' };
  if (alignment.confidence === null) {
    return { outcome: 'Could not be lined up with the earlier photo: consider retaking', tone: 'warning' };
  }
  return {
    outcome: `Does not line up with the earlier photo (${percent(alignment.confidence)}%): consider retaking`,
    tone: 'warning',
  };
}

/** The file name at the end of a path or a phone's name for it. */
function fileName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** An arrival from what the core made of the upload; `seq` tells refused files apart. */
export function arrivalOf(result: ImportResult, zones: readonly Pick<ZoneGuide, 'key' | 'name'>[], seq: number): Arrival {
  const { outcome, tone } = arrivalOutcome(result);
  const photo = result.refused ? null : result.photo;
  return {
    key: photo ? photo.id : `refused:${seq}`,
    photo,
    title: photo ? `${kindLabel(photo.kind)} · ${whereLabel(photo, zones)}` : fileName(result.file) || 'A photo',
    outcome,
    tone,
  };
}

/** The list with `arrival` first (the newest on top); a photo sent again takes its earlier place's. */
export function addArrival(list: readonly Arrival[], arrival: Arrival): Arrival[] {
  return [arrival, ...list.filter((earlier) => earlier.key !== arrival.key)];
}

/** "3 photos arrived", "1 photo arrived, 1 refused"; empty before the first. */
export function arrivalsSummary(list: readonly Arrival[]): string {
  const saved = list.filter((a) => a.photo !== null).length;
  const refused = list.length - saved;
  if (list.length === 0) return '';
  const parts = [`${saved} ${saved === 1 ? 'photo' : 'photos'} saved`];
  if (refused > 0) parts.push(`${refused} refused`);
  return parts.join(', ');
}

/** Why the capture stopped by itself, as the dialog says it ("The capture closed: the code expired …"). */
export function closedText(why: string): string {
  const reason = why.trim().replace(/[.\s]+$/, '');
  return reason === '' ? 'The capture closed.' : `The capture closed: ${reason}.`;
}

/**
 * Wraps a refresh so calls that come while one runs make one more run after
 * it, not one each: photos arriving in a burst read the page's lists again
 * at most twice.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      try {
        await run();
      } catch {
        // A failed refresh leaves the lists as they were; the next photo tries again.
      }
    } while (again);
    running = null;
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = loop();
    return running;
  };
}
