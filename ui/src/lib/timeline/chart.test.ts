import { describe, expect, it } from 'vitest';
import {
  dateSpan,
  dateTicks,
  dayNumber,
  depthSpan,
  depthTicks,
  isoFromDay,
  linePath,
  markerPath,
  niceTicks,
  scaleLinear,
  scoreScale,
  scoreSpan,
  scoreTicks,
  seriesStyle,
} from './chart';

describe('dates on the axis', () => {
  it('counts days across months, leap years and back', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('2028-03-01') - dayNumber('2028-02-28')).toBe(2);
    expect(isoFromDay(dayNumber('2026-11-25'))).toBe('2026-11-25');
    expect(dayNumber('2026-02-30')).toBeNaN();
  });

  it('spans the dates with a margin, and gives a lone visit eight weeks around it', () => {
    const course = dateSpan(['2026-05-05', '2026-11-25', '2026-06-16', 'not a date']);
    expect(isoFromDay(course!.min)).toBe('2026-04-27');
    expect(isoFromDay(course!.max)).toBe('2026-12-03');
    const single = dateSpan(['2026-05-05'])!;
    expect(single.max - single.min).toBe(56);
    expect(isoFromDay((single.min + single.max) / 2)).toBe('2026-05-05');
    expect(dateSpan([])).toBeNull();
  });

  function labels(from: string, to: string, maxTicks: number) {
    return dateTicks({ min: dayNumber(from), max: dayNumber(to) }, maxTicks, 'en-GB').map((t) => `${isoFromDay(t.value)} ${t.label}`);
  }

  it('ticks weekly over a few weeks', () => {
    expect(labels('2026-05-01', '2026-05-22', 8)).toEqual(['2026-05-01 1 May', '2026-05-08 8 May', '2026-05-15 15 May', '2026-05-22 22 May']);
  });

  it('ticks on the first of the month, naming the year on the first tick and in January', () => {
    expect(labels('2026-10-20', '2027-02-10', 6)).toEqual([
      '2026-11-01 Nov 2026',
      '2026-12-01 Dec',
      '2027-01-01 Jan 2027',
      '2027-02-01 Feb',
    ]);
  });

  it('steps by quarters, then years, as the course grows longer', () => {
    expect(labels('2026-01-15', '2027-01-20', 5)).toEqual([
      '2026-04-01 Apr 2026',
      '2026-07-01 Jul',
      '2026-10-01 Oct',
      '2027-01-01 Jan 2027',
    ]);
    expect(labels('2020-03-01', '2026-11-25', 8)).toEqual([
      '2021-01-01 2021',
      '2022-01-01 2022',
      '2023-01-01 2023',
      '2024-01-01 2024',
      '2025-01-01 2025',
      '2026-01-01 2026',
    ]);
  });

  it('never gives more ticks than asked for', () => {
    for (const max of [2, 3, 4, 6, 10]) {
      expect(dateTicks({ min: dayNumber('2018-01-01'), max: dayNumber('2026-11-25') }, max).length).toBeLessThanOrEqual(max);
    }
  });
});

describe('value axes', () => {
  it('maps linearly, and a single value to the middle', () => {
    const x = scaleLinear({ min: 0, max: 10 }, [40, 140]);
    expect([x(0), x(5), x(10)]).toEqual([40, 90, 140]);
    expect(scaleLinear({ min: 3, max: 3 }, [0, 100])(3)).toBe(50);
  });

  it('chooses round steps', () => {
    expect(niceTicks(0, 10, 4)).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(niceTicks(0, 10, 4, 1), 'no 2.5 on a scale of whole numbers').toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0, 84, 4)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(0, 540, 4)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(niceTicks(0, 2.4, 4)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(5, 5, 4)).toEqual([5]);
  });

  it('draws depth from 0 to the deepest point rounded up to half a millimetre', () => {
    expect(depthSpan([0.5, 1.25, null])).toEqual({ min: 0, max: 1.5 });
    expect(depthSpan([0.25])).toEqual({ min: 0, max: 1 });
    expect(depthSpan([2.5])).toEqual({ min: 0, max: 2.5 });
    expect(depthTicks({ min: 0, max: 1 })).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(depthTicks({ min: 0, max: 1.5 })).toEqual([0, 0.5, 1, 1.5]);
  });

  it('uses the scale’s own range, with whole-number ticks on whole-number scales', () => {
    expect(scoreSpan({ min: 1, max: 5 }, [2, 3])).toEqual({ min: 1, max: 5 });
    expect(scoreSpan({ min: null, max: null }, [4, 7])).toEqual({ min: 0, max: 7 });
    expect(scoreTicks({ min: 1, max: 5 }, 1)).toEqual([1, 2, 3, 4, 5]);
    expect(scoreTicks({ min: 0, max: 10 }, 1)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(scoreTicks({ min: 0, max: 24 }, 0.1)).toEqual([0, 5, 10, 15, 20]);
  });

  it('puts the better score higher, whichever way the scale runs', () => {
    const gais = scoreScale({ min: 1, max: 5 }, true, 10, 110);
    expect(gais(1), 'GAIS 1 (exceptional improvement) at the top').toBe(10);
    expect(gais(5)).toBe(110);
    const satisfaction = scoreScale({ min: 0, max: 10 }, false, 10, 110);
    expect(satisfaction(10), 'full satisfaction at the top').toBe(10);
  });
});

describe('drawing', () => {
  it('joins the points and breaks the line at a missing value', () => {
    expect(
      linePath([
        { x: 0, y: 10 },
        { x: 10.04, y: 20 },
        { x: 20, y: null },
        { x: 30, y: 5 },
        { x: 40, y: 6 },
      ]),
    ).toBe('M0 10 L10 20 M30 5 L40 6');
    expect(linePath([])).toBe('');
  });

  it('gives each series a colour and a shape, repeating after the last', () => {
    expect(seriesStyle(0)).toEqual({ color: 'var(--color-series-1)', marker: 'circle' });
    expect(seriesStyle(1)).toEqual({ color: 'var(--color-series-2)', marker: 'square' });
    expect(seriesStyle(6)).toEqual({ color: 'var(--color-series-1)', marker: 'diamond' });
  });

  it('draws closed markers around the point', () => {
    expect(markerPath('square', 10, 10, 4)).toBe('M6.4 6.4h7.2v7.2h-7.2Z');
    expect(markerPath('diamond', 10, 10, 4)).toBe('M10 5L15 10L10 15L5 10Z');
    expect(markerPath('circle', 10, 10, 4)).toMatch(/^M6 10a4 4 .*Z$/);
    expect(markerPath('triangle', 10, 10, 4)).toMatch(/^M10 5.2L.*Z$/);
  });
});
