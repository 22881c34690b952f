// The wrapper against the generated bindings, with Tauri's invoke replaced:
// checks the command names and argument names the Rust side receives.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const { listClients, getClient, createClient, updateClient, setClientArchived } = await import('./clients');
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
    await updateClient('c1', INPUT);
    expect(invoke).toHaveBeenLastCalledWith('update_client', { id: 'c1', input: INPUT });
    await setClientArchived('c1', true);
    expect(invoke).toHaveBeenLastCalledWith('set_client_archived', { id: 'c1', archived: true });
    await appInfo();
    expect(invoke).toHaveBeenLastCalledWith('app_info');
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
