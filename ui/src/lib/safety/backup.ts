// The Backups section of Settings: the automatic-backup form (checked the
// way the Rust side checks it), and how a backup's progress and result read.
import type { AutoBackup, BackupProgress, BackupSummary, Schedule } from '../api/safety';
import { formatInstant } from '../dates/calendar';
import { formatBytes } from '../photos/importing';

export const SCHEDULES: readonly { value: Schedule; label: string; title: string }[] = [
  { value: 'off', label: 'Off', title: 'Only when you press Back up now' },
  { value: 'daily', label: 'Daily', title: 'When Pinpoint starts, if the last backup is a day old or more' },
  { value: 'on_exit', label: 'On exit', title: 'Each time Pinpoint closes' },
];

export const MAX_KEEP = 1000;

export type BackupForm = { folder: string; schedule: Schedule; keep: string };

export function backupForm(settings: AutoBackup): BackupForm {
  return { folder: settings.folder ?? '', schedule: settings.schedule, keep: String(settings.keep) };
}

/** The settings to save (keeping `stored.last_at`), or errors keyed by field (`folder`, `keep`). */
export function backupFromForm(
  form: BackupForm,
  stored: AutoBackup,
): { settings: AutoBackup | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const folder = form.folder.trim();
  if (form.schedule !== 'off' && folder === '') errors.folder = 'choose the folder automatic backups go to';
  const keepText = form.keep.trim();
  const keep = /^\d+$/.test(keepText) ? Number(keepText) : NaN;
  if (!Number.isInteger(keep) || keep < 1 || keep > MAX_KEEP) errors.keep = `keep 1 to ${MAX_KEEP} backups`;
  if (Object.keys(errors).length > 0) return { settings: null, errors };
  return { settings: { folder: folder === '' ? null : folder, schedule: form.schedule, keep, last_at: stored.last_at }, errors };
}

/** Whether the form differs from what is stored. */
export function backupFormChanged(form: BackupForm, stored: AutoBackup): boolean {
  const saved = backupForm(stored);
  return form.folder.trim() !== saved.folder || form.schedule !== saved.schedule || form.keep.trim() !== saved.keep;
}

/** "Last automatic backup 3 Mar 2026, 14:05", or that there has been none. */
export function lastBackupText(lastAt: string | null, locale?: string, timeZone?: string): string {
  return lastAt === null ? 'No automatic backup yet' : `Last automatic backup ${formatInstant(lastAt, locale, timeZone)}`;
}

/** The share done, 0 to 1. */
export function backupFraction(progress: BackupProgress | null): number {
  if (!progress || !(progress.total_bytes > 0)) return 0;
  return Math.min(1, Math.max(0, progress.done_bytes / progress.total_bytes));
}

/** "12 MB of 48 MB · 25 %", "Starting…" before the first report. */
export function backupProgressText(progress: BackupProgress | null): string {
  if (!progress || !(progress.total_bytes > 0)) return 'Starting…';
  const percent = Math.floor(backupFraction(progress) * 100);
  return `${formatBytes(progress.done_bytes)} of ${formatBytes(progress.total_bytes)} · ${percent} %`;
}

/** "12 MB, 41 parts" for a finished backup. */
export function backupSizeText(summary: Pick<BackupSummary, 'bytes' | 'parts'>): string {
  const parts = `${summary.parts} ${summary.parts === 1 ? 'part' : 'parts'}`;
  const size = formatBytes(summary.bytes);
  return size === '' ? parts : `${size}, ${parts}`;
}
