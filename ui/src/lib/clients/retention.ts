// How long a client's record is kept, and erasing it: the sentence the
// client page shows, whether the retention has passed, the reasons the
// erase dialog offers, and the typed name that must match before the
// danger button wakes up. The core decides all of it again.
import type { Erased, ErasureReason, Retention } from '../api/clients';
import { formatDate, parseIsoDate } from '../dates/calendar';

/** The dates of a record's retention ("YYYY-MM-DD"). */
export type RetentionDates = Pick<Retention, 'last_visit' | 'kept_until'>;

/**
 * Whether the name typed to confirm is the client's name as recorded, the
 * way the core compares them: ignoring case and the spaces around it.
 */
export function namesMatch(typed: string, name: string): boolean {
  const wanted = name.trim().toLowerCase();
  return wanted !== '' && typed.trim().toLowerCase() === wanted;
}

/**
 * Whether the record may be erased for retention on `today`: `keptUntil`
 * is the first day it may. False when either date cannot be read.
 */
export function retentionPassed(keptUntil: string, today: string): boolean {
  if (!parseIsoDate(keptUntil) || !parseIsoDate(today)) return false;
  // Strict "YYYY-MM-DD" dates sort as text in calendar order.
  return keptUntil <= today;
}

/** The whole years between the last visit and the end of the retention (the clinic's setting when the core worked it out). */
export function retentionYears(dates: RetentionDates): number | null {
  const last = parseIsoDate(dates.last_visit);
  const kept = parseIsoDate(dates.kept_until);
  if (!last || !kept || kept.year < last.year) return null;
  return kept.year - last.year;
}

function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Kept until 12 Mar 2035 (10 years after the last visit on 12 Mar 2025)". */
export function keptUntilText(dates: RetentionDates, locale?: string): string {
  const years = retentionYears(dates);
  const span = years === null ? 'after' : `${counted(years, 'year', 'years')} after`;
  return `Kept until ${formatDate(dates.kept_until, locale)} (${span} the last visit on ${formatDate(dates.last_visit, locale)})`;
}

/** One reason the erase dialog offers, and whether it may be chosen now. */
export type ReasonChoice = { value: ErasureReason; label: string; hint: string; enabled: boolean; testid: string };

/** The reasons to erase `dates`'s record on `today`: the retention only once it has passed. */
export function reasonChoices(dates: RetentionDates, today: string, locale?: string): ReasonChoice[] {
  const passed = retentionPassed(dates.kept_until, today);
  const keptUntil = formatDate(dates.kept_until, locale);
  return [
    {
      value: 'retention_passed',
      label: 'Its retention has passed',
      hint: passed ? `The record was kept until ${keptUntil}.` : `Not before ${keptUntil}, when its retention ends.`,
      enabled: passed,
      testid: 'erase-reason-retention',
    },
    {
      value: 'client_request',
      label: 'The client asked for it',
      hint: 'Only where the law allows erasing a medical record before its retention ends.',
      enabled: true,
      testid: 'erase-reason-request',
    },
  ];
}

/** The reason chosen when the dialog opens: the retention when it has passed, else none (the person chooses). */
export function initialReason(dates: RetentionDates, today: string): ErasureReason | null {
  return retentionPassed(dates.kept_until, today) ? 'retention_passed' : null;
}

/** Whether the erase button may be pressed: a reason that may be chosen, and the client's name typed. */
export function mayErase(dates: RetentionDates, name: string, typed: string, reason: ErasureReason | null, today: string): boolean {
  if (reason === null || !namesMatch(typed, name)) return false;
  return reason === 'client_request' || retentionPassed(dates.kept_until, today);
}

/** "Record erased: 42 rows and 6 photos removed." */
export function erasedNotice(erased: Pick<Erased, 'rows' | 'photos'>): string {
  return `Record erased: ${counted(erased.rows, 'row', 'rows')} and ${counted(erased.photos, 'photo', 'photos')} removed.`;
}
