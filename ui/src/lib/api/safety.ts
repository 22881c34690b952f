// Data safety over IPC: the quick check at start, backups now (with progress
// and cancel), the automatic-backup settings and the events they send, and
// the folder picker for a backup folder.
import { commands, events } from './bindings';
import type { AutoBackup, BackupSummary, Schedule, VerifyReport } from './bindings';
import { call } from './errors';

export type { AutoBackup, BackupSummary, Schedule, VerifyReport };

/** How far a backup has got, in bytes. */
export type BackupProgress = { done_bytes: number; total_bytes: number };

/** The quick check: the database's integrity, the audit chain, and that every photo has its original. */
export function checkData(): Promise<VerifyReport> {
  return call(() => commands.checkData());
}

export function getAutoBackup(): Promise<AutoBackup> {
  return call(() => commands.getAutoBackup());
}

export function saveAutoBackup(settings: AutoBackup): Promise<AutoBackup> {
  return call(() => commands.saveAutoBackup(settings));
}

/**
 * Writes a backup archive into `folder` (null: the automatic-backup folder).
 * A cancelled backup rejects with an ApiError of kind `cancelled`.
 */
export function backupNow(folder: string | null): Promise<BackupSummary> {
  const trimmed = folder?.trim() ?? '';
  return call(() => commands.backupNow(trimmed === '' ? null : trimmed));
}

export function cancelBackup(): Promise<null> {
  return call(() => commands.cancelBackup());
}

/** Calls `handler` as a backup proceeds; resolves to a function that stops listening. */
export function onBackupProgress(handler: (progress: BackupProgress) => void): Promise<() => void> {
  return events.backupProgress.listen((event) =>
    handler({ done_bytes: event.payload.done_bytes ?? 0, total_bytes: event.payload.total_bytes ?? 0 }),
  );
}

/** Calls `handler` when an automatic backup has been written (at start or on exit). */
export function onAutoBackupDone(handler: (summary: BackupSummary) => void): Promise<() => void> {
  return events.autoBackupDone.listen((event) => handler(event.payload));
}

/** Calls `handler` with the reason when an automatic backup failed. */
export function onAutoBackupFailed(handler: (message: string) => void): Promise<() => void> {
  return events.autoBackupFailed.listen((event) => handler(event.payload.message));
}

/** Asks for a folder with the system's folder picker; null when the person cancels. */
export function chooseFolder(title: string, defaultPath: string | null = null): Promise<string | null> {
  return call(() => commands.chooseFolder(title, defaultPath?.trim() || null, 'write'));
}
