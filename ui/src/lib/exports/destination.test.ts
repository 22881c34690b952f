import { describe, expect, it } from 'vitest';
import { destinationProblem, isAbsolutePath, joinPath, pdfFileName, safeFileName, withPdfExtension } from './destination';

function check(name: string, expected: string) {
  expect(safeFileName(name), JSON.stringify(name)).toBe(expected);
}

describe('default file names', () => {
  it('name a document after the client, what it is and the date', () => {
    expect(pdfFileName('Ana Sousa', 'report', '2026-11-25')).toBe('Ana Sousa progress report 2026-11-25.pdf');
    expect(pdfFileName('Ana Sousa', 'note', '2026-03-02')).toBe('Ana Sousa treatment note 2026-03-02.pdf');
    expect(pdfFileName('Ana Sousa', 'aftercare', '2026-03-02')).toBe('Ana Sousa aftercare 2026-03-02.pdf');
  });

  it('keep the letters of any language and the punctuation of names', () => {
    check('Zoë O’Brien-Łukasiewicz', 'Zoë O’Brien-Łukasiewicz');
    check("Mary-Jane D'Arcy (Jr.)", "Mary-Jane D'Arcy (Jr.)");
    check('王小明', '王小明');
  });

  it('replace what a file system refuses, so the name cannot leave its folder', () => {
    check('Ana / Bea', 'Ana _ Bea');
    check('..\\..\\etc\\passwd', '_.._etc_passwd');
    check('a:b*c?d"e<f>g|h', 'a_b_c_d_e_f_g_h');
    check('tab\there\nnewline', 'tab here newline');
    check('bell\u0007', 'bell_');
  });

  it('drop leading and trailing dots and spaces, and squeeze spaces', () => {
    check('  .hidden  ', 'hidden');
    check('Ana   Sousa.', 'Ana Sousa');
    check('...', 'Client');
    check('   ', 'Client');
    expect(safeFileName('', 'Untitled')).toBe('Untitled');
  });

  it('cut very long names, whole characters only', () => {
    expect(Array.from(safeFileName('é'.repeat(200)))).toHaveLength(80);
    expect(safeFileName(`${'a'.repeat(79)} b`)).toBe('a'.repeat(79));
  });
});

describe('paths', () => {
  it('join a name onto a folder with the folder’s own separator', () => {
    expect(joinPath('/home/ana/Documents', 'x.pdf')).toBe('/home/ana/Documents/x.pdf');
    expect(joinPath('/home/ana/Documents/', 'x.pdf')).toBe('/home/ana/Documents/x.pdf');
    expect(joinPath('C:\\Users\\Ana\\Documents', 'x.pdf')).toBe('C:\\Users\\Ana\\Documents\\x.pdf');
    expect(joinPath('/', 'x.pdf')).toBe('/x.pdf');
    expect(joinPath('', 'x.pdf')).toBe('x.pdf');
  });

  it('add .pdf when a typed or chosen path has no such ending', () => {
    expect(withPdfExtension(' /tmp/report ')).toBe('/tmp/report.pdf');
    expect(withPdfExtension('/tmp/report.PDF')).toBe('/tmp/report.PDF');
    expect(withPdfExtension('/tmp/ana.v2')).toBe('/tmp/ana.v2.pdf');
    expect(withPdfExtension('/tmp/')).toBe('/tmp/');
    expect(withPdfExtension('  ')).toBe('');
  });

  it('tell a full path from a relative one', () => {
    for (const path of ['/tmp/x.pdf', 'C:\\x.pdf', 'd:/x.pdf', '\\\\nas\\share\\x.pdf']) expect(isAbsolutePath(path), path).toBe(true);
    for (const path of ['x.pdf', 'Documents/x.pdf', '~/x.pdf', '']) expect(isAbsolutePath(path), path).toBe(false);
  });

  it('say what is wrong with a destination before anything is written', () => {
    expect(destinationProblem('/tmp/x.pdf', 'file')).toBeNull();
    expect(destinationProblem('  ', 'file')).toBe('type the file’s full path, or choose one');
    expect(destinationProblem('', 'folder')).toBe('type the folder’s full path, or choose one');
    expect(destinationProblem('report.pdf', 'file')).toMatch(/^give the full path/);
  });
});
