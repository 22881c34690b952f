// Choosing the two photos to compare: the pair to open with, the zone and
// pose filters, and the caption each photo carries in the viewer.
import type { ZoneGuide } from '../api/clinic';
import type { CompareCandidates, Photo, PhotoId } from '../api/photos';
import type { TreatmentSession } from '../api/sessions';
import { formatDate } from '../dates/calendar';
import { photoDate } from '../photos/grouping';
import { kindLabel, poseLabel, zoneName } from '../photos/labels';
import { courseLabel } from '../sessions/course';

export type Pair = { first: PhotoId; second: PhotoId };

/**
 * The pair to open with: the proposed one (first session's before against
 * the latest after), else the first possible pair from different visits,
 * else a before and a later after of the same zone and pose (the same
 * visit), else the client's first and last photos; null with fewer than two.
 */
export function openingPair(
  candidates: CompareCandidates | null,
  photos: readonly Pick<Photo, 'id' | 'kind' | 'zone' | 'pose' | 'custom_pose'>[],
): Pair | null {
  const exists = (id: PhotoId) => photos.some((p) => p.id === id);
  const usable = (pair: Pair | null | undefined): pair is Pair =>
    Boolean(pair) && exists(pair!.first) && exists(pair!.second) && pair!.first !== pair!.second;
  if (usable(candidates?.proposed)) return { first: candidates!.proposed!.first, second: candidates!.proposed!.second };
  const possible = candidates?.pairs.find((pair) => usable(pair));
  if (possible) return { first: possible.first, second: possible.second };
  for (const before of photos.filter((p) => p.kind === 'before')) {
    const later = photos.filter((p) => p.kind !== 'before' && p.zone === before.zone && poseKey(p) === poseKey(before));
    if (later.length > 0) return { first: before.id, second: later[later.length - 1].id };
  }
  if (photos.length >= 2) return { first: photos[0].id, second: photos[photos.length - 1].id };
  return null;
}

/** A pose as a filter value: the pose, or "custom:<words>" so different custom poses are told apart. */
export function poseKey(photo: Pick<Photo, 'pose' | 'custom_pose'>): string {
  return photo.pose === 'custom' ? `custom:${(photo.custom_pose ?? '').trim().toLowerCase()}` : photo.pose;
}

export type FilterOption = { value: string; label: string; count: number };

/** The zones among `photos`, in the clinic's order, with how many photos each has. */
export function zoneOptions(photos: readonly Photo[], zones: readonly Pick<ZoneGuide, 'key' | 'name'>[]): FilterOption[] {
  const keys = [...new Set(photos.map((p) => p.zone))];
  const rank = (key: string) => {
    const index = zones.findIndex((z) => z.key === key);
    return index < 0 ? zones.length : index;
  };
  return keys
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((key) => ({ value: key, label: zoneName(key, zones), count: photos.filter((p) => p.zone === key).length }));
}

const POSE_ORDER = ['front', 'left_45', 'right_45', 'left_90', 'right_90'];

/** The poses among `photos` (of the chosen zone, when one is), front first. */
export function poseOptions(photos: readonly Photo[], zone: string): FilterOption[] {
  const shown = zone === '' ? photos : photos.filter((p) => p.zone === zone);
  const byKey = new Map<string, Photo[]>();
  for (const photo of shown) byKey.set(poseKey(photo), [...(byKey.get(poseKey(photo)) ?? []), photo]);
  const rank = (key: string) => {
    const index = POSE_ORDER.indexOf(key);
    return index < 0 ? POSE_ORDER.length : index;
  };
  return [...byKey.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([value, list]) => ({ value, label: poseLabel(list[0].pose, list[0].custom_pose), count: list.length }));
}

/** The photos of `zone` and pose key `pose` ('' for any). */
export function filterPhotos(photos: readonly Photo[], zone: string, pose: string): Photo[] {
  return photos.filter((p) => (zone === '' || p.zone === zone) && (pose === '' || poseKey(p) === pose));
}

/** What the viewer says about one photo. */
export type Caption = {
  /** "Before". */
  kind: string;
  /** "9 Nov 2026". */
  date: string;
  /** The same day as "2026-11-09". */
  day: string;
  /** "Session 2 of 6", "Session", or "Follow-up" for a photo outside a session. */
  visit: string;
  /** "Cheeks · Front". */
  where: string;
};

export function caption(
  photo: Photo,
  sessions: readonly Pick<TreatmentSession, 'id' | 'local_date' | 'course_position' | 'course_length'>[],
  zones: readonly Pick<ZoneGuide, 'key' | 'name'>[],
  locale?: string,
): Caption {
  const session = sessions.find((s) => s.id === photo.session_id);
  const course = session ? courseLabel(session.course_position, session.course_length) : null;
  const day = photoDate(photo, sessions);
  return {
    kind: kindLabel(photo.kind),
    date: formatDate(day, locale),
    day,
    visit: session ? (course ? `Session ${course}` : 'Session') : 'Follow-up',
    where: `${zoneName(photo.zone, zones)} · ${poseLabel(photo.pose, photo.custom_pose)}`,
  };
}

/** "Before · 9 Nov 2026 · Session 1 of 6 · Cheeks · Front". */
export function captionText(c: Caption): string {
  return `${c.kind} · ${c.date} · ${c.visit} · ${c.where}`;
}
