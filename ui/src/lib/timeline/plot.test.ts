import { describe, expect, it } from 'vitest';
import type { DepthSeries, ScoreSeries } from '../api/progress';
import { dayNumber } from './chart';
import { GAIS, SATISFACTION } from './fixtures';
import { depthPlot, orderedDepthSeries, pointComparison, scorePanels } from './plot';
import { photo } from '../photos/fixtures';

const START = dayNumber('2026-05-05');
/** One pixel per day from the first session. */
const x = (day: number) => day - START;

const DEPTHS: DepthSeries[] = [
  {
    zone: 'cheeks',
    zone_name: 'Cheeks',
    points: [
      { date: '2026-05-05', session_id: 's1', depth: 1 },
      { date: '2026-06-16', session_id: 's2', depth: 1.25 },
    ],
  },
  { zone: 'chin', zone_name: 'Chin', points: [{ date: '2026-06-16', session_id: 's2', depth: 0.75 }] },
  { zone: 'forehead', zone_name: 'Forehead', points: [{ date: '2026-06-16', session_id: 's2', depth: null }] },
];

const SESSIONS = new Map([
  ['s1', { local_date: '2026-05-05', course_position: 1, course_length: 6 }],
  ['s2', { local_date: '2026-06-16', course_position: 2, course_length: 6 }],
]);

describe('the depth chart', () => {
  it('follows the clinic’s order of zones', () => {
    const zones = [{ key: 'forehead' }, { key: 'chin' }];
    expect(orderedDepthSeries(DEPTHS, zones).map((s) => s.zone)).toEqual(['forehead', 'chin', 'cheeks']);
  });

  it('places each zone’s depths by date and says what each point is', () => {
    const [cheeks, chin, forehead] = depthPlot(DEPTHS, SESSIONS, x, (mm) => 100 - mm * 40, 'en-GB');
    expect(cheeks.points.map((p) => [p.x, p.y, p.label])).toEqual([
      [0, 60, 'Cheeks 1 mm · 5 May 2026 · session 1 of 6'],
      [42, 50, 'Cheeks 1.25 mm · 16 Jun 2026 · session 2 of 6'],
    ]);
    expect(cheeks.path).toBe('M0 60 L42 50');
    expect([cheeks.color, chin.color, chin.marker]).toEqual(['var(--color-series-1)', 'var(--color-series-2)', 'square']);
    expect(forehead.points, 'a depth not recorded is not drawn').toEqual([]);
  });

  it('gives each session one stop in the Tab order', () => {
    const plotted = depthPlot(DEPTHS, SESSIONS, x, (mm) => mm);
    expect(plotted.flatMap((s) => s.points.map((p) => `${p.key} ${p.focusable}`))).toEqual([
      'cheeks:s1 true',
      'cheeks:s2 true',
      'chin:s2 false',
    ]);
  });
});

describe('the score chart', () => {
  const SCORES: ScoreSeries[] = [
    {
      scale: GAIS,
      points: [
        { date: '2026-06-16', value: 3, session_id: 's2', follow_up_id: null, photo_id: 'p2', compared_with: null },
        { date: '2026-08-01', value: 2, session_id: null, follow_up_id: 'v1', photo_id: null, compared_with: null },
      ],
    },
    {
      scale: SATISFACTION,
      points: [
        { date: '2026-06-16', value: 6, session_id: 's2', follow_up_id: null, photo_id: null, compared_with: null },
        { date: '2026-07-01', value: null, session_id: null, follow_up_id: null, photo_id: null, compared_with: null },
        { date: '2026-08-01', value: 9, session_id: null, follow_up_id: 'v1', photo_id: null, compared_with: null },
      ],
    },
  ];

  it('draws each scale on its own axis, better results higher', () => {
    const [gais, satisfaction] = scorePanels(SCORES, x, 0, 100, 'en-GB');
    expect(gais.points.map((p) => p.y), 'GAIS 2 (very improved) above GAIS 3').toEqual([50, 25]);
    expect(gais.ticks.map((t) => [t.label, t.y])).toEqual([
      ['1', 0],
      ['2', 25],
      ['3', 50],
      ['4', 75],
      ['5', 100],
    ]);
    expect(satisfaction.points.map((p) => p.y)).toEqual([40, 10]);
    expect(satisfaction.path, 'a score without a value breaks the line').toBe('M42 40 M88 10');
    expect(gais.latest).toBe('Latest 2 (very improved)');
    expect(satisfaction.latest).toBe('Latest 9 / 10');
  });

  it('lets a point open its photo, else its session or visit', () => {
    const [gais] = scorePanels(SCORES, x, 0, 100, 'en-GB');
    expect(gais.points.map((p) => [p.photoId, p.sessionId, p.followUpId, p.label])).toEqual([
      ['p2', 's2', null, 'GAIS (practitioner) 3 (improved) · 16 Jun 2026 · open the photo'],
      [null, null, 'v1', 'GAIS (practitioner) 2 (very improved) · 1 Aug 2026'],
    ]);
  });
});

describe('what a score point opens', () => {
  const photos = [
    photo({ id: 'b1', kind: 'before', zone: 'cheeks', pose: 'front' }),
    photo({ id: 'a1', kind: 'after', zone: 'cheeks', pose: 'front' }),
    photo({ id: 'a2', kind: 'after', zone: 'cheeks', pose: 'front' }),
  ];
  it('opens the very pair a score rated, before then after', () => {
    expect(pointComparison({ photoId: 'a1', comparedWith: 'b1' }, photos)).toEqual({ first: 'b1', second: 'a1' });
  });
  it('opens a photo against its baseline when the score rated a session', () => {
    expect(pointComparison({ photoId: 'a2', comparedWith: null }, photos)).toEqual({ first: 'b1', second: 'a2' });
  });
  it('opens nothing without a photo', () => {
    expect(pointComparison({ photoId: null, comparedWith: null }, photos)).toBeNull();
  });
});
