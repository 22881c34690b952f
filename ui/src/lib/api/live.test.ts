// The live-updates wrapper against the generated bindings, with Tauri's
// events replaced: the event name Rust emits, and the batch handed on.
import { describe, expect, it, vi } from 'vitest';

const listen = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/event', () => ({ listen }));

const { onRecordsChanged } = await import('./live');

describe('records changed by other desktops', () => {
  it('are heard under the name Rust emits, as the batch of changes', async () => {
    let handler: ((event: { payload: unknown }) => void) | null = null;
    listen.mockImplementation(async (name: string, given: (event: { payload: unknown }) => void) => {
      expect(name).toBe('records-changed');
      handler = given;
      return () => {};
    });
    const heard = vi.fn();
    await onRecordsChanged(heard);
    const changes = [{ entity: 'client', id: 'c1', by: 'Maya Lewis' }];
    handler!({ payload: { changes } });
    expect(heard).toHaveBeenCalledWith(changes);
  });
});
