// Clinical photos over IPC: import with progress and cancel, listing, tags,
// alignment (by hand and automatic), the client's portrait, comparison pairs
// and the comparison image; the native file and save dialogs and files
// dropped on the window; and the one place that knows how a photo's address
// is built.
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { commands, events } from './bindings';
import type {
  Alignment, AutoAlignment, ClientId, CompareCandidates, ComparisonUse, ExportedComparison, ImportResult, ImportableFile,
  Photo, PhotoId, PhotoImportProgress, PhotoKind, PhotoPose, PhotoTags, SessionId, FollowUpId,
} from './bindings';
import { call } from './errors';

export type {
  AlignOutcome, AlignSource, Alignment, AutoAlignment, CaptureCondition, ComparePair, CompareCandidates, ComparisonUse,
  ExportedComparison, ImportResult, ImportableFile, Photo, PhotoId, PhotoImportProgress, PhotoKind, PhotoPose, PhotoTags,
  Refusal,
} from './bindings';

/** The sizes the photo store serves: ~320 px, ~1600 px (both upright sRGB JPEG), and the file as imported. */
export type PhotoSize = 'thumb' | 'preview' | 'original';


// Every photo the window has been told about, by id: lets a comparison
// opened at `#/compare/<a>/<b>` find its photos without a round trip.
const known = new Map<PhotoId, Photo>();

function remember<T extends Photo | Photo[]>(value: T): T {
  for (const photo of Array.isArray(value) ? value : [value]) known.set(photo.id, photo);
  return value;
}

/** A photo this window has already listed, imported or changed, if any. */
export function knownPhoto(id: PhotoId): Photo | null {
  return known.get(id) ?? null;
}

/**
 * Where the window loads a photo from. The `pinpoint:` scheme is served from
 * the photo store by Rust; WebView2 (Windows) reaches custom schemes as
 * `http://<scheme>.localhost`.
 */
export function photoUrl(id: PhotoId, size: PhotoSize, platform: string = navigator.userAgent): string {
  const base = /windows/i.test(platform) ? 'http://pinpoint.localhost' : 'pinpoint://localhost';
  return `${base}/photo/${encodeURIComponent(id)}/${size}`;
}

/** A client's photos, oldest first. */
export async function listPhotos(clientId: ClientId): Promise<Photo[]> {
  return remember(await call(() => commands.listPhotos(clientId)));
}

/** What an import attaches to every file of one batch. */
export type ImportTags = {
  sessionId: SessionId | null;
  followUpId: FollowUpId | null;
  kind: PhotoKind;
  zone: string;
  pose: PhotoPose;
  customPose: string | null;
};

/**
 * Imports `paths` for a client, all with the same tags: one result per file
 * (a refused file never stops the batch). Progress arrives through
 * `onPhotoImportProgress`; `cancelPhotoImport` stops the files not yet started.
 */
export async function importPhotos(clientId: ClientId, tags: ImportTags, paths: string[]): Promise<ImportResult[]> {
  const results = await call(() =>
    commands.importPhotos(
      clientId,
      {
        session_id: tags.sessionId,
        follow_up_id: tags.followUpId,
        kind: tags.kind,
        zone: tags.zone,
        pose: tags.pose,
        custom_pose: tags.customPose,
      },
      paths,
    ),
  );
  for (const result of results) if (result.photo) remember(result.photo);
  return results;
}

export function cancelPhotoImport(): Promise<null> {
  return call(() => commands.cancelPhotoImport());
}

/** Calls `handler` for each progress report of an import; resolves to a function that stops listening. */
export function onPhotoImportProgress(handler: (progress: PhotoImportProgress) => void): Promise<() => void> {
  return events.photoImportProgress.listen((event) => handler(event.payload));
}

export async function setPhotoTags(id: PhotoId, tags: PhotoTags): Promise<Photo> {
  return remember(await call(() => commands.setPhotoTags(id, tags)));
}

/** Saves how photo `id` is aligned onto its reference, or clears it with `null`. The original is never changed. */
export async function setPhotoAlignment(id: PhotoId, alignment: Alignment | null): Promise<Photo> {
  return remember(await call(() => commands.setPhotoAlignment(id, alignment)));
}

