// What an export says about itself: how far a client export has got, the
// line shown when a document or export is written, and whether the client's
// consents allow de-identified photos to leave the clinic.
import type { DeidentifiedSummary, ExportProgress, ExportSummary, WrittenPdf } from '../api/exports';
import type { Consent } from '../api/records';
import { consentStatuses } from '../consents/consents';
import { formatDate } from '../dates/calendar';
import { formatBytes } from '../photos/importing';

/** "1 page", "8 pages". */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function known(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The share of a client export done, 0 to 1 (0 before the first report). */
export function exportFraction(progress: ExportProgress | null): number {
  if (!progress || !known(progress.done_bytes) || !known(progress.total_bytes) || progress.total_bytes <= 0) return 0;
  return Math.min(1, Math.max(0, progress.done_bytes / progress.total_bytes));
}

/** The share done as a whole percentage, never 100 before the end. */
export function exportPercent(progress: ExportProgress | null): number {
  const fraction = exportFraction(progress);
  return fraction >= 1 ? 100 : Math.floor(fraction * 100);
}

/** "12 MB of 48 MB · 25 %", "Starting…" before the first report. */
export function exportProgressText(progress: ExportProgress | null): string {
  if (!progress || !known(progress.total_bytes) || progress.total_bytes <= 0) return 'Starting…';
  const done = known(progress.done_bytes) ? progress.done_bytes : 0;
  return `${formatBytes(done)} of ${formatBytes(progress.total_bytes)} · ${exportPercent(progress)} %`;
}

/** "Progress report saved — 8 pages, 12 photos, 1.4 MB" (photos only when there are some). */
export function pdfSummary(title: string, written: WrittenPdf): string {
  const parts = [count(written.pages, 'page', 'pages')];
  if (written.photos > 0) parts.push(count(written.photos, 'photo', 'photos'));
  const size = formatBytes(written.bytes);
  if (size !== '') parts.push(size);
  return `${title} saved — ${parts.join(', ')}`;
}

/** "Whole record exported — 6 sessions, 14 zones, 12 photos, a report of 8 pages, 24 MB". */
export function clientExportSummary(summary: ExportSummary): string {
  const parts = [
    count(summary.sessions, 'session', 'sessions'),
    count(summary.zones, 'treated zone', 'treated zones'),
    count(summary.photos, 'photo', 'photos'),
    `a report of ${count(summary.report_pages, 'page', 'pages')}`,
  ];
  const size = formatBytes(summary.bytes);
  if (size !== '') parts.push(size);
  return `Whole record exported — ${parts.join(', ')}`;
}

/** A warning when some originals were missing from the photo store; null when none were. */
export function missingPhotosNote(summary: ExportSummary): string | null {
  const missing = summary.photos_missing;
  if (missing <= 0) return null;
  return missing === 1
    ? '1 photo is not in the export: its original is missing from the photo store.'
    : `${missing} photos are not in the export: their originals are missing from the photo store.`;
}

/** "12 de-identified photos saved — 3.1 MB". */
export function deidentifiedSummary(summary: DeidentifiedSummary): string {
  const size = formatBytes(summary.bytes);
  return `${count(summary.files.length, 'de-identified photo', 'de-identified photos')} saved${size === '' ? '' : ` — ${size}`}`;
}

/**
 * Why de-identified photos cannot be exported on `today`, said before anyone
 * tries; null when the marketing-photo consent is in force (the Rust side
 * checks again and has the last word).
 */
export function marketingConsentNote(clientName: string, consents: readonly Consent[], today: string): string | null {
  const marketing = consentStatuses(consents, today).find((status) => status.kind === 'marketing_photos');
  if (!marketing || marketing.status === 'active') return null;
  const revokedOn = marketing.consent?.revoked_on;
  if (marketing.status === 'revoked' && revokedOn) {
    return `${clientName} revoked marketing-photo consent on ${formatDate(revokedOn)}, so de-identified photos cannot be exported.`;
  }
  return `${clientName} has not given marketing-photo consent, so de-identified photos cannot be exported. Record it on the Consents tab first.`;
}
