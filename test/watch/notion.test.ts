import { describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/notion/sync.js';
import { createNotionSyncer, MAX_WAIT_FACTOR } from '../../src/watch/notion.js';
import { FakeClock } from './fake-clock.js';

const ok = (n = 1): SyncSummary => ({ created: n, updated: 0, unchanged: 0, failed: 0, failures: [] });
const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(results: Array<SyncSummary | Error>) {
  const clock = new FakeClock(Date.parse('2026-03-02T10:00:00Z'));
  const calls: number[] = [];
  const synced: SyncSummary[] = [];
  const errors: Array<{ message: string; retryInMs: number }> = [];
  const syncer = createNotionSyncer({
    debounceMs: 5_000,
    timers: clock,
    now: () => clock.now().getTime(),
    sync: async () => {
      calls.push(clock.now().getTime());
      const next = results.shift() ?? ok();
      if (next instanceof Error) throw next;
      return next;
    },
    onSynced: (s) => synced.push(s),
    onError: (message, retryInMs) => errors.push({ message, retryInMs }),
  });
  return { clock, calls, synced, errors, syncer };
}

describe('watcher Notion sync', () => {
  it('batches changes into one sync after the debounce', async () => {
    const { clock, calls, synced, syncer } = setup([ok(3)]);
    for (let i = 0; i < 5; i++) {
      syncer.notify();
      clock.advance(1_000);
    }
    await flush();
    expect(calls).toHaveLength(0);
    clock.advance(5_000);
    await flush();
    expect(calls).toHaveLength(1);
    expect(synced).toEqual([ok(3)]);
    await syncer.idle();
  });

  it('does not starve under a steady stream of changes', async () => {
    const { clock, calls, syncer } = setup([]);
    for (let i = 0; i < MAX_WAIT_FACTOR * 5 + 5; i++) {
      syncer.notify();
      clock.advance(1_000);
      await flush();
    }
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls[0]! - Date.parse('2026-03-02T10:00:00Z')).toBeLessThanOrEqual(MAX_WAIT_FACTOR * 5_000);
    await syncer.stop(100);
  });

  it('reports an outage and retries with growing backoff until it succeeds', async () => {
    const { clock, calls, synced, errors, syncer } = setup([new Error('connect ECONNREFUSED'), new Error('connect ECONNREFUSED'), ok(2)]);
    syncer.notify();
    clock.advance(5_000);
    await flush();
    expect(errors).toEqual([{ message: 'Notion sync failed: connect ECONNREFUSED', retryInMs: 10_000 }]);
    clock.advance(10_000);
    await flush();
    expect(errors.map((e) => e.retryInMs)).toEqual([10_000, 20_000]);
    clock.advance(20_000);
    await flush();
    expect(calls).toHaveLength(3);
    expect(synced).toEqual([ok(2)]);
    await syncer.idle();
    // Success resets the backoff: the next change syncs after the plain debounce.
    syncer.notify();
    clock.advance(5_000);
    await flush();
    expect(calls).toHaveLength(4);
  });

  it('treats failed items as an error to retry, after reporting the counts', async () => {
    const partial: SyncSummary = { created: 1, updated: 0, unchanged: 4, failed: 2, failures: [{ sprint: 'alpha', code: 'validation_error', message: 'bad property' }] };
    const { clock, calls, synced, errors, syncer } = setup([partial, ok(0)]);
    syncer.notify();
    clock.advance(5_000);
    await flush();
    expect(synced).toEqual([partial]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/failed for 2 items \(alpha: validation_error bad property\)/);
    clock.advance(10_000);
    await flush();
    expect(calls).toHaveLength(2);
  });

  it('runs another sync for changes that arrive while one is running', async () => {
    const clock = new FakeClock(0);
    let release!: () => void;
    let calls = 0;
    const syncer = createNotionSyncer({
      debounceMs: 1_000,
      timers: clock,
      now: () => clock.now().getTime(),
      sync: () => {
        calls++;
        return calls === 1 ? new Promise((resolve) => (release = () => resolve(ok()))) : Promise.resolve(ok());
      },
      onSynced: () => {},
      onError: () => {},
    });
    syncer.notify();
    clock.advance(1_000);
    expect(calls).toBe(1);
    syncer.notify();
    clock.advance(5_000);
    expect(calls).toBe(1);
    release();
    await flush();
    clock.advance(1_000);
    await flush();
    expect(calls).toBe(2);
    await syncer.stop(100);
  });
});
