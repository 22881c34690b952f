import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '../api/safety';
import { checkAdvice, orphanNote } from './check';

function report(values: Partial<VerifyReport> = {}): VerifyReport {
  return {
    ok: true,
    integrity: 'ok',
    audit: { events: 120, first_broken: null },
    photos: { photos: 40, problems: [], orphans: [] },
    problems: [],
    ...values,
  };
}

describe('checkAdvice', () => {
  it('says nothing when the data is sound', () => {
    expect(checkAdvice(report())).toBeNull();
  });

  it('for a damaged database or a broken audit chain, says to stop, restore a backup and call support', () => {
    const damaged = checkAdvice(
      report({ ok: false, integrity: 'row 12 missing from index', problems: ['the database is damaged: row 12 missing from index'] }),
    );
    expect(damaged?.title).toBe('The clinic’s database is damaged');
    expect(damaged?.problems).toEqual(['the database is damaged: row 12 missing from index']);
    expect(damaged?.advice).toMatch(/restore the latest backup/i);
    expect(damaged?.advice).toMatch(/contact support/i);

    const altered = checkAdvice(report({ ok: false, audit: { events: 9, first_broken: { seq: 4, reason: 'hash mismatch' } }, problems: ['audit event 4: hash mismatch'] }));
    expect(altered?.title).toBe('The record of changes has been altered');
  });

  it('for missing photo originals, says the rest is unaffected and how many photos', () => {
    const problem = { id: 'p1', path: 'photos/ab/abc.jpg', reason: 'missing' };
    const one = checkAdvice(report({ ok: false, photos: { photos: 3, problems: [problem], orphans: [] }, problems: ['photo p1 (photos/ab/abc.jpg): missing'] }));
    expect(one?.title).toBe('A photo’s original file is missing or damaged');
    expect(one?.advice).toMatch(/other records are not affected/i);
    const two = checkAdvice(report({ ok: false, photos: { photos: 3, problems: [problem, { ...problem, id: 'p2' }], orphans: [] }, problems: ['a', 'b'] }));
    expect(two?.title).toBe('2 photos’ original files are missing or damaged');
  });

  it('never shows an empty list of problems', () => {
    expect(checkAdvice(report({ ok: false, problems: [] }))?.problems).toEqual(['the check did not pass']);
  });
});

describe('orphanNote', () => {
  it('notes leftover files quietly, and nothing without them', () => {
    expect(orphanNote(null)).toBeNull();
    expect(orphanNote(report())).toBeNull();
    expect(orphanNote(report({ photos: { photos: 1, problems: [], orphans: ['photos/ab/x.jpg'] } }))).toMatch(
      /^1 file in the photo folder belongs to no photo .* It is left untouched and does no harm\.$/,
    );
    expect(orphanNote(report({ photos: { photos: 1, problems: [], orphans: ['a', 'b'] } }))).toMatch(
      /^2 files in the photo folder belong to no photo .* They are left untouched and do no harm\.$/,
    );
  });
});
