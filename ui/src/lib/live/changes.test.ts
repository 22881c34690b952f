import { describe, expect, it, vi } from 'vitest';
import { LiveChanges } from './changes.svelte';

const MAYA = { entity: 'client', id: 'c1', by: 'Maya Lewis' };
const PHOTO = { entity: 'photo', id: 'p1', by: null };

describe('the live changes', () => {
  it('counts the batches, keeps the latest and hands each to every listener', () => {
    const live = new LiveChanges();
    const list = vi.fn();
    const page = vi.fn();
    live.listen(list);
    live.listen(page);
    live.receive([MAYA]);
    live.receive([PHOTO]);
    expect(live.count).toBe(2);
    expect(live.last).toEqual([PHOTO]);
    expect(list.mock.calls).toEqual([[[MAYA]], [[PHOTO]]]);
    expect(page).toHaveBeenCalledTimes(2);
  });

  it('ignores an empty batch', () => {
    const live = new LiveChanges();
    const listener = vi.fn();
    live.listen(listener);
    live.receive([]);
    expect(live.count).toBe(0);
    expect(listener).not.toHaveBeenCalled();
  });

  it('stops calling a screen that has gone', () => {
    const live = new LiveChanges();
    const listener = vi.fn();
    const stop = live.listen(listener);
    stop();
    live.receive([MAYA]);
    expect(listener).not.toHaveBeenCalled();
    expect(live.count, 'the batch still counts').toBe(1);
  });

  it('lets every screen hear a batch though one of them fails', () => {
    const live = new LiveChanges();
    const after = vi.fn();
    live.listen(() => {
      throw new Error('reload failed');
    });
    live.listen(after);
    live.receive([MAYA]);
    expect(after).toHaveBeenCalledWith([MAYA]);
  });

  it('lets a screen stop listening while it hears a batch', () => {
    const live = new LiveChanges();
    const second = vi.fn();
    const stop = live.listen(() => stop());
    live.listen(second);
    live.receive([MAYA]);
    live.receive([PHOTO]);
    expect(second).toHaveBeenCalledTimes(2);
  });
});