/**
 * Aligns photo `id` onto the earlier photo `reference` automatically. The
 * alignment is saved only when Pinpoint is confident of it
 * (`outcome.applied`); over an alignment the photo already has only with
 * `replace` (otherwise the call rejects with kind `conflict`).
 */
export async function autoAlignPhoto(id: PhotoId, reference: PhotoId, replace: boolean): Promise<AutoAlignment> {
  const result = await call(() => commands.autoAlignPhoto(id, reference, replace));
  remember(result.photo);
  return result;
}

/** Makes photo `id` its client's portrait, or (`chosen` false) goes back to their latest front photo. */
export async function setPhotoPortrait(id: PhotoId, chosen: boolean): Promise<Photo> {
  return remember(await call(() => commands.setPhotoPortrait(id, chosen)));
}

/**
 * The photo showing the client's face: the one chosen, else the latest
 * front photo; null when there is neither, or the person signed in may not
 * see photos.
 */
export async function clientPortrait(clientId: ClientId): Promise<Photo | null> {
  const photo = await call(() => commands.clientPortrait(clientId));
  return photo === null ? null : remember(photo);
}

/** Bytes as base64, a slice at a time (a whole image at once would overflow the argument list). */
function base64(bytes: Uint8Array): string {
  let text = '';
  for (let at = 0; at < bytes.length; at += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(text);
}

/**
 * Writes the comparison image the viewer drew (`jpeg`, the file's bytes) of
 * photos `first` and `second` to `path`, for the client's own copy or for
 * marketing (refused with kind `conflict` unless the client's
 * marketing-photo consent is in force). A file already there is replaced
 * only with `replace`; otherwise the call rejects with kind `conflict`.
 */
export function exportComparison(
  first: PhotoId,
  second: PhotoId,
  usage: ComparisonUse,
  jpeg: Uint8Array,
  path: string,
  replace = false,
): Promise<ExportedComparison> {
  return call(() => commands.exportComparison(first, second, usage, base64(jpeg), path.trim(), replace));
}

/**
 * Asks where to save a comparison image with the system's save dialog
 * (opened by the app, which notes the choice as the person's own, "replace"
 * included), starting at `start`; null when the person cancels.
 */
export function chooseImagePath(title: string, start: string | null = null): Promise<string | null> {
  return call(() => commands.chooseSavePath(title, start?.trim() || null, 'jpg'));
}

/** The proposed before/after pair and every pair of the same zone and pose. */
export function compareCandidates(clientId: ClientId): Promise<CompareCandidates> {
  return call(() => commands.compareCandidates(clientId));
}

/** The photo files directly inside `folder` (a camera card, an export folder), by name. */
export function importableFiles(folder: string): Promise<ImportableFile[]> {
  return call(() => commands.importableFiles(folder.trim()));
}

/** Asks for photo files with the system's open dialog (opened by the app, which notes them as chosen); an empty list when the person cancels. */
export function choosePhotoFiles(): Promise<string[]> {
  return call(() => commands.choosePhotoFiles());
}

/** A drag of files over the window, as the photo screens need it. */
export type FileDrag = { type: 'enter'; paths: string[] } | { type: 'leave' } | { type: 'drop'; paths: string[] };

/**
 * Follows files dragged onto the window (paths from the operating system;
 * the page itself never sees the files). Resolves to a function that stops
 * listening.
 */
export function onFileDrag(handler: (drag: FileDrag) => void): Promise<() => void> {
  return getCurrentWebview().onDragDropEvent((event) => {
    const payload = event.payload;
    if (payload.type === 'enter') handler({ type: 'enter', paths: payload.paths });
    else if (payload.type === 'drop') handler({ type: 'drop', paths: payload.paths });
    else if (payload.type === 'leave') handler({ type: 'leave' });
  });
}

/**
 * Finds a photo by id when the window has not listed it yet (a comparison
 * opened straight at `#/compare/<a>/<b>`): every client's photos are listed
 * until it turns up. Null when no client has it.
 */
export async function findPhoto(id: PhotoId): Promise<Photo | null> {
  const cached = knownPhoto(id);
  if (cached) return cached;
  const clients = await call(() => commands.listClients(null, true));
  for (const client of clients) {
    const photos = await listPhotos(client.id);
    const found = photos.find((photo) => photo.id === id);
    if (found) return found;
  }
  return null;
}
