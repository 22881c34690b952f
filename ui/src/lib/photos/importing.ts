// The import panel's logic: the files chosen (each with its kind), the tags
// for the batch with sensible defaults, the calls to make (one per kind),
// progress across those calls, and what happened to each file.
import type { ZoneGuide } from '../api/clinic';
import type { ImportResult, ImportTags, Photo, PhotoKind } from '../api/photos';
import type { TreatmentSession } from '../api/sessions';
import type { TagForm } from './tags';

/** A file offered for import. */
export type ImportFile = {
  path: string;
  name: string;
  bytes: number | null;
  kind: PhotoKind;
  selected: boolean;
};

/** The batch's tags as the form holds them (`kind` is what new files start with). */
export type ImportForm = TagForm;

/** One `importPhotos` call: files of one kind, with the batch's tags. */
export type ImportBatch = { tags: ImportTags; paths: string[] };

/** The last part of a path, whichever separator it uses. */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/).filter((part) => part !== '');
  return parts.length === 0 ? path : parts[parts.length - 1];
}

/** Files for `paths` (from the dialog or a drop), selected, without repeats. */
export function filesFromPaths(paths: readonly string[], kind: PhotoKind): ImportFile[] {
  const seen = new Set<string>();
  const files: ImportFile[] = [];
  for (const path of paths) {
    if (path.trim() === '' || seen.has(path)) continue;
    seen.add(path);
    files.push({ path, name: fileName(path), bytes: null, kind, selected: true });
  }
  return files;
}

/** Files in the order a person reads their names: IMG_2 before IMG_10, ignoring case. */
export function byName<T extends { name: string }>(files: readonly T[]): T[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return [...files].sort((a, b) => collator.compare(a.name, b.name));
}

/** `more` added after `files`, leaving out those already there. */
export function addFiles(files: readonly ImportFile[], more: readonly ImportFile[]): ImportFile[] {
  const have = new Set(files.map((file) => file.path));
  return [...files, ...more.filter((file) => !have.has(file.path))];
}

/**
 * Where a new batch most likely belongs: the latest session; its first
 * treated zone (else the clinic's first zone); front pose; "after" when
 * that session already has its "before" photos but no "after" ones, else
 * "before".
 */
export function defaultImportForm(
  sessions: readonly Pick<TreatmentSession, 'id' | 'zones'>[],
  zones: readonly Pick<ZoneGuide, 'key'>[],
  photos: readonly Pick<Photo, 'session_id' | 'kind'>[],
): ImportForm {
  const latest = sessions.length > 0 ? sessions[sessions.length - 1] : null;
  const treated = latest?.zones.map((z) => z.zone).find((key) => zones.some((z) => z.key === key));
  const own = latest ? photos.filter((p) => p.session_id === latest.id) : [];
  const hasBefore = own.some((p) => p.kind === 'before');
  const hasAfter = own.some((p) => p.kind === 'after');
  return {
    sessionId: latest?.id ?? '',
    followUpId: '',
    kind: hasBefore && !hasAfter ? 'after' : 'before',
    zone: treated ?? zones[0]?.key ?? '',
    pose: 'front',
    customPose: '',
  };
}

/**
 * The calls to make for the selected files, one per kind in the order the
 * kinds first appear; or the errors to show, keyed by field (`files`,
 * `zone`, `custom_pose`).
 */
export function importBatches(
  form: ImportForm,
  files: readonly ImportFile[],
): { batches: ImportBatch[] | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const chosen = files.filter((file) => file.selected);
  if (chosen.length === 0) errors.files = 'choose at least one photo to import';
  if (form.zone === '') errors.zone = 'choose the zone the photos show';
  const customPose = form.customPose.trim();
  if (form.pose === 'custom' && customPose === '') errors.custom_pose = 'describe the pose, e.g. “chin raised”';
  if (Object.keys(errors).length > 0) return { batches: null, errors };

  const batches: ImportBatch[] = [];
  for (const file of chosen) {
    let batch = batches.find((b) => b.tags.kind === file.kind);
    if (!batch) {
      batch = {
        tags: {
          sessionId: form.sessionId === '' ? null : form.sessionId,
          followUpId: form.sessionId === '' && form.followUpId !== '' ? form.followUpId : null,
          kind: file.kind,
          zone: form.zone,
          pose: form.pose,
          customPose: form.pose === 'custom' ? customPose : null,
        },
        paths: [],
      };
      batches.push(batch);
    }
    batch.paths.push(file.path);
  }
  return { batches, errors };
}

/** How far the whole import is, across its calls. */
export type ImportProgress = { done: number; total: number; current: string };

/**
 * The whole import's progress from one call's report: `before` files were
 * finished by the earlier calls, `total` is every file of the import.
 */
export function overallProgress(
  report: { done: number; total: number; current: string },
  before: number,
  total: number,
): ImportProgress {
  return { done: Math.min(total, before + report.done), total, current: report.current };
}

/** The share done, 0 to 1 (0 for an empty import). */
export function progressFraction(progress: Pick<ImportProgress, 'done' | 'total'>): number {
  if (progress.total <= 0) return 0;
  return Math.min(1, Math.max(0, progress.done / progress.total));
}

/** "3 of 10 · IMG_0042.jpg", "0 of 10" before the first file is done. */
export function progressText(progress: ImportProgress): string {
  const count = `${progress.done} of ${progress.total}`;
  return progress.current === '' ? count : `${count} · ${fileName(progress.current)}`;
}

export type FileOutcome = 'imported' | 'duplicate' | 'refused' | 'cancelled';

/** One line of the results: the file, what happened, and why when it was not imported. */
export type ResultRow = { file: string; name: string; outcome: FileOutcome; message: string | null };

export function resultRow(result: ImportResult): ResultRow {
  const name = fileName(result.file);
  if (result.refused) {
    const outcome = result.refused.kind === 'cancelled' ? 'cancelled' : 'refused';
    return { file: result.file, name, outcome, message: result.refused.message };
  }
  return { file: result.file, name, outcome: result.duplicate ? 'duplicate' : 'imported', message: null };
}

/** Rows for files a call never reached (the import was cancelled before it). */
export function notReached(paths: readonly string[]): ResultRow[] {
  return paths.map((file) => ({
    file,
    name: fileName(file),
    outcome: 'cancelled' as const,
    message: `${fileName(file)} was not imported: the import was cancelled`,
  }));
}

/** Rows for the files of a call that failed as a whole (the message says why). */
export function failedCall(paths: readonly string[], message: string): ResultRow[] {
  return paths.map((file) => ({ file, name: fileName(file), outcome: 'refused' as const, message }));
}

export const OUTCOME_LABELS: Record<FileOutcome, string> = {
  imported: 'Imported',
  duplicate: 'Already stored',
  refused: 'Not imported',
  cancelled: 'Cancelled',
};

/** "2 imported · 1 already stored · 1 not imported · 3 cancelled" (parts with none left out). */
export function resultSummary(rows: readonly ResultRow[]): string {
  const count = (outcome: FileOutcome) => rows.filter((row) => row.outcome === outcome).length;
  const parts = [
    [count('imported'), 'imported'],
    [count('duplicate'), 'already stored'],
    [count('refused'), 'not imported'],
    [count('cancelled'), 'cancelled'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, words]) => `${n} ${words}`);
  return parts.length === 0 ? 'Nothing was imported' : parts.join(' · ');
}

/** "2.4 MB", "820 KB", "512 bytes"; empty when unknown. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
