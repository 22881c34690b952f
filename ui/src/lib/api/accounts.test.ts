// The account and audit wrappers the door, Settings and the access report
// use, against the generated bindings with Tauri's invoke and events
// replaced: the command and argument names the Rust side receives, and the
// refusals the screens act on.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Permission } from './accounts';

const invoke = vi.hoisted(() => vi.fn());
const listen = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen }));

const accounts = await import('./accounts');

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

describe('account commands', () => {
  it('name each command and argument as the Rust side expects', async () => {
    const input = {
      name: 'Mia Lund',
      role: 'practitioner' as const,
      practitioner_id: null,
      treats: { credentials: 'RN', prescriber: false },
      passphrase: null,
      pin: null,
    };
    for (const call of [
      [() => accounts.listAccounts(), 'list_accounts'],
      [() => accounts.addAccount(input), 'add_account', { input }],
      [() => accounts.setAccountDisabled('a1', true), 'set_account_disabled', { id: 'a1', disabled: true }],
      [() => accounts.setPassphrase('a1', 'a new passphrase', null), 'set_passphrase', { id: 'a1', passphrase: 'a new passphrase', pin: null }],
      [() => accounts.accessReport('c1'), 'access_report', { clientId: 'c1' }],
      [() => accounts.accountActivity('a1'), 'account_activity', { accountId: 'a1' }],
      [
        () => accounts.exportAccessReport('c1', 'csv', '/home/ana/Ana access report.csv', true),
        'export_access_report',
        { clientId: 'c1', format: 'csv', path: '/home/ana/Ana access report.csv', replace: true },
      ],
    ] as Call[]) {
      await check(call);
    }
  });

  it('name the sealed folder\'s commands as the Rust side expects', async () => {
    const key = '0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ-0123-4567-89AB-CDEF-GHJK';
    for (const call of [
      [
        () => accounts.recoverAccount(key, 'Ana Owner', 'a new passphrase', '4821'),
        'recover_account',
        { recoveryKey: key, name: 'Ana Owner', passphrase: 'a new passphrase', pin: '4821' },
      ],
      [() => accounts.dismissRecoveryKey(), 'dismiss_recovery_key'],
      [() => accounts.saveRecoverySheet(' /home/ana/recovery sheet.pdf '), 'save_recovery_sheet', { path: '/home/ana/recovery sheet.pdf', replace: false }],
      [() => accounts.saveRecoverySheet('/home/ana/recovery sheet.pdf', true), 'save_recovery_sheet', { path: '/home/ana/recovery sheet.pdf', replace: true }],
    ] as Call[]) {
      await check(call);
    }
  });

  it('keeps the field of a recovery key that does not open the folder, so the form can say it beside it', async () => {
    invoke.mockRejectedValueOnce({ kind: 'invalid', message: 'this recovery key does not open this data folder', field: 'recovery_key' });
    await expect(accounts.recoverAccount('0000', 'Ana Owner', 'a new passphrase', '4821')).rejects.toMatchObject({
      kind: 'invalid',
      field: 'recovery_key',
      message: 'this recovery key does not open this data folder',
    });
  });

  it('keeps the kind of a refusal to replace a saved recovery sheet, so the window can ask', async () => {
    invoke.mockRejectedValueOnce({ kind: 'conflict', message: '/home/ana/recovery sheet.pdf already exists', field: null });
    await expect(accounts.saveRecoverySheet('/home/ana/recovery sheet.pdf')).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('listens to sealing progress under the event name Rust emits', async () => {
    listen.mockImplementation(async (_name: string, handler: (e: { payload: unknown }) => void) => {
      handler({ payload: { done: 3, total: 40 } });
      return () => {};
    });
    const reports: unknown[] = [];
    await accounts.onSealingProgress((p) => reports.push(p));
    expect(listen.mock.calls[0][0]).toBe('sealing-progress');
    expect(reports).toEqual([{ done: 3, total: 40 }]);
  });

  it('keeps the kind of a refusal to disable the last owner, so its message is shown as said', async () => {
    invoke.mockRejectedValueOnce({ kind: 'conflict', message: 'Ana is the clinic’s only owner; add another owner first', field: null });
    await expect(accounts.setAccountDisabled('a1', true)).rejects.toMatchObject({ kind: 'conflict', field: null });
  });

  it('keeps the kind of a refusal to replace a saved report, so the window can ask', async () => {
    invoke.mockRejectedValueOnce({ kind: 'conflict', message: '/home/ana/report.pdf already exists', field: null });
    await expect(accounts.exportAccessReport('c1', 'pdf', '/home/ana/report.pdf', false)).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('keeps the field of a refused passphrase, so the form can say it beside it', async () => {
    invoke.mockRejectedValueOnce({ kind: 'invalid', message: 'a passphrase needs at least 10 characters; this one has 4', field: 'passphrase' });
    await expect(accounts.setPassphrase('a1', 'abcd', null)).rejects.toMatchObject({ kind: 'invalid', field: 'passphrase' });
  });
});

describe('permissions', () => {
  it('allows only what the person signed in was given', () => {
    const status = {
      door: 'open' as const,
      clinic_name: 'My clinic',
      me: { id: 'a1', name: 'Rita', role: 'reviewer' as const, practitioner_id: null, permissions: ['read_clinical', 'read_audit'] as Permission[] },
      names: [],
      idle_lock_seconds: 300,
      sealed: true,
      recovery_key: null,
    };
    expect(accounts.allows(status, 'read_audit')).toBe(true);
    expect(accounts.allows(status, 'manage_accounts')).toBe(false);
    expect(accounts.allows({ ...status, me: null }, 'read_audit'), 'nobody signed in').toBe(false);
    expect(accounts.allows(null, 'read_audit')).toBe(false);
  });
});
