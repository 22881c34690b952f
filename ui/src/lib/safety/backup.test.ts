import { describe, expect, it } from 'vitest';
import type { AutoBackup } from '../api/safety';
import {
  backupForm,
  backupFormChanged,
  backupFraction,
  backupFromForm,
  backupProgressText,
  backupSizeText,
  lastBackupText,
} from './backup';

const STORED: AutoBackup = { folder: '/media/backup', schedule: 'daily', keep: 14, last_at: '2026-11-24T09:00:00Z' };

function check(form: Partial<ReturnType<typeof backupForm>>, expected: AutoBackup | string[]) {
  const result = backupFromForm({ ...backupForm(STORED), ...form }, STORED);
  if (Array.isArray(expected)) {
    expect(result.settings).toBeNull();
    expect(Object.keys(result.errors).sort()).toEqual(expected);
  } else {
    expect(result.errors).toEqual({});
    expect(result.settings).toEqual(expected);
  }
}

describe('backup settings form', () => {
  it('round-trips the stored settings, keeping when the last backup ran', () => {
    check({}, STORED);
    expect(backupFormChanged(backupForm(STORED), STORED)).toBe(false);
  });

  it('saves a trimmed folder, and no folder as none', () => {
    check({ folder: '  /mnt/nas/pinpoint  ' }, { ...STORED, folder: '/mnt/nas/pinpoint' });
    check({ folder: ' ', schedule: 'off' }, { ...STORED, folder: null, schedule: 'off' });
  });

  it('needs a folder for automatic backups', () => {
    check({ folder: '', schedule: 'daily' }, ['folder']);
    check({ folder: '', schedule: 'on_exit' }, ['folder']);
  });

  it('keeps 1 to 1000 backups, typed as a whole number', () => {
    check({ keep: ' 30 ' }, { ...STORED, keep: 30 });
    for (const keep of ['0', '1001', '2.5', '-1', 'ten', '']) check({ keep }, ['keep']);
  });

  it('notices a changed field', () => {
    expect(backupFormChanged({ ...backupForm(STORED), schedule: 'on_exit' }, STORED)).toBe(true);
    expect(backupFormChanged({ ...backupForm(STORED), keep: '14 ' }, STORED)).toBe(false);
  });
});

describe('backup progress and result', () => {
  it('reads progress as a share and in words', () => {
    expect(backupFraction(null)).toBe(0);
    expect(backupFraction({ done_bytes: 12_000_000, total_bytes: 48_000_000 })).toBe(0.25);
    expect(backupFraction({ done_bytes: 5, total_bytes: 0 })).toBe(0);
    expect(backupProgressText(null)).toBe('Starting…');
    expect(backupProgressText({ done_bytes: 12_000_000, total_bytes: 48_000_000 })).toBe('12 MB of 48 MB · 25 %');
  });

  it('gives the size of a finished backup', () => {
    expect(backupSizeText({ bytes: 3_400_000, parts: 41 })).toBe('3.4 MB, 41 parts');
    expect(backupSizeText({ bytes: null, parts: 1 })).toBe('1 part');
  });

  it('says when the last automatic backup ran, or that none has', () => {
    expect(lastBackupText(null)).toBe('No automatic backup yet');
    expect(lastBackupText('2026-11-24T09:00:00Z', 'en-GB', 'UTC')).toBe('Last automatic backup 24 Nov 2026, 09:00');
  });
});
