import { describe, expect, it } from 'vitest';
import type { AccessEntry } from '../api/accounts';
import { emptyText, eventCount, filterEntries, reportPath, reportSummary, suggestedReportPath, whoText } from './access';
import type { AccessFilter } from './access';

let seq = 0;
function entry(action: string, entity = 'client', who: string | null = 'Ana Ruiz'): AccessEntry {
  seq += 1;
  return { seq, at: '2026-11-25T10:30:00Z', who, what: action, action, entity };
}

const REPORT = [
  entry('create'),
  entry('view'),
  entry('update'),
  entry('view_photos'),
  entry('import', 'photo'),
  entry('compare'),
  entry('sign', 'session'),
  entry('print'),
  entry('export_record'),
  entry('export_deidentified'),
  entry('export_photo', 'photo'),
  entry('revoke', 'consent'),
  entry('archive'),
];

function check(filter: AccessFilter, expected: string[]) {
  expect(
    filterEntries(REPORT, filter).map((e) => e.action),
    `the "${filter}" filter`,
  ).toEqual(expected);
}

describe('access report filter', () => {
  it('keeps everything, in the order given', () => {
    check('everything', REPORT.map((e) => e.action));
  });

  it('keeps what read, printed or exported the record', () => {
    check('views', ['view', 'view_photos', 'compare', 'print', 'export_record', 'export_deidentified', 'export_photo']);
  });

  it('keeps the changes: everything that is not a view', () => {
    check('changes', ['create', 'update', 'import', 'sign', 'revoke', 'archive']);
  });

  it('takes an action it does not know for a change, so no change is ever hidden from "Changes"', () => {
    expect(filterEntries([entry('something_new')], 'changes')).toHaveLength(1);
  });

  it('says what is missing when a view is empty', () => {
    expect(emptyText('everything')).toBe('Nothing is recorded about this record yet.');
    expect(emptyText('views')).toBe('Nobody has opened, printed or exported this record yet.');
    expect(emptyText('changes')).toBe('Nothing in this record has been changed yet.');
  });
});

describe('access report lines', () => {
  it('names who did it, or says it was not recorded', () => {
    expect(whoText('Ana Ruiz')).toBe('Ana Ruiz');
    expect(whoText(null), 'events from before Pinpoint named people').toBe('not recorded');
    expect(whoText(' ')).toBe('not recorded');
  });

  it('counts events', () => {
    expect(eventCount(1)).toBe('1 event');
    expect(eventCount(12)).toBe('12 events');
  });
});

describe('saving the access report', () => {
  it('ends the path in the format chosen', () => {
    for (const [path, format, expected] of [
      ['/home/ana/Ana access report.pdf', 'csv', '/home/ana/Ana access report.csv'],
      ['/home/ana/Ana access report.CSV', 'pdf', '/home/ana/Ana access report.pdf'],
      ['/home/ana/report', 'pdf', '/home/ana/report.pdf'],
      [' /home/ana/report.pdf ', 'pdf', '/home/ana/report.pdf'],
      ['/home/ana/report.txt', 'csv', '/home/ana/report.txt.csv'],
      ['', 'pdf', ''],
    ] as const) {
      expect(reportPath(path, format), path).toBe(expected);
    }
  });

  it('offers a file named after the client and the date, in the folder given', () => {
    expect(suggestedReportPath('/home/ana/Documents', 'Ana Sousa', '2026-11-25')).toBe('/home/ana/Documents/Ana Sousa access report 2026-11-25.pdf');
    expect(suggestedReportPath('/home/ana/Documents/', 'Ana Sousa', '2026-11-25')).toBe('/home/ana/Documents/Ana Sousa access report 2026-11-25.pdf');
    expect(suggestedReportPath('C:\\Users\\ana\\Documents', 'Ana', '2026-11-25'), 'a Windows folder keeps its separator').toBe(
      'C:\\Users\\ana\\Documents\\Ana access report 2026-11-25.pdf',
    );
    expect(suggestedReportPath('', 'Ana', '2026-11-25'), 'no folder, no suggestion').toBe('');
  });

  it('keeps a client name a file system accepts', () => {
    expect(suggestedReportPath('/d', '  Ana   "Nan" Sousa/Lopes. ', '2026-11-25')).toBe('/d/Ana _Nan_ Sousa_Lopes access report 2026-11-25.pdf');
    expect(suggestedReportPath('/d', '...', '2026-11-25'), 'a name that is all dots').toBe('/d/Client access report 2026-11-25.pdf');
  });

  it('says what was written', () => {
    const written = { path: '/d/r.pdf', pages: 2, photos: 0, bytes: 31_000 };
    expect(reportSummary('pdf', written)).toBe('Access report saved — 2 pages, 31 KB');
    expect(reportSummary('csv', { ...written, path: '/d/r.csv', pages: 0, bytes: 1_200 })).toBe('Access report saved as CSV — 1.2 KB');
  });
});
