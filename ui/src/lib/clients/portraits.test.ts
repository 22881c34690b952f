// The shared portraits against a stand-in for the core's client_portrait.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const clientPortrait = vi.hoisted(() => vi.fn());
vi.mock('../api/photos', () => ({ clientPortrait }));

const { portraits } = await import('./portraits.svelte');

const photo = (id: string, client_id = 'c1') => ({ id, client_id, portrait: false });

beforeEach(() => {
  portraits.clear();
  clientPortrait.mockReset();
});

describe('portraits', () => {
  it('knows nothing before it asks, then the photo the core gives, or none', async () => {
    expect(portraits.of('c1')).toBeUndefined();
    clientPortrait.mockResolvedValueOnce(photo('face'));
    expect((await portraits.load('c1'))?.id).toBe('face');
    expect(portraits.of('c1')?.id).toBe('face');
    clientPortrait.mockResolvedValueOnce(null);
    await portraits.load('c2');
    expect(portraits.of('c2'), 'a client without a front photo').toBeNull();
  });

  it('shows no photo when the core refuses or fails', async () => {
    clientPortrait.mockResolvedValueOnce(photo('face'));
    await portraits.load('c1');
    clientPortrait.mockRejectedValueOnce({ kind: 'locked', message: 'the clinic is locked', field: null });
    expect(await portraits.load('c1')).toBeNull();
    expect(portraits.of('c1')).toBeNull();
  });

  it('marks the photos shown as a portrait', async () => {
    clientPortrait.mockResolvedValueOnce(photo('face'));
    await portraits.load('c1');
    expect(portraits.shows('face')).toBe(true);
    expect(portraits.shows('knee')).toBe(false);
    clientPortrait.mockResolvedValueOnce(photo('new-face'));
    await portraits.load('c1');
    expect(portraits.shows('face'), 'a new choice replaces the old one').toBe(false);
    expect(portraits.shows('new-face')).toBe(true);
  });

  it('keeps the latest answer when an older one arrives late', async () => {
    let answerOld: (value: unknown) => void = () => {};
    clientPortrait.mockImplementationOnce(() => new Promise((resolve) => (answerOld = resolve)));
    const old = portraits.load('c1');
    clientPortrait.mockResolvedValueOnce(photo('chosen'));
    await portraits.load('c1');
    answerOld(photo('stale'));
    await old;
    expect(portraits.of('c1')?.id).toBe('chosen');
  });

  it('forgets everything for the next person', async () => {
    clientPortrait.mockResolvedValueOnce(photo('face'));
    await portraits.load('c1');
    portraits.clear();
    expect(portraits.of('c1')).toBeUndefined();
    expect(portraits.shows('face')).toBe(false);
  });
});
