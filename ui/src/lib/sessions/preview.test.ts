import { describe, expect, it, vi } from 'vitest';
import { livePreview } from './preview';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout: (run: () => void) => {
      pending.set(++next, run);
      return next;
    },
    clearTimeout: (handle: unknown) => void pending.delete(handle as number),
    fire() {
      const runs = [...pending.values()];
      pending.clear();
      for (const run of runs) run();
    },
    get count() {
      return pending.size;
    },
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('livePreview', () => {
  it('waits for a pause and sends only the last draft', async () => {
    const timers = manualTimers();
    const check = vi.fn(async (draft: { depth: number }) => [`warning for ${draft.depth}`]);
    const onResult = vi.fn();
    const preview = livePreview(check, { onResult, onError: vi.fn() }, 300, timers);
    preview.update({ depth: 1 });
    preview.update({ depth: 2 });
    expect(check).not.toHaveBeenCalled();
    timers.fire();
    await flush();
    expect(check).toHaveBeenCalledTimes(1);
    expect(onResult).toHaveBeenCalledWith(['warning for 2'], { depth: 2 });
  });

  it('does not send an unchanged draft again', async () => {
    const timers = manualTimers();
    const check = vi.fn(async () => []);
    const preview = livePreview(check, { onResult: vi.fn(), onError: vi.fn() }, 300, timers);
    preview.update({ depth: 1 });
    timers.fire();
    await flush();
    preview.update({ depth: 1 });
    expect(timers.count).toBe(0);
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('shows the answer to the newest draft even when an older one answers later', async () => {
    const timers = manualTimers();
    const answers = [deferred<string>(), deferred<string>()];
    let calls = 0;
    const onResult = vi.fn();
    const preview = livePreview(() => answers[calls++].promise, { onResult, onError: vi.fn() }, 300, timers);
    preview.update({ depth: 1 });
    timers.fire();
    preview.update({ depth: 2 });
    timers.fire();
    answers[1].resolve('newest');
    answers[0].resolve('oldest');
    await flush();
    expect(onResult.mock.calls).toEqual([['newest', { depth: 2 }]]);
  });

  it('ignores a late answer once there is nothing to check, and says so', async () => {
    const timers = manualTimers();
    const answer = deferred<string>();
    const onResult = vi.fn();
    const onClear = vi.fn();
    const preview = livePreview(() => answer.promise, { onResult, onError: vi.fn(), onClear }, 300, timers);
    preview.update({ depth: 1 });
    timers.fire();
    preview.update(null);
    answer.resolve('late');
    await flush();
    expect(onResult).not.toHaveBeenCalled();
    expect(onClear).toHaveBeenCalledTimes(1);
  });

  it('reports errors of the newest draft and checks again at once on refresh', async () => {
    const timers = manualTimers();
    const check = vi.fn().mockRejectedValueOnce(new Error('session time is in the future')).mockResolvedValue([]);
    const onError = vi.fn();
    const busy: boolean[] = [];
    const preview = livePreview(check, { onResult: vi.fn(), onError, onBusy: (b) => busy.push(b) }, 300, timers);
    preview.update({ depth: 1 });
    timers.fire();
    await flush();
    expect(onError).toHaveBeenCalledTimes(1);
    preview.refresh();
    await flush();
    expect(check).toHaveBeenCalledTimes(2);
    expect(busy).toEqual([true, false, true, false]);
  });
});
