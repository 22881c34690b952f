// Documents and exports over IPC: the progress report, treatment note and
// aftercare sheet as PDF, the client's whole record as a folder (with
// progress and cancel), de-identified photos; opening or revealing what was
// written; the folder exports start in, and the save and folder dialogs.
import { commands, events } from './bindings';
import type { ClientId, DeidentifiedSummary, ExportProgress, ExportSummary, PdfDocument, PhotoId, SessionId, WrittenPdf } from './bindings';
import { call } from './errors';

export type { DeidentifiedSummary, ExportProgress, ExportSummary, WrittenPdf };

/**
 * Writes the client's progress report to the file `path`. Its folder must
 * exist (an error on field `path` otherwise). A file already there is
 * replaced only with `replace`; otherwise the call rejects with kind
 * `conflict`, for the window to ask.
 */
export function exportReport(clientId: ClientId, path: string, replace = false): Promise<WrittenPdf> {
  return call(() => commands.exportPdf('progress_report', clientId, path.trim(), replace));
}

/** Writes a session's one-page treatment note to the file `path` (as `exportReport`). */
export function exportTreatmentNote(sessionId: SessionId, path: string, replace = false): Promise<WrittenPdf> {
  return call(() => commands.exportPdf('treatment_note', sessionId, path.trim(), replace));
}

/** Writes the client's aftercare sheet for a session to the file `path` (as `exportReport`). */
export function exportAftercare(sessionId: SessionId, path: string, replace = false): Promise<WrittenPdf> {
  return call(() => commands.exportPdf('aftercare', sessionId, path.trim(), replace));
}

/**
 * Exports the client's whole record into a new folder (named after the
 * client and today) inside the existing `folder`. Progress arrives through
 * `onExportProgress`; after `cancelExport` it rejects with kind `cancelled`
 * and leaves nothing behind.
 */
export function exportClient(clientId: ClientId, folder: string): Promise<ExportSummary> {
  return call(() => commands.exportClient(clientId, folder.trim()));
}

export function cancelExport(): Promise<null> {
  return call(() => commands.cancelExport());
}

/** Calls `handler` as a client export proceeds; resolves to a function that stops listening. */
export function onExportProgress(handler: (progress: ExportProgress) => void): Promise<() => void> {
  return events.exportProgress.listen((event) => handler(event.payload));
}

/**
 * Writes de-identified copies of the photos (all of the client's when
 * `photoIds` is empty) into a new folder inside `folder`. Refused with kind
 * `conflict` unless the client's marketing-photo consent is in force.
 */
export function exportDeidentifiedPhotos(clientId: ClientId, photoIds: PhotoId[], folder: string): Promise<DeidentifiedSummary> {
  return call(() => commands.exportDeidentifiedPhotos(clientId, photoIds, folder.trim()));
}

/** Opens a file or folder written by this window with the system's default program. */
export function openPath(path: string): Promise<null> {
  return call(() => commands.openPath(path));
}

/** Shows a file or folder written by this window in the system's file manager. */
export function revealPath(path: string): Promise<null> {
  return call(() => commands.revealPath(path));
}

/** Where exports go unless the person chooses otherwise: their documents folder, else their home folder. */
export function exportFolder(): Promise<string> {
  return call(() => commands.exportFolder());
}

/**
 * The suggested path of a document, named after the client, the document
 * and its date, in the documents folder. `id` is the client's for the
 * progress report, else the session's.
 */
export function suggestPdfPath(document: PdfDocument, id: ClientId | SessionId): Promise<string> {
  return call(() => commands.suggestPdfPath(document, id));
}

/**
 * Asks where to save a file with the system's save dialog (opened by the
 * app, which notes the choice as the person's own, "replace" included);
 * null when the person cancels. `extension` is `pdf` or `csv`.
 */
export function chooseSavePath(title: string, defaultPath: string | null = null, extension: 'pdf' | 'csv' = 'pdf'): Promise<string | null> {
  return call(() => commands.chooseSavePath(title, defaultPath?.trim() || null, extension));
}

/** Asks for a folder to write into with the system's folder picker; null when the person cancels. */
export function chooseExportFolder(title: string, defaultPath: string | null = null): Promise<string | null> {
  return call(() => commands.chooseFolder(title, defaultPath?.trim() || null, 'write'));
}
