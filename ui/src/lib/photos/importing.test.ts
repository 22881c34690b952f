import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../api/photos';
import { ZONES, photo, session } from './fixtures';
import {
  addFiles,
  byName,
  defaultImportForm,
  failedCall,
  fileName,
  filesFromPaths,
  formatBytes,
  importBatches,
  notReached,
  overallProgress,
  progressFraction,
  progressText,
  resultRow,
  resultSummary,
} from './importing';
import type { ImportForm } from './importing';

const FORM: ImportForm = { sessionId: 's2', followUpId: '', kind: 'before', zone: 'cheeks', pose: 'front', customPose: '' };

describe('files to import', () => {
  it('names a file by the last part of its path, on any system', () => {
    expect(fileName('/media/card/DCIM/IMG_0001.JPG')).toBe('IMG_0001.JPG');
    expect(fileName('C:\\Users\\clinic\\Pictures\\after.heic')).toBe('after.heic');
    expect(fileName('plain.jpg')).toBe('plain.jpg');
  });

  it('makes dropped or chosen paths into selected files, once each', () => {
    const files = filesFromPaths(['/a/1.jpg', '/a/2.jpg', '/a/1.jpg', ''], 'after');
    expect(files).toEqual([
      { path: '/a/1.jpg', name: '1.jpg', bytes: null, kind: 'after', selected: true },
      { path: '/a/2.jpg', name: '2.jpg', bytes: null, kind: 'after', selected: true },
    ]);
  });

  it('orders a folder’s files as people read the names', () => {
    const names = ['p10.jpg', 'P2.jpg', 'p1.jpg', 'IMG_0100.JPG', 'img_0099.jpg'].map((name) => ({ name }));
    expect(byName(names).map((f) => f.name)).toEqual(['img_0099.jpg', 'IMG_0100.JPG', 'p1.jpg', 'P2.jpg', 'p10.jpg']);
  });

  it('adds more files after those already chosen, leaving out repeats', () => {
    const chosen = filesFromPaths(['/a/1.jpg'], 'before');
    const more = filesFromPaths(['/a/1.jpg', '/a/3.jpg'], 'after');
    expect(addFiles(chosen, more).map((f) => [f.path, f.kind])).toEqual([
      ['/a/1.jpg', 'before'],
      ['/a/3.jpg', 'after'],
    ]);
  });
});

describe('defaultImportForm', () => {
  const sessions = [
    session({ id: 's1', local_date: '2026-09-01', zones: [{ zone: 'forehead', zone_name: 'Forehead', depth: 0.5, passes: 2, technique: '' }] }),
    session({ id: 's2', local_date: '2026-10-13', zones: [{ zone: 'neck', zone_name: 'Neck', depth: 0.5, passes: 2, technique: '' }] }),
  ];

  it('files a new batch under the latest session and its first treated zone, before, front', () => {
    expect(defaultImportForm(sessions, ZONES, [])).toEqual({ sessionId: 's2', followUpId: '', kind: 'before', zone: 'neck', pose: 'front', customPose: '' });
  });

  it('proposes "after" once the latest session has its before photos', () => {
    const photos = [photo({ id: 'p', session_id: 's2', kind: 'before' })];
    expect(defaultImportForm(sessions, ZONES, photos).kind).toBe('after');
    const both = [...photos, photo({ id: 'q', session_id: 's2', kind: 'after' })];
    expect(defaultImportForm(sessions, ZONES, both).kind, 'with both taken, a new batch starts again at before').toBe('before');
  });

  it('without sessions, attaches to none and starts at the clinic’s first zone', () => {
    expect(defaultImportForm([], ZONES, [])).toMatchObject({ sessionId: '', zone: 'forehead' });
    expect(defaultImportForm([], [], []).zone).toBe('');
  });
});

