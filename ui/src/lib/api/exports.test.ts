// The export wrappers against the generated bindings, with Tauri's invoke,
// events and path replaced: the command and argument names the Rust
// side receives, and what the wrappers make of the answers.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
const listen = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen }));

const exports = await import('./exports');

type Call = [() => Promise<unknown>, string, Record<string, unknown>?];

async function check([run, command, args]: Call) {
  invoke.mockClear();
  await run();
  if (args === undefined) expect(invoke, command).toHaveBeenLastCalledWith(command);
  else expect(invoke, command).toHaveBeenLastCalledWith(command, args);
}

beforeEach(() => {
  invoke.mockReset();
  invoke.mockResolvedValue({});
  listen.mockReset();
});

describe('export commands', () => {
  it('name each command and argument as the Rust side expects, paths trimmed', async () => {
    for (const call of [
      [
        () => exports.exportReport('c1', ' /home/ana/Documents/Ana report.pdf '),
        'export_pdf',
        { document: 'progress_report', id: 'c1', path: '/home/ana/Documents/Ana report.pdf', replace: false },
      ],
      [
        () => exports.exportTreatmentNote('s1', '/tmp/note.pdf'),
        'export_pdf',
        { document: 'treatment_note', id: 's1', path: '/tmp/note.pdf', replace: false },
      ],
      [
        () => exports.exportAftercare('s1', '/tmp/aftercare.pdf', true),
        'export_pdf',
        { document: 'aftercare', id: 's1', path: '/tmp/aftercare.pdf', replace: true },
      ],
      [() => exports.exportClient('c1', ' /media/usb '), 'export_client', { clientId: 'c1', folder: '/media/usb' }],
      [() => exports.cancelExport(), 'cancel_export'],
      [() => exports.exportDeidentifiedPhotos('c1', [], '/tmp'), 'export_deidentified_photos', { clientId: 'c1', photoIds: [], folder: '/tmp' }],
      [() => exports.exportDeidentifiedPhotos('c1', ['p1', 'p2'], '/tmp'), 'export_deidentified_photos', { clientId: 'c1', photoIds: ['p1', 'p2'], folder: '/tmp' }],
      [() => exports.openPath('/tmp/note.pdf'), 'open_path', { path: '/tmp/note.pdf' }],
      [() => exports.revealPath('/tmp/note.pdf'), 'reveal_path', { path: '/tmp/note.pdf' }],
    ] as Call[]) {
      await check(call);
    }
  });

  it('gives back what was written', async () => {
    invoke.mockResolvedValueOnce({ path: '/tmp/r.pdf', pages: 8, photos: 12, bytes: 1_400_000 });
    expect(await exports.exportReport('c1', '/tmp/r.pdf')).toEqual({ path: '/tmp/r.pdf', pages: 8, photos: 12, bytes: 1_400_000 });
  });

  it('reports a cancelled export as kind cancelled, and a consent refusal as conflict', async () => {
    invoke.mockRejectedValueOnce({ kind: 'cancelled', message: 'the export was cancelled', field: null });
    await expect(exports.exportClient('c1', '/tmp')).rejects.toMatchObject({ kind: 'cancelled' });
    invoke.mockRejectedValueOnce({ kind: 'conflict', message: 'Ana has no marketing-photo consent in force today', field: null });
    await expect(exports.exportDeidentifiedPhotos('c1', [], '/tmp')).rejects.toMatchObject({
      kind: 'conflict',
      message: 'Ana has no marketing-photo consent in force today',
    });
  });

  it('keeps the field of a path the Rust side refused', async () => {
    invoke.mockRejectedValueOnce({ kind: 'invalid', message: 'the folder /nowhere does not exist', field: 'path' });
    await expect(exports.exportReport('c1', '/nowhere/r.pdf')).rejects.toMatchObject({ kind: 'invalid', field: 'path' });
  });

  it('listens to export progress under the event name Rust emits', async () => {
    listen.mockImplementation(async (_name: string, handler: (e: { payload: unknown }) => void) => {
      handler({ payload: { done_bytes: 10, total_bytes: 40 } });
      return () => {};
    });
    const reports: unknown[] = [];
    await exports.onExportProgress((p) => reports.push(p));
    expect(listen.mock.calls[0][0]).toBe('export-progress');
    expect(reports).toEqual([{ done_bytes: 10, total_bytes: 40 }]);
  });
});

describe('where exports go', () => {
  it('asks the Rust side for the folder and for each document\'s suggested path', async () => {
    for (const call of [
      [() => exports.exportFolder(), 'export_folder'],
      [() => exports.suggestPdfPath('progress_report', 'c1'), 'suggest_pdf_path', { document: 'progress_report', id: 'c1' }],
      [() => exports.suggestPdfPath('aftercare', 's1'), 'suggest_pdf_path', { document: 'aftercare', id: 's1' }],
    ] as Call[])
      await check(call);
  });

  it('asks the app for its save dialog, starting from the current path; none when cancelled', async () => {
    invoke.mockResolvedValueOnce('/home/ana/Ana.pdf');
    expect(await exports.chooseSavePath('Save the progress report', ' /home/ana/Documents/Ana.pdf ')).toBe('/home/ana/Ana.pdf');
    expect(invoke).toHaveBeenLastCalledWith('choose_save_path', {
      title: 'Save the progress report',
      start: '/home/ana/Documents/Ana.pdf',
      extension: 'pdf',
    });
    invoke.mockResolvedValueOnce(null);
    expect(await exports.chooseSavePath('Save the access report', '', 'csv')).toBeNull();
    expect(invoke).toHaveBeenLastCalledWith('choose_save_path', { title: 'Save the access report', start: null, extension: 'csv' });
  });

  it('asks the app for its folder picker, for a folder to write into', async () => {
    invoke.mockResolvedValueOnce('/media/usb');
    expect(await exports.chooseExportFolder('Export into')).toBe('/media/usb');
    expect(invoke).toHaveBeenLastCalledWith('choose_folder', { title: 'Export into', start: null, purpose: 'write' });
    invoke.mockResolvedValueOnce(null);
    expect(await exports.chooseExportFolder('Export into')).toBeNull();
  });
});
