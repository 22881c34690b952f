import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TOAST_MS, toasts } from './toasts.svelte';

describe('toasts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const toast of toasts.list) toasts.dismiss(toast.id);
    vi.useRealTimers();
  });

  it('lets good news go away on its own, in order of arrival', () => {
    toasts.show('success', 'Automatic backup saved', '/media/backup/a.pinpoint-backup');
    toasts.show('info', 'Second', '');
    expect(toasts.list.map((t) => t.title)).toEqual(['Automatic backup saved', 'Second']);
    vi.advanceTimersByTime(TOAST_MS);
    expect(toasts.list).toEqual([]);
  });

  it('keeps a failure until it is dismissed', () => {
    const id = toasts.show('danger', 'The automatic backup failed', 'the disk is full');
    vi.advanceTimersByTime(TOAST_MS * 10);
    expect(toasts.list.map((t) => t.id)).toEqual([id]);
    toasts.dismiss(id);
    expect(toasts.list).toEqual([]);
  });
});
