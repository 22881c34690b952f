import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { Sealing, sealingFraction, sealingText } from './sealing.svelte';

describe('how far sealing has got', () => {
  it('counts the files sealed, as the core reports them', () => {
    expect(sealingText({ done: 12, total: 240 })).toBe("Encrypting this clinic's data… 12 of 240 files");
    expect(sealingText({ done: 0, total: 1 })).toBe("Encrypting this clinic's data… 0 of 1 file");
    expect(sealingText({ done: 9, total: 4 }), 'never more done than there is').toBe("Encrypting this clinic's data… 4 of 4 files");
  });

  it('fills the bar by the share sealed, empty while the total is unknown', () => {
    expect(sealingFraction({ done: 60, total: 240 })).toBe(0.25);
    expect(sealingFraction({ done: 3, total: 0 })).toBe(0);
    expect(sealingFraction({ done: 300, total: 240 })).toBe(1);
  });
});

/** A request whose sealing reports and end the test controls. */
function harness(options: { listenFails?: boolean } = {}) {
  const calls = { listening: 0, stopped: 0 };
  let report: ((progress: { done: number; total: number }) => void) | null = null;
  let finish: (value: string) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const sealing = new Sealing({
    listen: async (handler) => {
      if (options.listenFails) throw new Error('no event channel');
      calls.listening += 1;
      report = handler;
      return () => {
        calls.stopped += 1;
        report = null;
      };
    },
  });
  /** How many listeners were set up when the request started (null before it does). */
  let listeningAtStart: number | null = null;
  const request = () => {
    listeningAtStart = calls.listening;
    return new Promise<string>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    sealing,
    calls,
    request,
    settle,
    listeningAtStart: () => listeningAtStart,
    report: (p: { done: number; total: number }) => report?.(p),
    finish: (v: string) => finish(v),
    fail: (e: unknown) => fail(e),
  };
}

describe('Sealing', () => {
  it('listens before the request starts, shows each report, and forgets them when it ends', async () => {
    const h = harness();
    const running = h.sealing.during(h.request);
    await h.settle();
    expect(h.listeningAtStart(), 'the first report of a quick seal is not missed').toBe(1);
    expect(h.sealing.progress, 'nothing sealed yet: no bar').toBeNull();
    h.report({ done: 5, total: 20 });
    expect(h.sealing.progress).toEqual({ done: 5, total: 20 });
    h.finish('opened');
    expect(await running).toBe('opened');
    expect(h.sealing.progress).toBeNull();
    expect(h.calls.stopped, 'stops listening once the request is over').toBe(1);
  });

  it('passes a refusal on to the form, and still stops listening', async () => {
    const h = harness();
    const running = h.sealing.during(h.request);
    await h.settle();
    h.fail(new ApiError('invalid', 'wrong passphrase', 'passphrase'));
    await expect(running).rejects.toMatchObject({ field: 'passphrase' });
    expect(h.calls.stopped).toBe(1);
  });

  it('still makes the request when the reports cannot be heard', async () => {
    const h = harness({ listenFails: true });
    const running = h.sealing.during(h.request);
    await h.settle();
    h.finish('opened');
    expect(await running).toBe('opened');
  });
});
