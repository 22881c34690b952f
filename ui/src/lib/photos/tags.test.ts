import { describe, expect, it } from 'vitest';
import { photo } from './fixtures';
import { tagForm, tagsChanged, tagsFromForm } from './tags';

describe('photo tags form', () => {
  const stored = photo({ id: 'p', session_id: 's1', kind: 'before', zone: 'cheeks', pose: 'front' });

  it('starts from the stored tags and turns back into the same tags', () => {
    const form = tagForm(stored);
    expect(form).toEqual({ sessionId: 's1', kind: 'before', zone: 'cheeks', pose: 'front', customPose: '' });
    expect(tagsFromForm(form).tags).toEqual({ session_id: 's1', kind: 'before', zone: 'cheeks', pose: 'front', custom_pose: null });
    expect(tagsChanged(form, stored)).toBe(false);
  });

  it('moves a photo out of its session and into a custom pose', () => {
    const form = { ...tagForm(stored), sessionId: '', pose: 'custom' as const, customPose: ' eyes closed ' };
    expect(tagsChanged(form, stored)).toBe(true);
    expect(tagsFromForm(form).tags).toEqual({ session_id: null, kind: 'before', zone: 'cheeks', pose: 'custom', custom_pose: 'eyes closed' });
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
