// The photo and data-safety wrappers against the generated bindings, with
// Tauri's invoke, events and webview replaced: the command and
// argument names the Rust side receives, and what the wrappers make of the answers.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
const listen = vi.hoisted(() => vi.fn());
const onDragDropEvent = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen }));
vi.mock('@tauri-apps/api/webview', () => ({ getCurrentWebview: () => ({ onDragDropEvent }) }));

const photos = await import('./photos');
const safety = await import('./safety');

const PHOTO = {
  id: 'p1',
  client_id: 'c1',
  session_id: 's1',
  sha256: 'ab',
  format: 'jpeg',
  original_name: 'a.jpg',
  bytes: 10,
  width: 800,
  height: 600,
  orientation: 1,
  captured_at: null,
  imported_at: '2026-11-25T10:00:00Z',
  kind: 'before',
  zone: 'cheeks',
  pose: 'front',
  custom_pose: null,
  alignment: null,
};

type Call = [() => Promise<unknown>, string, Record<string, unknown>?];

async function check([run, command, args]: Call) {
  invoke.mockClear();
  await run();
  if (args === undefined) expect(invoke, command).toHaveBeenLastCalledWith(command);
  else expect(invoke, command).toHaveBeenLastCalledWith(command, args);
}

beforeEach(() => {
  invoke.mockReset();
  invoke.mockResolvedValue([]);
  listen.mockReset();
  onDragDropEvent.mockReset();
});

