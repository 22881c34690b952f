// The phone-capture wrappers against the generated bindings, with Tauri's
// invoke and events replaced: the command, argument and event names the
// Rust side uses, and what reaches the window from each.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors';

const invoke = vi.hoisted(() => vi.fn());
const listen = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen }));

const capture = await import('./capture');

const TARGET = { client_id: 'c1', session_id: 's1', follow_up_id: null };
const INFO = {
  url: 'https://192.168.1.20:47310/pair/0123',
  qr_svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
  fingerprint: 'AB:CD',
  expires_in_seconds: 600,
  client: 'Pia P.',
  moment: 'Session of 2026-12-07',
  loopback_only: false,
};

beforeEach(() => {
  invoke.mockReset();
  listen.mockReset();
});

describe('capture commands', () => {
  it('open a capture for a target and give back what the window shows', async () => {
    invoke.mockResolvedValueOnce(INFO);
    expect(await capture.openCapture(TARGET)).toEqual(INFO);
    expect(invoke).toHaveBeenLastCalledWith('open_capture', { target: TARGET });
  });

  it('close the open capture', async () => {
    invoke.mockResolvedValueOnce(null);
    expect(await capture.closeCapture()).toBeNull();
    expect(invoke).toHaveBeenLastCalledWith('close_capture');
  });

  it('turn a refusal into an ApiError the dialog can act on', async () => {
    invoke.mockRejectedValueOnce({ kind: 'forbidden', message: 'this account may not import photos', field: null });
    const refused = await capture.openCapture(TARGET).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).kind).toBe('forbidden');
  });
});

describe('capture events', () => {
  it('are listened to under the names Rust emits, and hand on their payloads', async () => {
    const handlers: Record<string, (event: { payload: unknown }) => void> = {};
    listen.mockImplementation(async (name: string, handler: (event: { payload: unknown }) => void) => {
      handlers[name] = handler;
      return () => {};
    });
    const arrived = vi.fn();
    const closed = vi.fn();
    const paired = vi.fn();
    await capture.onCapturePhotoArrived(arrived);
    await capture.onCaptureClosed(closed);
    await capture.onCapturePaired(paired);
    expect(Object.keys(handlers)).toEqual(['capture-photo-arrived', 'capture-closed', 'capture-paired']);
    handlers['capture-paired']({ payload: { target: TARGET } });
    expect(paired).toHaveBeenCalledWith({ target: TARGET });

    const result = { file: 'IMG_1.jpg', photo: null, duplicate: false, refused: { kind: 'invalid', message: 'not a photo' }, alignment: null };
    handlers['capture-photo-arrived']({ payload: { target: TARGET, result } });
    handlers['capture-closed']({ payload: { target: TARGET, why: 'the code expired before a phone used it' } });
    expect(arrived).toHaveBeenCalledWith({ target: TARGET, result });
    expect(closed).toHaveBeenCalledWith({ target: TARGET, why: 'the code expired before a phone used it' });
  });
});
