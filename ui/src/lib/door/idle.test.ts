import { describe, expect, it } from 'vitest';
import { isIdle, isLockShortcut } from './idle';

describe('the idle lock', () => {
  it('locks once the idle time has passed, not before', () => {
    expect(isIdle(0, 299_999, 300)).toBe(false);
    expect(isIdle(0, 300_000, 300)).toBe(true);
    expect(isIdle(10_000, 12_000, 2)).toBe(true);
  });

  it('never locks when no idle time is known', () => {
    expect(isIdle(0, 10_000_000, 0)).toBe(false);
  });
});

describe('the lock shortcut', () => {
  const key = (over: Partial<KeyboardEvent>) => ({ key: 'l', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...over });

  it('is Ctrl+L or Cmd+L, whatever the case', () => {
    expect(isLockShortcut(key({ ctrlKey: true }))).toBe(true);
    expect(isLockShortcut(key({ metaKey: true, key: 'L' }))).toBe(true);
  });

  it('is not a plain L, nor with other modifiers', () => {
    expect(isLockShortcut(key({}))).toBe(false);
    expect(isLockShortcut(key({ ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isLockShortcut(key({ ctrlKey: true, key: 'k' }))).toBe(false);
  });
});
