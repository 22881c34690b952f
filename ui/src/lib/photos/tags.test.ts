import { describe, expect, it } from 'vitest';
import { photo } from './fixtures';
import { tagForm, tagsChanged, tagsFromForm } from './tags';

describe('photo tags form', () => {
  const stored = photo({ id: 'p', session_id: 's1', kind: 'before', zone: 'cheeks', pose: 'front' });

  it('starts from the stored tags and turns back into the same tags', () => {
    const form = tagForm(stored);
    expect(form).toEqual({ sessionId: 's1', followUpId: '', kind: 'before', zone: 'cheeks', pose: 'front', customPose: '' });
    expect(tagsFromForm(form).tags).toEqual({ session_id: 's1', follow_up_id: null, kind: 'before', zone: 'cheeks', pose: 'front', custom_pose: null });
    expect(tagsChanged(form, stored)).toBe(false);
  });

  it('moves a photo out of its session and into a custom pose', () => {
    const form = { ...tagForm(stored), sessionId: '', pose: 'custom' as const, customPose: ' eyes closed ' };
    expect(tagsChanged(form, stored)).toBe(true);
    expect(tagsFromForm(form).tags).toEqual({ session_id: null, follow_up_id: null, kind: 'before', zone: 'cheeks', pose: 'custom', custom_pose: 'eyes closed' });
  });

  it('moves a photo from its session to a follow-up visit, and back', () => {
    const atVisit = { ...tagForm(stored), sessionId: '', followUpId: 'v1' };
    expect(tagsChanged(atVisit, stored)).toBe(true);
    expect(tagsFromForm(atVisit).tags).toMatchObject({ session_id: null, follow_up_id: 'v1' });
    const onVisit = photo({ id: 'v', follow_up_id: 'v1' });
    expect(tagForm(onVisit)).toMatchObject({ sessionId: '', followUpId: 'v1' });
    expect(tagsFromForm({ ...tagForm(onVisit), sessionId: 's2' }).tags).toMatchObject({ session_id: 's2', follow_up_id: null });
  });

  it('drops the words of a custom pose once another pose is chosen', () => {
    const form = { ...tagForm(photo({ id: 'q', pose: 'custom', custom_pose: 'chin up' })), pose: 'left_45' as const };
    expect(tagsFromForm(form).tags?.custom_pose).toBeNull();
  });

  it('refuses a custom pose without words and a missing zone', () => {
    const result = tagsFromForm({ ...tagForm(stored), zone: '', pose: 'custom', customPose: '' });
    expect(result.tags).toBeNull();
    expect(Object.keys(result.errors).sort()).toEqual(['custom_pose', 'zone']);
  });
});
