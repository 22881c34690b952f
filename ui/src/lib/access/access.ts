// A client's access report as the window shows it: which events are views
// and prints and which are changes, who is named on each line, and where a
// report is saved as PDF or CSV. The report itself comes from the Rust side.
import type { AccessEntry, ReportFormat } from '../api/accounts';
import type { WrittenPdf } from '../api/exports';
import { fileIn, fileNamePart } from '../exports/destination';
import { count, pdfSummary } from '../exports/summary';
import { formatBytes } from '../photos/importing';

export type AccessFilter = 'everything' | 'views' | 'changes';

export const ACCESS_FILTERS: readonly { value: AccessFilter; label: string }[] = [
  { value: 'everything', label: 'Everything' },
  { value: 'views', label: 'Views & prints' },
  { value: 'changes', label: 'Changes' },
];

/** The stored actions that read the record (or carry it out of Pinpoint) without changing it. */
export const VIEW_ACTIONS: ReadonlySet<string> = new Set([
  'view',
  'view_photos',
  'compare',
  'print',
  'export_record',
  'export_deidentified',
  'export_photo',
]);

/** Whether an event read the record rather than changed it. */
export function isView(entry: Pick<AccessEntry, 'action'>): boolean {
  return VIEW_ACTIONS.has(entry.action);
}

/** The events `filter` keeps, in the order given. */
export function filterEntries<T extends Pick<AccessEntry, 'action'>>(entries: readonly T[], filter: AccessFilter): T[] {
  if (filter === 'everything') return [...entries];
  const views = filter === 'views';
  return entries.filter((entry) => isView(entry) === views);
}

/** Who is named on a line: the account, or "not recorded" for events from before Pinpoint named people. */
export function whoText(who: string | null): string {
  return who === null || who.trim() === '' ? 'not recorded' : who;
}

/** "12 events", "1 event". */
export function eventCount(n: number): string {
  return count(n, 'event', 'events');
}

/** What an empty table says: nothing at all, or nothing of the kind chosen. */
export function emptyText(filter: AccessFilter): string {
  switch (filter) {
    case 'everything':
      return 'Nothing is recorded about this record yet.';
    case 'views':
      return 'Nobody has opened, printed or exported this record yet.';
    case 'changes':
      return 'Nothing in this record has been changed yet.';
  }
}

const EXTENSION = /\.(pdf|csv)$/i;

/** `path` ending in the format's extension: ".pdf" or ".csv" put in place of either, or added. */
export function reportPath(path: string, format: ReportFormat): string {
  const trimmed = path.trim();
  if (trimmed === '') return '';
  return `${trimmed.replace(EXTENSION, '')}.${format}`;
}

/**
 * The path offered for a client's access report, in `folder`:
 * "<client> access report <date>.pdf", like the other documents' names.
 * The folder's own separator is kept (a Windows folder uses "\").
 */
export function suggestedReportPath(folder: string, clientName: string, date: string): string {
  return fileIn(folder, `${fileNamePart(clientName, 'Client')} access report ${date}.pdf`);
}

/** The line shown once a report is written: the PDF's pages, the CSV's size. */
export function reportSummary(format: ReportFormat, written: WrittenPdf): string {
  if (format === 'pdf') return pdfSummary('Access report', written);
  const size = formatBytes(written.bytes);
  return `Access report saved as CSV${size === '' ? '' : ` — ${size}`}`;
}
