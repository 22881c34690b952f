// A client's photos arranged the way the practitioner reads them: one group
// per session in date order (before, then after, then progress), then one
// per follow-up visit, then the photos linked to neither; and the date each
// photo belongs to.
import type { Photo, PhotoKind } from '../api/photos';
import type { FollowUp } from '../api/progress';
import type { TreatmentSession } from '../api/sessions';
import { courseLabel } from '../sessions/course';
import { localIsoDate } from '../dates/calendar';

type SessionFacts = Pick<TreatmentSession, 'id' | 'local_date' | 'course_position' | 'course_length'>;

export type PhotoGroup = {
  /** The session id, "visit:<id>", or "unlinked" for photos linked to neither. */
  key: string;
  session: SessionFacts | null;
  visit: Pick<FollowUp, 'id' | 'visited_on'> | null;
  /** "YYYY-MM-DD" of the session or visit; null for the unlinked group. */
  date: string | null;
  /** "2 of 6" for a session in a planned course. */
  course: string | null;
  photos: Photo[];
};

const KIND_ORDER: Record<PhotoKind, number> = { before: 0, after: 1, progress: 2 };

/** Before photos first, then after, then progress; otherwise the order given (oldest first). */
function byKind(photos: readonly Photo[]): Photo[] {
  return photos
    .map((photo, index) => ({ photo, index }))
    .sort((a, b) => KIND_ORDER[a.photo.kind] - KIND_ORDER[b.photo.kind] || a.index - b.index)
    .map((entry) => entry.photo);
}

/**
 * One group per session that has photos, in the sessions' order (they come
 * oldest first), then one per follow-up visit with photos (oldest first),
 * then one group of the photos linked to neither (or to a session or visit
 * not given), oldest first.
 */
export function photoGroups(
  photos: readonly Photo[],
  sessions: readonly SessionFacts[],
  visits: readonly Pick<FollowUp, 'id' | 'visited_on'>[] = [],
): PhotoGroup[] {
  const groups: PhotoGroup[] = [];
  const placed = new Set<string>();
  for (const session of sessions) {
    const own = photos.filter((photo) => photo.session_id === session.id);
    if (own.length === 0) continue;
    for (const photo of own) placed.add(photo.id);
    groups.push({
      key: session.id,
      session,
      visit: null,
      date: session.local_date,
      course: courseLabel(session.course_position, session.course_length),
      photos: byKind(own),
    });
  }
  for (const visit of visits) {
    const own = photos.filter((photo) => photo.follow_up_id === visit.id);
    if (own.length === 0) continue;
    for (const photo of own) placed.add(photo.id);
    groups.push({ key: `visit:${visit.id}`, session: null, visit, date: visit.visited_on, course: null, photos: byKind(own) });
  }
  const rest = photos.filter((photo) => !placed.has(photo.id));
  if (rest.length > 0) groups.push({ key: 'unlinked', session: null, visit: null, date: null, course: null, photos: [...rest] });
  return groups;
}

/** The photos of one session, before first. */
export function sessionPhotos(photos: readonly Photo[], sessionId: string): Photo[] {
  return byKind(photos.filter((photo) => photo.session_id === sessionId));
}

/**
 * The calendar date a photo belongs to ("YYYY-MM-DD"): its session's date;
 * else the day the camera says it was taken; else the day it was imported.
 */
export function photoDate(
  photo: Pick<Photo, 'session_id' | 'captured_at' | 'imported_at'>,
  sessions: readonly Pick<TreatmentSession, 'id' | 'local_date'>[],
): string {
  const session = photo.session_id === null ? undefined : sessions.find((s) => s.id === photo.session_id);
  if (session) return session.local_date;
  // The camera's local clock, without a time zone: its date is what it says.
  if (photo.captured_at && /^\d{4}-\d{2}-\d{2}/.test(photo.captured_at)) return photo.captured_at.slice(0, 10);
  const imported = new Date(photo.imported_at);
  return Number.isNaN(imported.getTime()) ? photo.imported_at.slice(0, 10) : localIsoDate(imported);
}

/** "4 photos", "1 photo". */
export function photoCount(count: number): string {
  return `${count} ${count === 1 ? 'photo' : 'photos'}`;
}
