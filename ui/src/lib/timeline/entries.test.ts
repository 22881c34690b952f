import { describe, expect, it } from 'vitest';
import { photo } from '../photos/fixtures';
import {
  adverseState,
  adverseSummary,
  comparisonFor,
  entryDate,
  entryId,
  entryTitle,
  eventsBySession,
  groupByMonth,
  monthRows,
  monthSections,
  intervalNote,
  nextDueNote,
  openEventsText,
  orderedPhotos,
  productLine,
  sessionOptionLabel,
  severityLabel,
  zoneLine,
} from './entries';
import { SESSION } from '../sessions/fixtures';
import { ENTRIES, EVENT, sessionEntry } from './fixtures';

describe('entries', () => {
  it('name each entry by what it records, with its date', () => {
    expect(ENTRIES.map((e) => [entryId(e), entryDate(e), entryTitle(e)])).toEqual([
      ['session-1', '2026-05-05', 'Session 1 of 6'],
      ['session-2', '2026-06-16', 'Session 2 of 6'],
      ['event-1', '2026-06-17', 'Adverse event'],
      ['visit-1', '2026-08-01', 'Follow-up visit'],
    ]);
    const outside = sessionEntry('s', '2026-01-01', 1);
    if (outside.type === 'session') outside.session.course_position = null;
    expect(entryTitle(outside), 'a session outside a course').toBe('Session');
  });

  it('lists newest first under month headings, or oldest first', () => {
    const newest = groupByMonth(ENTRIES, 'newest', 'en-GB');
    expect(newest.map((g) => [g.label, g.entries.map(entryId)])).toEqual([
      ['August 2026', ['visit-1']],
      ['June 2026', ['event-1', 'session-2']],
      ['May 2026', ['session-1']],
    ]);
    const oldest = groupByMonth(ENTRIES, 'oldest', 'en-GB');
    expect(oldest.map((g) => g.entries.map(entryId))).toEqual([['session-1'], ['session-2', 'event-1'], ['visit-1']]);
    expect(ENTRIES.map(entryId), 'the timeline itself is left as it came').toEqual(['session-1', 'session-2', 'event-1', 'visit-1']);
    expect(groupByMonth([], 'newest')).toEqual([]);
  });

  it('finds the adverse events that followed each session', () => {
    const bySession = eventsBySession(ENTRIES);
    expect(bySession.get('session-2')?.map((e) => e.id)).toEqual(['event-1']);
    expect(bySession.has('session-1')).toBe(false);
  });

  it('put a treated zone and a product in a line each', () => {
    expect(SESSION.zones.map(zoneLine)).toEqual(['Cheeks 1 mm × 4, crosshatch', 'Chin 0.75 mm × 3']);
    expect(SESSION.products.map(productLine)).toEqual([
      'Hyaluronic acid 1.5% serum, lot HA-5521, during',
      'Mineral SPF 50, lot SPF-2290, after',
    ]);
  });

  it('labels a session as a choice', () => {
    expect(sessionOptionLabel({ local_date: '2026-06-16', course_position: 2, course_length: 6 }, 'en-GB')).toBe('16 Jun 2026 · session 2 of 6');
    expect(sessionOptionLabel({ local_date: '2026-06-16', course_position: null, course_length: null }, 'en-GB')).toBe('16 Jun 2026 · session');
  });
});

describe('intervals between sessions', () => {
  function check(days: number | null, flag: Parameters<typeof intervalNote>[1], expected: [string, string]) {
    const note = intervalNote(days, flag, 28);
    expect([note.text, note.tone]).toEqual(expected);
  }

  it('say how long since the previous session, flagging too short and overdue', () => {
    check(null, 'first', ['First session', 'neutral']);
    check(42, 'ok', ['42 days since the previous session', 'neutral']);
    check(1, 'too_short', ['1 day since the previous session: shorter than the clinic minimum of 28 days', 'danger']);
    check(21, 'too_short', ['21 days since the previous session: shorter than the clinic minimum of 28 days', 'danger']);
    check(120, 'overdue', ['120 days since the previous session: later than the planned interval', 'warning']);
  });
});

describe('the next session due', () => {
  function check(due: string | null, overdue: boolean, expected: [string, string] | null) {
    const note = nextDueNote(due, overdue, '2026-11-25', 'en-GB');
    expect(note && [note.text, note.tone]).toEqual(expected);
  }

  it('counts the days to it, or since it when late', () => {
    check(null, false, null);
    check('2026-12-01', false, ['Next session due 1 Dec 2026, in 6 days', 'neutral']);
    check('2026-11-26', false, ['Next session due 26 Nov 2026, in 1 day', 'neutral']);
    check('2026-11-25', false, ['Next session due today', 'neutral']);
    check('2026-11-22', false, ['Next session was due 22 Nov 2026, 3 days ago', 'warning']);
    check('2026-11-10', true, ['Next session overdue: due 10 Nov 2026, 15 days ago', 'danger']);
  });
});

