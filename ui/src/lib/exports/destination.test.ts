import { describe, expect, it } from 'vitest';
import { destinationProblem, fileIn, fileNamePart, isAbsolutePath } from './destination';

describe('paths', () => {
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

  it('put a file in a folder with the folder\'s own separator', () => {
    expect(fileIn('/home/ana/Documents', 'sheet.pdf')).toBe('/home/ana/Documents/sheet.pdf');
    expect(fileIn('/home/ana/Documents/ ', 'sheet.pdf')).toBe('/home/ana/Documents/sheet.pdf');
    expect(fileIn('C:\\Users\\ana\\Documents', 'sheet.pdf'), 'a Windows folder keeps its separator').toBe('C:\\Users\\ana\\Documents\\sheet.pdf');
    expect(fileIn('', 'sheet.pdf'), 'no folder, no suggestion').toBe('');
  });

  it('keep a name a file system accepts', () => {
    expect(fileNamePart('  Ana   "Nan" Sousa/Lopes. ', 'Client')).toBe('Ana _Nan_ Sousa_Lopes');
    expect(fileNamePart('...', 'Client')).toBe('Client');
    expect(fileNamePart('', 'Pinpoint')).toBe('Pinpoint');
    expect(fileNamePart('x'.repeat(100), 'Client')).toHaveLength(80);
  });
});
