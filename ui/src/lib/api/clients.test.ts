// The wrapper against the generated bindings, with Tauri's invoke replaced:
// checks the command names and argument names the Rust side receives.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const { listClients, getClient, createClient, updateClient, setClientArchived, clientRetention, pastRetention, eraseClient } = await import(
  './clients'
);
const { appInfo } = await import('./app');
const { ApiError } = await import('./errors');

const INPUT = { name: 'Ana', date_of_birth: null, phone: null, email: null, fitzpatrick: null, notes: '' };

describe('client commands', () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockResolvedValue([]);
  });

  it('sends a blank search as null and a trimmed one as text', async () => {
    await listClients('   ', false);
    expect(invoke).toHaveBeenLastCalledWith('list_clients', { search: null, includeArchived: false });
    await listClients(' ana ', true);
    expect(invoke).toHaveBeenLastCalledWith('list_clients', { search: 'ana', includeArchived: true });
  });

  it('names each command and argument as the Rust side expects', async () => {
    await getClient('c1');
    expect(invoke).toHaveBeenLastCalledWith('get_client', { id: 'c1' });
    await createClient(INPUT);
    expect(invoke).toHaveBeenLastCalledWith('create_client', { input: INPUT });
    await updateClient('c1', INPUT, '2026-11-25T10:20:00.123456789Z');
    expect(invoke, 'the record as the form was filled goes with the edit').toHaveBeenLastCalledWith('update_client', {
      id: 'c1',
      input: INPUT,
      seen: '2026-11-25T10:20:00.123456789Z',
    });
    await updateClient('c1', INPUT, null);
    expect(invoke).toHaveBeenLastCalledWith('update_client', { id: 'c1', input: INPUT, seen: null });
    await setClientArchived('c1', true);
    expect(invoke).toHaveBeenLastCalledWith('set_client_archived', { id: 'c1', archived: true });
    await appInfo();
    expect(invoke).toHaveBeenLastCalledWith('app_info');
  });

  it('names the retention and erasure commands and their arguments as the Rust side expects', async () => {
    await clientRetention('c1');
    expect(invoke).toHaveBeenLastCalledWith('client_retention', { clientId: 'c1' });
    await pastRetention();
    expect(invoke).toHaveBeenLastCalledWith('past_retention');
    await eraseClient('c1', 'client_request', ' ana ');
    expect(invoke).toHaveBeenLastCalledWith('erase_client', { clientId: 'c1', reason: 'client_request', confirmName: ' ana ' });
  });

  it('returns what an erasure removed', async () => {
    invoke.mockResolvedValueOnce({ client_id: 'c1', rows: 42, photos: 6 });
    await expect(eraseClient('c1', 'retention_passed', 'Ana')).resolves.toEqual({ client_id: 'c1', rows: 42, photos: 6 });
  });

  it('throws a wrong name beside its field and an erasure before its time as a conflict', async () => {
    const wrongName = `type the client's name exactly as recorded ("Ana") to erase the record`;
    invoke.mockRejectedValueOnce({ kind: 'invalid', message: wrongName, field: 'confirm_name' });
    await expect(eraseClient('c1', 'client_request', 'Anna')).rejects.toMatchObject({ kind: 'invalid', field: 'confirm_name' });
    invoke.mockRejectedValueOnce({ kind: 'conflict', message: "Ana's record is kept until 2035-03-12", field: null });
    await expect(eraseClient('c1', 'retention_passed', 'Ana')).rejects.toMatchObject({ kind: 'conflict', field: null });
  });

  it('returns the value the command resolves with', async () => {
    invoke.mockResolvedValueOnce({ version: '0.1.0', data_dir: '/data', client_count: 3 });
    await expect(appInfo()).resolves.toEqual({ version: '0.1.0', data_dir: '/data', client_count: 3 });
  });

  it('throws a rejected AppError as ApiError with kind and field', async () => {
    invoke.mockRejectedValueOnce({ kind: 'invalid', message: 'email is not valid', field: 'email' });
    const error = await createClient(INPUT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'invalid', field: 'email' });
  });

  it('throws an IPC failure as an internal ApiError', async () => {
    invoke.mockRejectedValueOnce(new Error('ipc unavailable'));
    await expect(getClient('c1')).rejects.toMatchObject({ kind: 'internal', message: 'ipc unavailable' });
  });
});
