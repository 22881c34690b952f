// Capturing photos with the clinic's phone over IPC: open a capture (the QR
// code, its address and the certificate's fingerprint), close it, and the
// events that bring each photo as it arrives and say when a capture closed
// by itself.
import { commands, events } from './bindings';
import type { CaptureClosed, CaptureInfo, CapturePaired, CapturePhotoArrived, CaptureTarget } from './bindings';
import { call } from './errors';

export type { AlignOutcome, CaptureClosed, CaptureInfo, CapturePaired, CapturePhotoArrived, CaptureTarget } from './bindings';

/**
 * Opens a capture for a client's session, visit, or neither (an open one is
 * closed first): the page a phone reaches by scanning the code.
 */
export function openCapture(target: CaptureTarget): Promise<CaptureInfo> {
  return call(() => commands.openCapture(target));
}

/** Closes the open capture, if any: the phone's page stops working. */
export function closeCapture(): Promise<null> {
  return call(() => commands.closeCapture());
}

/** Calls `handler` for each photo a phone sends (imported or refused); resolves to a function that stops listening. */
export function onCapturePhotoArrived(handler: (arrived: CapturePhotoArrived) => void): Promise<() => void> {
  return events.capturePhotoArrived.listen((event) => handler(event.payload));
}

/** Calls `handler` when a phone opens the code (it is then spent); resolves to a function that stops listening. */
export function onCapturePaired(handler: (paired: CapturePaired) => void): Promise<() => void> {
  return events.capturePaired.listen((event) => handler(event.payload));
}

/** Calls `handler` when a capture closes by itself (its code expired unused, or the phone went quiet). */
export function onCaptureClosed(handler: (closed: CaptureClosed) => void): Promise<() => void> {
  return events.captureClosed.listen((event) => handler(event.payload));
}
