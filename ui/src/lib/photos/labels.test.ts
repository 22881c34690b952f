import { describe, expect, it } from 'vitest';
import { ZONES, photo } from './fixtures';
import { kindLabel, photoAlt, poseLabel, samePose, sessionChoiceLabel, whereLabel, zoneName } from './labels';

describe('photo labels', () => {
  it('names kinds and poses as the practitioner says them', () => {
    expect(kindLabel('before')).toBe('Before');
    expect(kindLabel('progress')).toBe('Progress');
    expect(poseLabel('left_45', null)).toBe('Left 45°');
    expect(poseLabel('right_90', 'ignored')).toBe('Right 90°');
  });

  it('reads a custom pose as its words, capitalised, and says so when they are missing', () => {
    expect(poseLabel('custom', 'chin raised')).toBe('Chin raised');
    expect(poseLabel('custom', '  ')).toBe('Other pose');
    expect(poseLabel('custom', null)).toBe('Other pose');
  });

  it('names a zone from the settings, or shows the key of a zone no longer in them', () => {
    expect(zoneName('cheeks', ZONES)).toBe('Cheeks');
    expect(zoneName('decollete', ZONES)).toBe('decollete');
    expect(whereLabel(photo({ id: 'p', zone: 'neck', pose: 'left_90' }), ZONES)).toBe('Neck · Left 90°');
  });

  it('says a photo is comparable only with the same zone and pose (custom poses by their words)', () => {
    const a = photo({ id: 'a', zone: 'cheeks', pose: 'front' });
    expect(samePose(a, photo({ id: 'b', zone: 'cheeks', pose: 'front' }))).toBe(true);
    expect(samePose(a, photo({ id: 'b', zone: 'neck', pose: 'front' }))).toBe(false);
    expect(samePose(a, photo({ id: 'b', zone: 'cheeks', pose: 'left_45' }))).toBe(false);
    const custom = photo({ id: 'c', pose: 'custom', custom_pose: 'Chin raised' });
    expect(samePose(custom, photo({ id: 'd', pose: 'custom', custom_pose: ' chin raised ' }))).toBe(true);
    expect(samePose(custom, photo({ id: 'd', pose: 'custom', custom_pose: 'eyes closed' }))).toBe(false);
  });

  it('labels a session to choose by its date and place in the course', () => {
    expect(sessionChoiceLabel({ local_date: '2026-11-09', course_position: 2, course_length: 6 }, 'en-GB')).toBe(
      '9 Nov 2026 · session 2 of 6',
    );
    expect(sessionChoiceLabel({ local_date: '2026-11-09', course_position: null, course_length: null }, 'en-GB')).toBe(
      '9 Nov 2026',
    );
  });

  it('describes a thumbnail for screen readers', () => {
    expect(photoAlt(photo({ id: 'p', kind: 'after' }), ZONES, null)).toBe('After photo, Cheeks · Front');
  });
});
