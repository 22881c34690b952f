import { describe, expect, it } from 'vitest';
import { destinationProblem, isAbsolutePath } from './destination';

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
});