describe('importBatches', () => {
  const files = [
    { path: '/c/1.jpg', name: '1.jpg', bytes: 10, kind: 'before' as const, selected: true },
    { path: '/c/2.jpg', name: '2.jpg', bytes: 10, kind: 'after' as const, selected: true },
    { path: '/c/3.jpg', name: '3.jpg', bytes: 10, kind: 'before' as const, selected: true },
    { path: '/c/4.jpg', name: '4.jpg', bytes: 10, kind: 'after' as const, selected: false },
  ];

  it('makes one call per kind, in the order the kinds first appear, with the selected files only', () => {
    const { batches, errors } = importBatches(FORM, files);
    expect(errors).toEqual({});
    expect(batches).toEqual([
      { tags: { sessionId: 's2', followUpId: null, kind: 'before', zone: 'cheeks', pose: 'front', customPose: null }, paths: ['/c/1.jpg', '/c/3.jpg'] },
      { tags: { sessionId: 's2', followUpId: null, kind: 'after', zone: 'cheeks', pose: 'front', customPose: null }, paths: ['/c/2.jpg'] },
    ]);
  });

  it('sends no session for a follow-up visit, and a custom pose in words', () => {
    const { batches } = importBatches({ ...FORM, sessionId: '', pose: 'custom', customPose: '  chin raised ' }, files.slice(0, 1));
    expect(batches?.[0].tags).toEqual({ sessionId: null, followUpId: null, kind: 'before', zone: 'cheeks', pose: 'custom', customPose: 'chin raised' });
  });

  it('refuses an empty selection, a missing zone and a custom pose without words', () => {
    const { batches, errors } = importBatches({ ...FORM, zone: '', pose: 'custom', customPose: ' ' }, files.slice(3));
    expect(batches).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['custom_pose', 'files', 'zone']);
  });
});

describe('progress', () => {
  it('adds the files of earlier calls to a call’s own report', () => {
    expect(overallProgress({ done: 2, total: 3, current: '/c/2.jpg' }, 4, 7)).toEqual({ done: 6, total: 7, current: '/c/2.jpg' });
    expect(overallProgress({ done: 9, total: 9, current: '' }, 4, 7).done, 'never past the total').toBe(7);
  });

  it('reads as a share and as words with the file just finished', () => {
    expect(progressFraction({ done: 3, total: 12 })).toBe(0.25);
    expect(progressFraction({ done: 0, total: 0 })).toBe(0);
    expect(progressText({ done: 0, total: 10, current: '' })).toBe('0 of 10');
    expect(progressText({ done: 3, total: 10, current: '/media/card/IMG_0042.jpg' })).toBe('3 of 10 · IMG_0042.jpg');
  });
});

describe('results', () => {
  const stored = photo({ id: 'p1' });
  const results: ImportResult[] = [
    { file: '/c/1.jpg', photo: stored, duplicate: false, refused: null, alignment: null },
    { file: '/c/2.jpg', photo: stored, duplicate: true, refused: null, alignment: null },
    { file: '/c/3.jpg', photo: null, duplicate: false, refused: { kind: 'invalid', message: '3.jpg is not an image: truncated JPEG' }, alignment: null },
    { file: '/c/4.jpg', photo: null, duplicate: false, refused: { kind: 'cancelled', message: '4.jpg was not imported: the import was cancelled' }, alignment: null },
  ];

  it('says for each file whether it was imported, already stored, refused with the reason, or cancelled', () => {
    expect(results.map(resultRow).map((r) => [r.name, r.outcome, r.message])).toEqual([
      ['1.jpg', 'imported', null],
      ['2.jpg', 'duplicate', null],
      ['3.jpg', 'refused', '3.jpg is not an image: truncated JPEG'],
      ['4.jpg', 'cancelled', '4.jpg was not imported: the import was cancelled'],
    ]);
  });

  it('sums up the batch, leaving out outcomes nobody had', () => {
    expect(resultSummary(results.map(resultRow))).toBe('1 imported · 1 already stored · 1 not imported · 1 cancelled');
    expect(resultSummary(results.slice(0, 1).map(resultRow))).toBe('1 imported');
    expect(resultSummary([])).toBe('Nothing was imported');
  });

  it('reports the files of a call never made as cancelled, and of a failed call with its reason', () => {
    expect(notReached(['/c/9.jpg'])).toEqual([
      { file: '/c/9.jpg', name: '9.jpg', outcome: 'cancelled', message: '9.jpg was not imported: the import was cancelled' },
    ]);
    expect(failedCall(['/c/9.jpg'], 'no client c9')[0]).toMatchObject({ outcome: 'refused', message: 'no client c9' });
  });
});

describe('formatBytes', () => {
  it.each([
    [null, ''],
    [1, '1 byte'],
    [512, '512 bytes'],
    [2_400, '2.4 KB'],
    [820_000, '820 KB'],
    [999_700, '1.0 MB'],
    [3_145_728, '3.1 MB'],
    [48_000_000_000, '48 GB'],
  ])('%s bytes read as "%s"', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe('importing at a follow-up visit', () => {
  it('sends the visit and no session', () => {
    const files = [{ path: '/c/1.jpg', name: '1.jpg', bytes: 1, selected: true, kind: 'progress' as const }];
    const { batches } = importBatches({ ...FORM, sessionId: '', followUpId: 'v1' }, files);
    expect(batches?.[0].tags).toMatchObject({ sessionId: null, followUpId: 'v1', kind: 'progress' });
  });
});