describe('photo commands', () => {
  it('name each command and argument as the Rust side expects', async () => {
    const tags = { sessionId: 's1', followUpId: null, kind: 'after' as const, zone: 'cheeks', pose: 'custom' as const, customPose: 'chin up' };
    const alignment = { reference: 'p0', dx: 0.1, dy: 0, rotate_deg: 2, scale: 1 };
    const photoTags = { session_id: null, follow_up_id: null, kind: 'progress' as const, zone: 'neck', pose: 'front' as const, custom_pose: null };
    for (const call of [
      [() => photos.listPhotos('c1'), 'list_photos', { clientId: 'c1' }],
      [
        () => photos.importPhotos('c1', tags, ['/a.jpg', '/b.heic']),
        'import_photos',
        {
          clientId: 'c1',
          tags: { session_id: 's1', follow_up_id: null, kind: 'after', zone: 'cheeks', pose: 'custom', custom_pose: 'chin up' },
          paths: ['/a.jpg', '/b.heic'],
        },
      ],
      [() => photos.cancelPhotoImport(), 'cancel_photo_import'],
      [() => photos.setPhotoTags('p1', photoTags), 'set_photo_tags', { photoId: 'p1', tags: photoTags }],
      [() => photos.setPhotoAlignment('p1', alignment), 'set_photo_alignment', { photoId: 'p1', alignment }],
      [() => photos.setPhotoAlignment('p1', null), 'set_photo_alignment', { photoId: 'p1', alignment: null }],
      [() => photos.compareCandidates('c1'), 'compare_candidates', { clientId: 'c1' }],
      [() => photos.importableFiles('  /media/card  '), 'importable_files', { folder: '/media/card' }],
      [() => photos.autoAlignPhoto('p1', 'p0', false), 'auto_align_photo', { photoId: 'p1', reference: 'p0', replace: false }],
      [() => photos.autoAlignPhoto('p1', 'p0', true), 'auto_align_photo', { photoId: 'p1', reference: 'p0', replace: true }],
      [() => photos.setPhotoPortrait('p1', true), 'set_photo_portrait', { photoId: 'p1', chosen: true }],
      [() => photos.setPhotoPortrait('p1', false), 'set_photo_portrait', { photoId: 'p1', chosen: false }],
      [() => photos.clientPortrait('c1'), 'client_portrait', { clientId: 'c1' }],
      [() => photos.chooseImagePath('Save the comparison', ' /home/me/Documents '), 'choose_save_path', { title: 'Save the comparison', start: '/home/me/Documents', extension: 'jpg' }],
      [() => photos.chooseImagePath('Save the comparison', '  '), 'choose_save_path', { title: 'Save the comparison', start: null, extension: 'jpg' }],
    ] as Call[]) {
      invoke.mockResolvedValue(
        call[1] === 'import_photos' || call[1] === 'list_photos'
          ? []
          : call[1] === 'auto_align_photo'
            ? { photo: PHOTO, outcome: { reference: 'p0', confidence: 0.9, applied: true } }
            : PHOTO,
      );
      await check(call);
    }
  });

  it('sends the comparison image as base64 with the trimmed path, and replaces only when asked', async () => {
    const written = { path: '/tmp/pair.jpg', bytes: 4, width: 2, height: 1 };
    invoke.mockResolvedValue(written);
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
    expect(await photos.exportComparison('p0', 'p1', 'client_copy', jpeg, ' /tmp/pair.jpg ')).toEqual(written);
    expect(invoke).toHaveBeenLastCalledWith('export_comparison', {
      first: 'p0',
      second: 'p1',
      usage: 'client_copy',
      jpegBase64: '/9j/4A==',
      path: '/tmp/pair.jpg',
      replace: false,
    });
    await photos.exportComparison('p0', 'p1', 'marketing', jpeg, '/tmp/pair.jpg', true);
    expect(invoke.mock.lastCall?.[1]).toMatchObject({ usage: 'marketing', replace: true });
  });

  it('encodes an image larger than one slice whole', async () => {
    invoke.mockResolvedValue({ path: '/tmp/big.jpg', bytes: 0, width: 1, height: 1 });
    const jpeg = new Uint8Array(100_003).map((_, i) => (i * 7) % 256);
    await photos.exportComparison('p0', 'p1', 'client_copy', jpeg, '/tmp/big.jpg');
    const sent = (invoke.mock.lastCall?.[1] as { jpegBase64: string }).jpegBase64;
    const arrived = Uint8Array.from(atob(sent), (c) => c.charCodeAt(0));
    expect(arrived, 'the bytes arrive as they were drawn').toEqual(jpeg);
  });

  it('reports a refused marketing export as kind conflict, for the window to say why', async () => {
    invoke.mockRejectedValueOnce({ kind: 'conflict', message: 'Ada has no marketing-photo consent in force today', field: null });
    await expect(photos.exportComparison('p0', 'p1', 'marketing', new Uint8Array([0xff]), '/tmp/x.jpg')).rejects.toMatchObject({
      kind: 'conflict',
    });
  });

  it('remembers the photo an automatic alignment or a portrait choice gives back', async () => {
    invoke.mockResolvedValueOnce({ photo: { ...PHOTO, id: 'aligned' }, outcome: { reference: 'p0', confidence: 0.8, applied: true } });
    const result = await photos.autoAlignPhoto('aligned', 'p0', false);
    expect(result.outcome.applied).toBe(true);
    expect(photos.knownPhoto('aligned')).not.toBeNull();
    invoke.mockResolvedValueOnce({ ...PHOTO, id: 'face', portrait: true });
    await photos.setPhotoPortrait('face', true);
    expect(photos.knownPhoto('face')?.portrait).toBe(true);
  });

  it('gives no portrait when the client has none or the person may not see photos', async () => {
    invoke.mockResolvedValueOnce(null);
    expect(await photos.clientPortrait('c1')).toBeNull();
    invoke.mockResolvedValueOnce({ ...PHOTO, id: 'latest-front' });
    expect((await photos.clientPortrait('c1'))?.id).toBe('latest-front');
  });

  it('remembers every photo it has seen, so a comparison can find its photos by id', async () => {
    invoke.mockResolvedValueOnce([PHOTO]);
    await photos.listPhotos('c1');
    expect(photos.knownPhoto('p1')?.client_id).toBe('c1');
    invoke.mockResolvedValueOnce([{ file: '/x.jpg', photo: { ...PHOTO, id: 'p9' }, duplicate: false, refused: null }]);
    await photos.importPhotos('c1', { sessionId: null, followUpId: null, kind: 'before', zone: 'cheeks', pose: 'front', customPose: null }, ['/x.jpg']);
    expect(photos.knownPhoto('p9')).not.toBeNull();
    expect(photos.knownPhoto('nope')).toBeNull();
  });

  it('finds a photo it has not seen by listing each client’s photos', async () => {
    invoke.mockImplementation(async (command: string, args: { clientId?: string }) => {
      if (command === 'list_clients') return [{ id: 'c7' }, { id: 'c8' }];
      if (command === 'list_photos') return args.clientId === 'c8' ? [{ ...PHOTO, id: 'far', client_id: 'c8' }] : [];
      throw new Error(`unexpected ${command}`);
    });
    expect((await photos.findPhoto('far'))?.client_id).toBe('c8');
    expect(await photos.findPhoto('nowhere')).toBeNull();
  });

  it('builds the one address the photo store serves, per platform', () => {
    expect(photos.photoUrl('0190-ab', 'thumb', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit')).toBe('pinpoint://localhost/photo/0190-ab/thumb');
    expect(photos.photoUrl('0190-ab', 'preview', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)')).toBe('http://pinpoint.localhost/photo/0190-ab/preview');
    expect(photos.photoUrl('a/b', 'original', 'Macintosh')).toBe('pinpoint://localhost/photo/a%2Fb/original');
  });

  it('asks the app for its photo-file dialog and gives back the paths chosen', async () => {
    invoke.mockResolvedValueOnce(['/a.jpg', '/b.png']);
    expect(await photos.choosePhotoFiles()).toEqual(['/a.jpg', '/b.png']);
    expect(invoke).toHaveBeenLastCalledWith('choose_photo_files');
    invoke.mockResolvedValueOnce([]);
    expect(await photos.choosePhotoFiles()).toEqual([]);
  });

  it('passes on file drags onto the window, without the position', async () => {
    const seen: unknown[] = [];
    onDragDropEvent.mockImplementation(async (handler: (e: { payload: unknown }) => void) => {
      handler({ payload: { type: 'enter', paths: ['/a.jpg'], position: { x: 1, y: 2 } } });
      handler({ payload: { type: 'over', position: { x: 3, y: 4 } } });
      handler({ payload: { type: 'drop', paths: ['/a.jpg'], position: { x: 3, y: 4 } } });
      handler({ payload: { type: 'leave' } });
      return () => {};
    });
    await photos.onFileDrag((drag) => seen.push(drag));
    expect(seen).toEqual([{ type: 'enter', paths: ['/a.jpg'] }, { type: 'drop', paths: ['/a.jpg'] }, { type: 'leave' }]);
  });

  it('listens to import progress under the event name Rust emits', async () => {
    listen.mockImplementation(async (_name: string, handler: (e: { payload: unknown }) => void) => {
      handler({ payload: { done: 0, total: 2, current: '' } });
      return () => {};
    });
    const reports: unknown[] = [];
    await photos.onPhotoImportProgress((p) => reports.push(p));
    expect(listen.mock.calls[0][0]).toBe('photo-import-progress');
    expect(reports).toEqual([{ done: 0, total: 2, current: '' }]);
  });
});

describe('data-safety commands', () => {
  it('name each command and argument as the Rust side expects', async () => {
    const settings = { folder: '/b', schedule: 'daily' as const, keep: 7, last_at: null };
    invoke.mockResolvedValue({});
    for (const call of [
      [() => safety.checkData(), 'check_data'],
      [() => safety.getAutoBackup(), 'get_auto_backup'],
      [() => safety.saveAutoBackup(settings), 'save_auto_backup', { settings }],
      [() => safety.backupNow(' /media/usb '), 'backup_now', { folder: '/media/usb' }],
      [() => safety.backupNow('  '), 'backup_now', { folder: null }],
      [() => safety.backupNow(null), 'backup_now', { folder: null }],
      [() => safety.cancelBackup(), 'cancel_backup'],
    ] as Call[]) {
      await check(call);
    }
  });

  it('reports a cancelled backup as kind cancelled', async () => {
    invoke.mockRejectedValueOnce({ kind: 'cancelled', message: 'the backup cancelled; nothing was changed', field: null });
    await expect(safety.backupNow('/b')).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('listens to backup progress and the automatic-backup events by their names', async () => {
    listen.mockResolvedValue(() => {});
    await safety.onBackupProgress(() => {});
    await safety.onAutoBackupDone(() => {});
    await safety.onAutoBackupFailed(() => {});
    expect(listen.mock.calls.map((c) => c[0])).toEqual(['backup-progress', 'auto-backup-done', 'auto-backup-failed']);
  });

  it('hands the typed backup events on as the window uses them', async () => {
    const handlers: Record<string, (event: { payload: unknown }) => void> = {};
    listen.mockImplementation(async (name: string, handler: (event: { payload: unknown }) => void) => {
      handlers[name] = handler;
      return () => {};
    });
    const progress = vi.fn();
    const failed = vi.fn();
    await safety.onBackupProgress(progress);
    await safety.onAutoBackupFailed(failed);
    handlers['backup-progress']({ payload: { done_bytes: 5, total_bytes: null } });
    handlers['auto-backup-failed']({ payload: { message: 'no space left on device' } });
    expect(progress).toHaveBeenCalledWith({ done_bytes: 5, total_bytes: 0 });
    expect(failed).toHaveBeenCalledWith('no space left on device');
  });

  it('asks the app for its folder picker, for a folder to write backups into', async () => {
    invoke.mockResolvedValueOnce('/media/usb');
    expect(await safety.chooseFolder('Folder for backups', ' /media ')).toBe('/media/usb');
    expect(invoke).toHaveBeenLastCalledWith('choose_folder', { title: 'Folder for backups', start: '/media', purpose: 'write' });
    invoke.mockResolvedValueOnce(null);
    expect(await safety.chooseFolder('Folder for backups')).toBeNull();
  });
});
