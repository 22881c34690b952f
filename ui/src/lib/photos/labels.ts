// How a photo's tags read on screen: kind, pose, zone, and the one-line
// caption used under thumbnails and in the comparison viewer.
import type { ZoneGuide } from '../api/clinic';
import type { Photo, PhotoKind, PhotoPose } from '../api/photos';
import type { TreatmentSession } from '../api/sessions';
import { formatDate } from '../dates/calendar';
import { courseLabel } from '../sessions/course';

export const PHOTO_KINDS: readonly { value: PhotoKind; label: string; hint: string }[] = [
  { value: 'before', label: 'Before', hint: 'taken before the treatment' },
  { value: 'after', label: 'After', hint: 'taken after the treatment' },
  { value: 'progress', label: 'Progress', hint: 'taken at a follow-up, between or after sessions' },
];

export const PHOTO_POSES: readonly { value: PhotoPose; label: string }[] = [
  { value: 'front', label: 'Front' },
  { value: 'left_45', label: 'Left 45°' },
  { value: 'right_45', label: 'Right 45°' },
  { value: 'left_90', label: 'Left 90°' },
  { value: 'right_90', label: 'Right 90°' },
  { value: 'custom', label: 'Other…' },
];

export function kindLabel(kind: PhotoKind): string {
  return PHOTO_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

/** "Left 45°"; a custom pose reads as its words ("Chin up"), or "Other pose" when they are missing. */
export function poseLabel(pose: PhotoPose, customPose: string | null): string {
  if (pose === 'custom') {
    const words = customPose?.trim() ?? '';
    return words === '' ? 'Other pose' : words.charAt(0).toUpperCase() + words.slice(1);
  }
  return PHOTO_POSES.find((p) => p.value === pose)?.label ?? pose;
}

/** The zone's name from the clinic settings; the key itself for a zone since removed from them. */
export function zoneName(key: string, zones: readonly Pick<ZoneGuide, 'key' | 'name'>[]): string {
  return zones.find((z) => z.key === key)?.name ?? key;
}

/** "Cheeks · Left 45°". */
export function whereLabel(
  photo: Pick<Photo, 'zone' | 'pose' | 'custom_pose'>,
  zones: readonly Pick<ZoneGuide, 'key' | 'name'>[],
): string {
  return `${zoneName(photo.zone, zones)} · ${poseLabel(photo.pose, photo.custom_pose)}`;
}

/** Whether two photos show the same zone from the same pose (what a fair comparison needs). */
export function samePose(
  a: Pick<Photo, 'zone' | 'pose' | 'custom_pose'>,
  b: Pick<Photo, 'zone' | 'pose' | 'custom_pose'>,
): boolean {
  if (a.zone !== b.zone || a.pose !== b.pose) return false;
  if (a.pose !== 'custom') return true;
  return (a.custom_pose ?? '').trim().toLowerCase() === (b.custom_pose ?? '').trim().toLowerCase();
}

/** "9 Nov 2026 · session 2 of 6", for choosing the session photos belong to. */
export function sessionChoiceLabel(
  session: Pick<TreatmentSession, 'local_date' | 'course_position' | 'course_length'>,
  locale?: string,
): string {
  const course = courseLabel(session.course_position, session.course_length);
  return course ? `${formatDate(session.local_date, locale)} · session ${course}` : formatDate(session.local_date, locale);
}

/** What a thumbnail says to a screen reader: "Before photo, Cheeks · Front, 9 Nov 2026". */
export function photoAlt(photo: Pick<Photo, 'kind' | 'zone' | 'pose' | 'custom_pose'>, zones: readonly Pick<ZoneGuide, 'key' | 'name'>[], date: string | null): string {
  const words = `${kindLabel(photo.kind)} photo, ${whereLabel(photo, zones)}`;
  return date ? `${words}, ${formatDate(date)}` : words;
}
