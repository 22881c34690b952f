import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { latestWins, liveSearch } from './search';
import type { SearchQuery } from './search';

/** A promise the test settles by hand, to replay answers in any order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('latestWins', () => {
  it('marks an answer that arrives after a newer call as stale', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let calls = 0;
    const request = latestWins(() => answers[calls++].promise);

    const first = request();
    const second = request();
    answers[1].resolve('second');
    answers[0].resolve('first');

    expect(await second).toEqual({ current: true, value: 'second' });
    expect(await first).toEqual({ current: false });
  });

  it('passes the newest failure on but swallows stale ones', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let calls = 0;
    const request = latestWins(() => answers[calls++].promise);

    const first = request();
    const second = request();
    answers[0].reject(new Error('old failure'));
    answers[1].reject(new Error('new failure'));

    expect(await first).toEqual({ current: false });
    await expect(second).rejects.toThrow('new failure');
  });

  it('keeps an answer current when no newer call was made', async () => {
    const request = latestWins(async (n: number) => n * 2);
    expect(await request(21)).toEqual({ current: true, value: 42 });
    expect(await request(5)).toEqual({ current: true, value: 10 });
  });
});

describe('liveSearch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const query = (text: string, includeArchived = false): SearchQuery => ({ text, includeArchived });

  function setUp() {
    const pending = new Map<string, ReturnType<typeof deferred<string[]>>>();
    const fetch = vi.fn((q: SearchQuery) => {
      const answer = deferred<string[]>();
      pending.set(q.text, answer);
      return answer.promise;
    });
    const shown: string[][] = [];
    const errors: unknown[] = [];
    const busy: boolean[] = [];
    const search = liveSearch(fetch, {
      onResults: (results) => shown.push(results),
      onError: (error) => errors.push(error),
      onBusy: (value) => busy.push(value),
    });
    return { fetch, pending, shown, errors, busy, search };
  }

  it('waits for typing to pause before asking', async () => {
    const { fetch, search } = setUp();
    search.search(query('a'));
    await vi.advanceTimersByTimeAsync(60);
    search.search(query('an'));
    await vi.advanceTimersByTimeAsync(60);
    search.search(query('ana'));
    await vi.advanceTimersByTimeAsync(119);
    expect(fetch, 'nothing is asked while typing continues').not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(query('ana'));
  });

  it('asks at once when told to', () => {
    const { fetch, search } = setUp();
    search.search(query('', true), { immediate: true });
    expect(fetch).toHaveBeenCalledWith(query('', true));
  });

  it('shows only the newest answer when answers arrive out of order', async () => {
    const { pending, shown, busy, search } = setUp();
    search.search(query('an'));
    await vi.advanceTimersByTimeAsync(120);
    search.search(query('ana'));
    await vi.advanceTimersByTimeAsync(120);

    pending.get('ana')!.resolve(['Ana']);
    await vi.advanceTimersByTimeAsync(0);
    pending.get('an')!.resolve(['Ana', 'Anton']);
    await vi.advanceTimersByTimeAsync(0);

    expect(shown, 'the late answer for "an" must not replace the one for "ana"').toEqual([['Ana']]);
    expect(busy.at(-1)).toBe(false);
  });

  it('reports the failure of the newest request', async () => {
    const { pending, errors, search } = setUp();
    search.search(query('x'), { immediate: true });
    pending.get('x')!.reject({ kind: 'internal' });
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([{ kind: 'internal' }]);
  });

  it('stays busy while a newer query still waits for typing to pause', async () => {
    const { pending, busy, search } = setUp();
    search.search(query('a'), { immediate: true });
    search.search(query('an'));
    pending.get('a')!.resolve([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(busy.at(-1), 'a query is still waiting').toBe(true);
    await vi.advanceTimersByTimeAsync(120);
    pending.get('an')!.resolve([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(busy.at(-1)).toBe(false);
  });

  it('ignores everything once disposed', async () => {
    const { fetch, pending, shown, search } = setUp();
    search.search(query('a'), { immediate: true });
    search.search(query('ab'));
    search.dispose();
    pending.get('a')!.resolve(['A']);
    await vi.advanceTimersByTimeAsync(500);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(shown).toEqual([]);
  });
});
