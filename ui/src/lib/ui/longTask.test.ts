import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { LongTask } from './longTask.svelte';

type Report = { done: number; total: number };

/** A task whose progress reports and end the test controls. */
function harness(options: { listenFails?: boolean; cancelFails?: boolean } = {}) {
  const calls = { listening: 0, stopped: 0, cancels: 0 };
  let report: ((progress: Report) => void) | null = null;
  let finish: (value: string) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const task = new LongTask<Report, string>({
    listen: async (handler) => {
      if (options.listenFails) throw new Error('no event channel');
      calls.listening += 1;
      report = handler;
      return () => {
        calls.stopped += 1;
        report = null;
      };
    },
    cancel: async () => {
      calls.cancels += 1;
      if (options.cancelFails) throw new ApiError('internal', 'nothing to cancel');
    },
  });
  const work = () =>
    new Promise<string>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  // Lets the listener be set up (run awaits it before starting the work).
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { task, calls, work, settle, report: (p: Report) => report?.(p), finish: (v: string) => finish(v), fail: (e: unknown) => fail(e) };
}

describe('LongTask', () => {
  it('shows each progress report while it runs, then what it returned, and stops listening', async () => {
    const { task, calls, work, settle, report, finish } = harness();
    const run = task.run(work);
    await settle();
    expect(task.running).toBe(true);
    expect(task.progress, 'no report yet').toBeNull();
    report({ done: 3, total: 10 });
    expect(task.progress).toEqual({ done: 3, total: 10 });
    finish('/media/backup/a.pinpoint-backup');
    expect(await run).toEqual({ done: '/media/backup/a.pinpoint-backup' });
    expect(task.outcome).toEqual({ done: '/media/backup/a.pinpoint-backup' });
    expect(task.running).toBe(false);
    expect(calls).toMatchObject({ listening: 1, stopped: 1 });
  });

  it('ends as cancelled, not failed, after Cancel', async () => {
    const { task, calls, work, settle, fail } = harness();
    const run = task.run(work);
    await settle();
    await task.cancel();
    await task.cancel();
    expect(calls.cancels, 'a second press asks nothing more').toBe(1);
    expect(task.cancelling).toBe(true);
    fail(new ApiError('cancelled', 'the backup was cancelled'));
    expect(await run).toEqual({ cancelled: true });
    expect(calls.stopped).toBe(1);
  });

  it('keeps a failure with its kind and message', async () => {
    const { task, work, settle, fail } = harness();
    const run = task.run(work);
    await settle();
    fail(new ApiError('invalid', 'the folder does not exist', 'folder'));
    const outcome = await run;
    expect(outcome && 'failure' in outcome && outcome.failure).toMatchObject({ kind: 'invalid', field: 'folder' });
  });

  it('still runs without progress reports', async () => {
    const { task, work, settle, finish } = harness({ listenFails: true });
    const run = task.run(work, { done: 0, total: 2 });
    await settle();
    expect(task.progress, 'the starting point given').toEqual({ done: 0, total: 2 });
    finish('ok');
    expect(await run).toEqual({ done: 'ok' });
  });

  it('does not start a second run while one is under way', async () => {
    const { task, work, settle, finish } = harness();
    const first = task.run(work);
    await settle();
    expect(await task.run(async () => 'second')).toBeNull();
    finish('first');
    expect(await first).toEqual({ done: 'first' });
  });

  it('lets Cancel be pressed again when the request to cancel failed', async () => {
    const { task, calls, work, settle, finish } = harness({ cancelFails: true });
    const run = task.run(work);
    await settle();
    await task.cancel();
    expect(task.cancelling).toBe(false);
    await task.cancel();
    expect(calls.cancels).toBe(2);
    finish('done anyway');
    await run;
  });

  it('does nothing on Cancel when nothing runs', async () => {
    const { task, calls } = harness();
    await task.cancel();
    expect(calls.cancels).toBe(0);
    expect(task.cancelling).toBe(false);
  });
});