describe('adverse events', () => {
  it('say how long an event has been open, or when and after how long it resolved', () => {
    expect(adverseState(EVENT, '2026-06-21', 'en-GB')).toEqual({ open: true, text: 'Open for 4 days' });
    expect(adverseState(EVENT, '2026-06-17', 'en-GB')).toEqual({ open: true, text: 'Open since today' });
    expect(adverseState({ ...EVENT, resolved_on: '2026-06-26' }, '2026-11-25', 'en-GB')).toEqual({
      open: false,
      text: 'Resolved 26 Jun 2026, after 9 days',
    });
    expect(adverseState({ ...EVENT, resolved_on: '2026-06-17' }, '2026-11-25', 'en-GB').text).toBe('Resolved 17 Jun 2026, the same day');
  });

  it('sum up an event in the entry of the session it followed', () => {
    expect(adverseSummary(EVENT, '2026-06-21', 'en-GB')).toBe('mild, open for 4 days');
    expect(adverseSummary({ ...EVENT, resolved_on: '2026-06-26' }, '2026-11-25', 'en-GB')).toBe('mild, resolved 26 Jun 2026, after 9 days');
  });

  it('name the severity and count the open ones', () => {
    expect(severityLabel('moderate')).toBe('Moderate');
    expect([0, 1, 3].map(openEventsText)).toEqual(['No open adverse events', '1 open adverse event', '3 open adverse events']);
  });
});

describe('photos of an entry', () => {
  const PHOTOS = [
    photo({ id: 'base', kind: 'before', session_id: 's1' }),
    photo({ id: 'after-1', kind: 'after', session_id: 's1' }),
    photo({ id: 'side', kind: 'before', pose: 'left_45', session_id: 's1' }),
    photo({ id: 'before-2', kind: 'before', session_id: 's2' }),
    photo({ id: 'visit', kind: 'progress' }),
  ];

  it('open against the baseline of their zone and pose; the baseline against the latest', () => {
    expect(comparisonFor('after-1', PHOTOS)).toEqual({ first: 'base', second: 'after-1' });
    expect(comparisonFor('visit', PHOTOS)).toEqual({ first: 'base', second: 'visit' });
    expect(comparisonFor('base', PHOTOS)).toEqual({ first: 'base', second: 'visit' });
  });

  it('open on their own with nothing to compare with, or when not known', () => {
    expect(comparisonFor('side', PHOTOS)).toEqual({ first: 'side', second: 'side' });
    expect(comparisonFor('gone', PHOTOS)).toEqual({ first: 'gone', second: 'gone' });
  });

  it('show before photos first, then after, then progress', () => {
    const refs = [
      { id: 'a', kind: 'after' },
      { id: 'p', kind: 'progress' },
      { id: 'b1', kind: 'before' },
      { id: 'b2', kind: 'before' },
    ];
    expect(orderedPhotos(refs).map((r) => r.id)).toEqual(['b1', 'b2', 'a', 'p']);
  });
});

describe('a long timeline drawn near the view', () => {
  const months = [
    { key: '2026-11', label: 'November 2026', entries: ['a', 'b'] },
    { key: '2026-10', label: 'October 2026', entries: ['c', 'd', 'e'] },
    { key: '2026-09', label: 'September 2026', entries: ['f'] },
  ];
  const rows = monthRows(months, (entry) => entry);
  const shown = (start: number, end: number) =>
    monthSections(rows, start, end).map((s) => `${s.heading ? '# ' : ''}${s.label}: ${s.entries.map((e) => e.entry).join(' ')}`);

  it('lists each month’s heading before its entries', () => {
    expect(rows.map((r) => r.key)).toEqual(['month:2026-11', 'a', 'b', 'month:2026-10', 'c', 'd', 'e', 'month:2026-09', 'f']);
  });

  it.each([
    [0, 9, ['# November 2026: a b', '# October 2026: c d e', '# September 2026: f']],
    [0, 2, ['# November 2026: a']],
    [5, 8, ['October 2026: d e', '# September 2026: ']],
    [8, 9, ['September 2026: f']],
  ])('rows %i to %i keep each entry in its month, with the heading only when its row is drawn', (start, end, expected) => {
    expect(shown(start, end)).toEqual(expected);
  });
});
