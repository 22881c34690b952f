// How the timeline's entries read: their ids and dates, the order and month
// groups they are listed in, the interval between sessions in words, the
// next session due, an adverse event's state, a session's zones and
// products in a line each, and which two photos a thumbnail opens in the
// comparison viewer.
import type { Photo, PhotoId } from '../api/photos';
import type { AdverseEvent, IntervalFlag, SessionId, Severity, TimelineEntry } from '../api/progress';
import type { ProductUse, TreatmentSession } from '../api/sessions';
import { dateFormat, formatDate } from '../dates/calendar';
import { samePose } from '../photos/labels';
import { courseLabel } from '../sessions/course';
import { formatDepth } from '../sessions/depth';
import { phaseLabel } from '../sessions/describe';
import { dayNumber } from './chart';

export type EntryKind = TimelineEntry['type'];

/** The id of what an entry records: the session, the visit or the adverse event. */
export function entryId(entry: TimelineEntry): string {
  switch (entry.type) {
    case 'session':
      return entry.session.id;
    case 'follow_up':
      return entry.visit.id;
    case 'adverse_event':
      return entry.id;
  }
}

/** The calendar date an entry sits at ("YYYY-MM-DD"). */
export function entryDate(entry: TimelineEntry): string {
  switch (entry.type) {
    case 'session':
      return entry.session.local_date;
    case 'follow_up':
      return entry.visit.visited_on;
    case 'adverse_event':
      return entry.started_on;
  }
}

/** "Session 3 of 6", "Session", "Follow-up visit", "Adverse event". */
export function entryTitle(entry: TimelineEntry): string {
  switch (entry.type) {
    case 'session': {
      const course = courseLabel(entry.session.course_position, entry.session.course_length);
      return course ? `Session ${course}` : 'Session';
    }
    case 'follow_up':
      return 'Follow-up visit';
    case 'adverse_event':
      return 'Adverse event';
  }
}

export type Order = 'newest' | 'oldest';

export type MonthGroup<T> = { key: string; label: string; entries: T[] };

/**
 * The entries (given oldest first, as the timeline sends them) in `order`,
 * under a heading per calendar month ("November 2026").
 */
export function groupByMonth(entries: readonly TimelineEntry[], order: Order, locale?: string): MonthGroup<TimelineEntry>[] {
  const ordered = order === 'newest' ? [...entries].reverse() : entries;
  const format = dateFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const groups: MonthGroup<TimelineEntry>[] = [];
  for (const entry of ordered) {
    const date = entryDate(entry);
    const key = date.slice(0, 7);
    let group = groups[groups.length - 1];
    if (!group || group.key !== key) {
      const day = dayNumber(`${key}-01`);
      const label = Number.isFinite(day) ? format.format(new Date(day * 86_400_000)) : key;
      group = { key, label, entries: [] };
      groups.push(group);
    }
    group.entries.push(entry);
  }
  return groups;
}

/** The month groups as the rows of a windowed list: each month's heading, then its entries. */
export type MonthRow<T> = { type: 'month'; key: string; label: string } | { type: 'entry'; key: string; entry: T };

export function monthRows<T>(groups: readonly MonthGroup<T>[], keyOf: (entry: T) => string): MonthRow<T>[] {
  return groups.flatMap((group) => [
    { type: 'month' as const, key: `month:${group.key}`, label: group.label },
    ...group.entries.map((entry) => ({ type: 'entry' as const, key: keyOf(entry), entry })),
  ]);
}

/** A month's part of the rows drawn: its heading when drawn too, and its entries drawn. */
export type MonthSection<T> = { key: string; label: string; heading: boolean; entries: { key: string; entry: T }[] };

/**
 * Rows `start` to `end` as month sections again: a long course draws only
 * the rows near the view, and each drawn entry still sits in its month
 * (whose heading is drawn only when its own row is).
 */
export function monthSections<T>(rows: readonly MonthRow<T>[], start: number, end: number): MonthSection<T>[] {
  const sections: MonthSection<T>[] = [];
  let label = '';
  let key = '';
  for (let i = 0; i < end && i < rows.length; i++) {
    const row = rows[i];
    if (row.type === 'month') {
      label = row.label;
      key = row.key;
      if (i >= start) sections.push({ key, label, heading: true, entries: [] });
      continue;
    }
    if (i < start) continue;
    let section = sections[sections.length - 1];
    if (!section || section.key !== key) {
      section = { key, label, heading: false, entries: [] };
      sections.push(section);
    }
    section.entries.push({ key: row.key, entry: row.entry });
  }
  return sections;
}

