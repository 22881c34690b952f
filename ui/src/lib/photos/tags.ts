// Changing a stored photo's tags: the form (text and choices, as typed) and
// the PhotoTags it becomes, checked the way the Rust side checks them.
import type { Photo, PhotoKind, PhotoPose, PhotoTags } from '../api/photos';

/** A photo's tags as a form holds them; '' means no session or no visit. */
export type TagForm = {
  sessionId: string;
  followUpId: string;
  kind: PhotoKind;
  zone: string;
  pose: PhotoPose;
  customPose: string;
};

type TaggedPhoto = Pick<Photo, 'session_id' | 'follow_up_id' | 'kind' | 'zone' | 'pose' | 'custom_pose'>;

export function tagForm(photo: TaggedPhoto): TagForm {
  return {
    sessionId: photo.session_id ?? '',
    followUpId: photo.follow_up_id ?? '',
    kind: photo.kind,
    zone: photo.zone,
    pose: photo.pose,
    customPose: photo.custom_pose ?? '',
  };
}

/** The tags to save, or errors keyed by field (`zone`, `custom_pose`). */
export function tagsFromForm(form: TagForm): { tags: PhotoTags | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (form.zone === '') errors.zone = 'choose the zone the photo shows';
  const customPose = form.customPose.trim();
  if (form.pose === 'custom' && customPose === '') errors.custom_pose = 'describe the pose, e.g. “chin raised”';
  if (Object.keys(errors).length > 0) return { tags: null, errors };
  return {
    tags: {
      session_id: form.sessionId === '' ? null : form.sessionId,
      follow_up_id: form.sessionId === '' && form.followUpId !== '' ? form.followUpId : null,
      kind: form.kind,
      zone: form.zone,
      pose: form.pose,
      custom_pose: form.pose === 'custom' ? customPose : null,
    },
    errors,
  };
}

/** Whether the form says something different from the photo's stored tags. */
export function tagsChanged(form: TagForm, photo: TaggedPhoto): boolean {
  const stored = tagForm(photo);
  return (
    form.sessionId !== stored.sessionId ||
    form.followUpId !== stored.followUpId ||
    form.kind !== stored.kind ||
    form.zone !== stored.zone ||
    form.pose !== stored.pose ||
    (form.pose === 'custom' && form.customPose.trim() !== stored.customPose.trim())
  );
}
