import { describe, expect, it } from 'vitest';
import { photo, session } from './fixtures';
import { photoCount, photoDate, photoGroups, sessionPhotos } from './grouping';

const S1 = session({ id: 's1', local_date: '2026-09-01', course_position: 1, course_length: 3 });
const S2 = session({ id: 's2', local_date: '2026-10-13', course_position: 2, course_length: 3 });

function check(photos: Parameters<typeof photoGroups>[0], expected: [string, string | null, string[]][]) {
  const groups = photoGroups(photos, [S1, S2]);
  expect(groups.map((g) => [g.key, g.course, g.photos.map((p) => p.id)])).toEqual(expected);
}

describe('photoGroups', () => {
  it('puts photos taken at follow-up visits in a group per visit, after the sessions', () => {
    const groups = photoGroups(
      [photo({ id: 'v', follow_up_id: 'f1', kind: 'progress' }), photo({ id: 'b', session_id: 's1' }), photo({ id: 'o' })],
      [S1, S2],
      [{ id: 'f1', visited_on: '2026-11-20' }],
    );
    expect(groups.map((g) => [g.key, g.date, g.photos.map((p) => p.id)])).toEqual([
      ['s1', '2026-09-01', ['b']],
      ['visit:f1', '2026-11-20', ['v']],
      ['unlinked', null, ['o']],
    ]);
  });

  it('groups photos by session in the sessions’ order, before photos first within a session', () => {
    check(
      [
        photo({ id: 'a1', session_id: 's2', kind: 'after' }),
        photo({ id: 'b1', session_id: 's1', kind: 'before' }),
        photo({ id: 'b2', session_id: 's2', kind: 'before' }),
        photo({ id: 'a0', session_id: 's1', kind: 'after' }),
        photo({ id: 'b3', session_id: 's2', kind: 'before' }),
      ],
      [
        ['s1', '1 of 3', ['b1', 'a0']],
        ['s2', '2 of 3', ['b2', 'b3', 'a1']],
      ],
    );
  });

  it('puts photos outside a session (or of an unknown session) last, oldest first, and leaves out sessions without photos', () => {
    check(
      [
        photo({ id: 'f1', session_id: null, kind: 'progress' }),
        photo({ id: 'x', session_id: 'gone' }),
        photo({ id: 'b2', session_id: 's2' }),
      ],
      [
        ['s2', '2 of 3', ['b2']],
        ['unlinked', null, ['f1', 'x']],
      ],
    );
  });

  it('has no groups without photos', () => {
    check([], []);
  });
});

describe('sessionPhotos', () => {
  it('keeps one session’s photos, before first', () => {
    const photos = [photo({ id: 'a', session_id: 's1', kind: 'after' }), photo({ id: 'b', session_id: 's1' }), photo({ id: 'c', session_id: 's2' })];
    expect(sessionPhotos(photos, 's1').map((p) => p.id)).toEqual(['b', 'a']);
  });
});

describe('photoDate', () => {
  it('uses the session’s date, then the camera’s date, then the import day', () => {
    expect(photoDate(photo({ id: 'p', session_id: 's2', captured_at: '2026-01-01T09:00:00' }), [S1, S2])).toBe('2026-10-13');
    expect(photoDate(photo({ id: 'p', captured_at: '2026-03-04T23:59:00' }), [S1, S2])).toBe('2026-03-04');
    expect(photoDate(photo({ id: 'p', imported_at: '2026-05-06T12:00:00Z' }), [])).toBe('2026-05-06');
  });
});

describe('photoCount', () => {
  it('counts in words', () => {
    expect(photoCount(1)).toBe('1 photo');
    expect(photoCount(0)).toBe('0 photos');
    expect(photoCount(12)).toBe('12 photos');
  });
});
