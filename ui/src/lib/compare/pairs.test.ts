import { describe, expect, it } from 'vitest';
import { ZONES, photo, session } from '../photos/fixtures';
import { caption, captionText, filterPhotos, openingPair, poseKey, poseOptions, zoneOptions } from './pairs';

const PHOTOS = [
  photo({ id: 'b1', session_id: 's1', zone: 'cheeks', pose: 'front' }),
  photo({ id: 'b2', session_id: 's1', zone: 'cheeks', pose: 'left_45' }),
  photo({ id: 'n1', session_id: 's1', zone: 'neck', pose: 'custom', custom_pose: 'Chin up' }),
  photo({ id: 'a1', session_id: 's2', zone: 'cheeks', pose: 'front', kind: 'after' }),
  photo({ id: 'f1', session_id: null, zone: 'forehead', pose: 'front', kind: 'progress', captured_at: '2027-01-05T10:00:00' }),
];

describe('openingPair', () => {
  const pair = (first: string, second: string) => ({ first, second, zone: 'cheeks', pose: 'front' as const, custom_pose: null });

  it('opens on the proposed pair', () => {
    expect(openingPair({ proposed: pair('b1', 'a1'), pairs: [pair('b2', 'a1')] }, PHOTOS)).toEqual({ first: 'b1', second: 'a1' });
  });

  it('falls back to the first possible pair, then to a before and after, then to the first and last photos', () => {
    expect(openingPair({ proposed: null, pairs: [pair('b2', 'a1')] }, PHOTOS)).toEqual({ first: 'b2', second: 'a1' });
    expect(openingPair({ proposed: pair('gone', 'a1'), pairs: [] }, PHOTOS), 'a pair naming a missing photo is skipped').toEqual({
      first: 'b1',
      second: 'a1',
    });
    expect(openingPair(null, PHOTOS.slice(0, 1))).toBeNull();
    expect(openingPair(null, [PHOTOS[4], PHOTOS[2]]), 'no before/after of one pose: first and last').toEqual({ first: 'f1', second: 'n1' });
  });

  it('without pairs from different visits, opens on a before and an after of the same zone and pose', () => {
    const sameVisit = [
      photo({ id: 'after', kind: 'after', session_id: 's2' }),
      photo({ id: 'side', kind: 'before', pose: 'left_45', session_id: 's2' }),
      photo({ id: 'before', kind: 'before', session_id: 's2' }),
    ];
    expect(openingPair({ proposed: null, pairs: [] }, sameVisit)).toEqual({ first: 'before', second: 'after' });
  });
});

describe('filters', () => {
  it('offers the zones with photos, in the clinic’s order, with counts', () => {
    expect(zoneOptions(PHOTOS, ZONES)).toEqual([
      { value: 'forehead', label: 'Forehead', count: 1 },
      { value: 'cheeks', label: 'Cheeks', count: 3 },
      { value: 'neck', label: 'Neck', count: 1 },
    ]);
  });

  it('offers the poses of the chosen zone, front first, custom poses by their words', () => {
    expect(poseOptions(PHOTOS, 'cheeks')).toEqual([
      { value: 'front', label: 'Front', count: 2 },
      { value: 'left_45', label: 'Left 45°', count: 1 },
    ]);
    expect(poseOptions(PHOTOS, 'neck')).toEqual([{ value: 'custom:chin up', label: 'Chin up', count: 1 }]);
    expect(poseOptions(PHOTOS, '').length).toBe(3);
  });

  it('keeps the photos of a zone and pose, any when blank', () => {
    expect(filterPhotos(PHOTOS, 'cheeks', 'front').map((p) => p.id)).toEqual(['b1', 'a1']);
    expect(filterPhotos(PHOTOS, '', 'custom:chin up').map((p) => p.id)).toEqual(['n1']);
    expect(filterPhotos(PHOTOS, '', '').length).toBe(5);
    expect(poseKey(photo({ id: 'x', pose: 'custom', custom_pose: ' Eyes Closed ' }))).toBe('custom:eyes closed');
  });
});

describe('caption', () => {
  const sessions = [
    session({ id: 's1', local_date: '2026-04-15', course_position: 1, course_length: 6 }),
    session({ id: 's2', local_date: '2026-11-21' }),
  ];

  it('says what, when, at which visit and where', () => {
    expect(captionText(caption(PHOTOS[0], sessions, ZONES, 'en-GB'))).toBe('Before · 15 Apr 2026 · Session 1 of 6 · Cheeks · Front');
    expect(captionText(caption(PHOTOS[3], sessions, ZONES, 'en-GB'))).toBe('After · 21 Nov 2026 · Session · Cheeks · Front');
    expect(captionText(caption(PHOTOS[4], sessions, ZONES, 'en-GB'))).toBe('Progress · 5 Jan 2027 · Follow-up · Forehead · Front');
  });
});
