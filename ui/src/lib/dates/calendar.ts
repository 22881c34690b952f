// Calendar dates ("YYYY-MM-DD", no time zone) and instants (RFC 3339, UTC)
// as the practitioner reads them: local dates, ages in whole years.

export type CalendarDate = { year: number; month: number; day: number };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses a strict "YYYY-MM-DD" calendar date; null when it is malformed or no such day exists. */
export function parseIsoDate(text: string): CalendarDate | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** The local calendar date of an instant, as "YYYY-MM-DD". */
export function localIsoDate(instant: Date): string {
  return `${pad(instant.getFullYear(), 4)}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`;
}

/** Today's local date as "YYYY-MM-DD". */
export function today(): string {
  return localIsoDate(new Date());
}

/**
 * Age in completed years on `onDate` for someone born on `birthDate` (both
 * "YYYY-MM-DD"). Someone born on 29 February becomes a year older on 1 March
 * in common years. Null when either date is invalid or birth is after `onDate`.
 */
export function ageOn(birthDate: string, onDate: string): number | null {
  const birth = parseIsoDate(birthDate);
  const on = parseIsoDate(onDate);
  if (!birth || !on) return null;
  let age = on.year - birth.year;
  const birthdayPassed = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  if (!birthdayPassed) age -= 1;
  return age < 0 ? null : age;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An `Intl.DateTimeFormat` for `locale` and `options`, made once and kept:
 * making one costs far more than formatting with it, and a long timeline
 * formats hundreds of dates.
 */
export function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locale ?? null, options]);
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** A calendar date for reading, e.g. "12 Apr 1983" (en-GB); the text unchanged when it is not a date. */
export function formatDate(isoDate: string, locale?: string): string {
  const date = parseIsoDate(isoDate);
  if (!date) return isoDate;
  // Noon UTC formatted in UTC: the same calendar day whatever the local zone.
  const instant = new Date(Date.UTC(date.year, date.month - 1, date.day, 12));
  return dateFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(instant);
}

/** The local calendar day of an RFC 3339 instant, e.g. "3 Mar 2025" (en-GB). */
export function formatInstantDate(rfc3339: string, locale?: string, timeZone?: string): string {
  const instant = new Date(rfc3339);
  if (Number.isNaN(instant.getTime())) return rfc3339;
  return dateFormat(locale, { dateStyle: 'medium', timeZone }).format(instant);
}

/** An RFC 3339 instant in the local time zone (or `timeZone`), e.g. "3 Mar 2025, 14:05". */
export function formatInstant(rfc3339: string, locale?: string, timeZone?: string): string {
  const instant = new Date(rfc3339);
  if (Number.isNaN(instant.getTime())) return rfc3339;
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(instant);
}

/** The local time of an RFC 3339 instant, e.g. "14:05" (en-GB). */
export function formatInstantTime(rfc3339: string, locale?: string, timeZone?: string): string {
  const instant = new Date(rfc3339);
  if (Number.isNaN(instant.getTime())) return rfc3339;
  return dateFormat(locale, { timeStyle: 'short', timeZone }).format(instant);
}