/** "1 day", "42 days". */
export function daysText(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

export type IntervalNote = { text: string; tone: 'neutral' | 'warning' | 'danger'; flag: IntervalFlag };

/**
 * The gap since the session before, as the entry shows it: flagged when
 * shorter than the clinic's minimum, or later than the planned interval.
 */
export function intervalNote(days: number | null, flag: IntervalFlag, minIntervalDays: number): IntervalNote {
  if (flag === 'first' || days === null) return { text: 'First session', tone: 'neutral', flag };
  const gap = `${daysText(days)} since the previous session`;
  switch (flag) {
    case 'too_short':
      return { text: `${gap}: shorter than the clinic minimum of ${daysText(minIntervalDays)}`, tone: 'danger', flag };
    case 'overdue':
      return { text: `${gap}: later than the planned interval`, tone: 'warning', flag };
    default:
      return { text: gap, tone: 'neutral', flag };
  }
}

export type DueNote = { text: string; tone: 'neutral' | 'warning' | 'danger' };

/** When the next session of the course is due, relative to `today`; null when none is planned. */
export function nextDueNote(nextDue: string | null, overdue: boolean, today: string, locale?: string): DueNote | null {
  if (nextDue === null) return null;
  const days = dayNumber(nextDue) - dayNumber(today);
  const date = formatDate(nextDue, locale);
  if (overdue) return { text: `Next session overdue: due ${date}${days < 0 ? `, ${daysText(-days)} ago` : ''}`, tone: 'danger' };
  if (days < 0) return { text: `Next session was due ${date}, ${daysText(-days)} ago`, tone: 'warning' };
  if (days === 0) return { text: `Next session due today`, tone: 'neutral' };
  return { text: `Next session due ${date}, in ${daysText(days)}`, tone: 'neutral' };
}

export const SEVERITIES: readonly { value: Severity; label: string }[] = [
  { value: 'mild', label: 'Mild' },
  { value: 'moderate', label: 'Moderate' },
  { value: 'severe', label: 'Severe' },
];

export function severityLabel(severity: Severity): string {
  return SEVERITIES.find((s) => s.value === severity)?.label ?? severity;
}

/** "Open for 4 days" or "Resolved 12 Nov 2026, after 9 days". */
export function adverseState(
  event: Pick<AdverseEvent, 'started_on' | 'resolved_on'>,
  today: string,
  locale?: string,
): { open: boolean; text: string } {
  if (event.resolved_on === null) {
    const days = Math.max(0, dayNumber(today) - dayNumber(event.started_on));
    return { open: true, text: days === 0 ? 'Open since today' : `Open for ${daysText(days)}` };
  }
  const days = dayNumber(event.resolved_on) - dayNumber(event.started_on);
  const after = days === 0 ? 'the same day' : `after ${daysText(days)}`;
  return { open: false, text: `Resolved ${formatDate(event.resolved_on, locale)}, ${after}` };
}

/** "mild, open for 4 days" / "moderate, resolved 26 Jun 2026, after 9 days": an event in a session's entry. */
export function adverseSummary(event: Pick<AdverseEvent, 'severity' | 'started_on' | 'resolved_on'>, today: string, locale?: string): string {
  const state = adverseState(event, today, locale).text;
  return `${severityLabel(event.severity).toLowerCase()}, ${state.charAt(0).toLowerCase()}${state.slice(1)}`;
}

/** The adverse events that followed each session, by session id. */
export function eventsBySession(entries: readonly TimelineEntry[]): Map<SessionId, AdverseEvent[]> {
  const out = new Map<SessionId, AdverseEvent[]>();
  for (const entry of entries) {
    if (entry.type !== 'adverse_event' || entry.session_id === null) continue;
    out.set(entry.session_id, [...(out.get(entry.session_id) ?? []), entry]);
  }
  return out;
}

/** A session offered in a form's "session" choice: what its label needs, and its id. */
export type SessionChoice = Pick<TreatmentSession, 'id' | 'local_date' | 'course_position' | 'course_length'>;

/** "9 Nov 2026 · session 2 of 6": a session as a choice in a form or a chart label. */
export function sessionOptionLabel(
  session: { local_date: string; course_position: number | null; course_length: number | null },
  locale?: string,
): string {
  const course = courseLabel(session.course_position, session.course_length);
  return course ? `${formatDate(session.local_date, locale)} · session ${course}` : `${formatDate(session.local_date, locale)} · session`;
}

/** The header's count: "2 open adverse events", "No open adverse events". */
export function openEventsText(count: number): string {
  if (count === 0) return 'No open adverse events';
  return count === 1 ? '1 open adverse event' : `${count} open adverse events`;
}

export type Pair = { first: PhotoId; second: PhotoId };

/**
 * The two photos a thumbnail (or a chart point) opens in the comparison
 * viewer: the client's baseline for that zone and pose (the first "before"
 * photo, else the first photo) against this one; the baseline itself opens
 * against the latest photo of the same zone and pose. A photo with no
 * counterpart opens on its own, where the viewer lets the other be picked.
 * `photos` come oldest first, as `listPhotos` gives them.
 */
export function comparisonFor(id: PhotoId, photos: readonly Photo[]): Pair {
  const photo = photos.find((p) => p.id === id);
  if (!photo) return { first: id, second: id };
  const alike = photos.filter((p) => samePose(p, photo));
  const baseline = alike.find((p) => p.kind === 'before') ?? alike[0];
  if (baseline.id !== id) return { first: baseline.id, second: id };
  const latest = [...alike].reverse().find((p) => p.id !== id);
  return latest ? { first: id, second: latest.id } : { first: id, second: id };
}

/** Photo kinds in the order an entry shows them: before, then after, then progress. */
const KIND_RANK: Record<string, number> = { before: 0, after: 1, progress: 2 };

/** An entry's photos, before photos first, keeping their order within a kind. */
export function orderedPhotos<T extends { kind: string }>(photos: readonly T[]): T[] {
  return photos
    .map((photo, index) => ({ photo, index }))
    .sort((a, b) => (KIND_RANK[a.photo.kind] ?? 3) - (KIND_RANK[b.photo.kind] ?? 3) || a.index - b.index)
    .map(({ photo }) => photo);
}

/** "Cheeks 1 mm × 4, crosshatch": a treated zone in one line. */
export function zoneLine(zone: { zone_name: string; depth: number | null; passes: number; technique: string }): string {
  const passes = zone.passes > 0 ? ` × ${zone.passes}` : '';
  const technique = zone.technique.trim() === '' ? '' : `, ${zone.technique.trim()}`;
  return `${zone.zone_name} ${formatDepth(zone.depth)}${passes}${technique}`;
}

/** "Hyaluronic acid serum, lot HA-5521, during": a product applied, with its lot and when. */
export function productLine(use: ProductUse): string {
  return `${use.lot.product}, lot ${use.lot.lot_number}, ${phaseLabel(use.phase).toLowerCase()}`;
}
