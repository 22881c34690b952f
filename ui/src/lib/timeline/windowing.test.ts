import { describe, expect, it } from 'vitest';
import { listWindow, rowHeights, rowOffset, rowOffsets, shiftAbove } from './windowing';

/** 300 rows of 100 px: a long course. */
const LONG = Array.from({ length: 300 }, () => 100);

describe('listWindow', () => {
  function check(heights: number[], view: { top: number; bottom: number }, expected: string, overscan = 0) {
    const { start, end, before, after } = listWindow(heights, view, { overscan, wholeRows: 10 });
    expect(`rows ${start}–${end}, ${before} px before, ${after} px after`).toBe(expected);
  }

  it('draws a short list whole, wherever the view is', () => {
    check([100, 100, 100], { top: 5000, bottom: 5600 }, 'rows 0–3, 0 px before, 0 px after');
  });

  it('draws only the rows in view of a long list, with spacers for the rest', () => {
    check(LONG, { top: 0, bottom: 600 }, 'rows 0–6, 0 px before, 29400 px after');
    check(LONG, { top: 1050, bottom: 1650 }, 'rows 10–17, 1000 px before, 28300 px after');
  });

  it('widens the view by the overscan on both sides', () => {
    check(LONG, { top: 1000, bottom: 1600 }, 'rows 8–18, 800 px before, 28200 px after', 200);
  });

  it('starts drawing at the top while the list is still below the view', () => {
    check(LONG, { top: -700, bottom: -100 }, 'rows 0–1, 0 px before, 29900 px after');
  });

  it('keeps the last row when scrolled past the end (the list became shorter)', () => {
    check(LONG, { top: 40000, bottom: 40600 }, 'rows 299–300, 29900 px before, 0 px after');
  });

  it('uses each row’s own height', () => {
    // A month label (30), a session (400), two visits (150), a session (400) …
    const mixed = [30, 400, 150, 150, 400, 30, 400, 400, 400, 400, 400, 400];
    check(mixed, { top: 600, bottom: 900 }, 'rows 3–5, 580 px before, 2430 px after');
  });

  it('keeps the work the same for 300 rows as for 20: the rows drawn depend on the view, not the length', () => {
    const twenty = listWindow(LONG.slice(0, 20), { top: 0, bottom: 800 }, { wholeRows: 10 });
    const three = listWindow(LONG, { top: 0, bottom: 800 }, { wholeRows: 10 });
    expect(three.end - three.start).toBe(twenty.end - twenty.start);
  });
});

describe('rowOffset and rowOffsets', () => {
  it('puts a row below the rows before it (an entry not yet drawn can be scrolled to)', () => {
    expect(rowOffsets([30, 400, 150])).toEqual([0, 30, 430, 580]);
    expect(rowOffset([30, 400, 150], 2)).toBe(430);
    expect(rowOffset([30, 400, 150], 9), 'past the end: the whole list').toBe(580);
  });
});

describe('rowHeights', () => {
  it('uses a measured height where there is one, else the estimate for the row’s kind', () => {
    const rows = [{ key: 'month:2026-03', kind: 'month' }, { key: 'session:a', kind: 'session' }, { key: 'follow_up:b', kind: 'visit' }];
    const estimate = (row: { kind: string }) => (row.kind === 'month' ? 30 : row.kind === 'session' ? 416 : 144);
    expect(rowHeights(rows, (r) => r.key, new Map([['session:a', 388]]), estimate)).toEqual([30, 388, 144]);
  });
});

describe('shiftAbove', () => {
  it('moves the scroll by how much the rows above the view grew or shrank, not those below', () => {
    const changes = [
      { offset: 0, before: 416, after: 300 },
      { offset: 416, before: 416, after: 500 },
      { offset: 5000, before: 144, after: 200 },
    ];
    expect(shiftAbove(changes, 1000)).toBe(-116 + 84);
  });
});
