/**
 * Notion from the watcher: changes are debounced (`debounceMs` after the last one, at most
 * MAX_WAIT_FACTOR × that after the first) and batched into one call of the exactly-once sync.
 * A failed sync (it throws, or reports failed > 0) is an error and retried with exponential
 * backoff (debounce × 2^n, at most `maxBackoffMs`); nothing here ever stops the watcher. Only one
 * sync runs at a time; changes during a run start another one after it.
 */
import type { SyncSummary } from '../notion/sync.js';
import { realTimers, type Timers } from './engine.js';

export interface NotionSyncerOptions {
  debounceMs: number;
  /** One batched sync; the signal aborts it on shutdown. */
  sync: (signal: AbortSignal) => Promise<SyncSummary>;
  onSynced: (summary: SyncSummary) => void;
  onError: (message: string, retryInMs: number) => void;
  now?: () => number;
  timers?: Timers;
  maxBackoffMs?: number;
}

export interface NotionSyncer {
  /** Something changed: sync after the debounce. */
  notify(): void;
  /** Abort a running sync and cancel timers; resolves once the running sync has settled (or after graceMs). */
  stop(graceMs: number): Promise<void>;
  /** Resolves when no sync is running or due (for tests and --once). */
  idle(): Promise<void>;
}

export const MAX_WAIT_FACTOR = 6;

export function createNotionSyncer(options: NotionSyncerOptions): NotionSyncer {
  const timers = options.timers ?? realTimers;
  const now = options.now ?? Date.now;
  const maxBackoffMs = options.maxBackoffMs ?? 300_000;
  let timer: unknown = null;
  let firstPending: number | null = null;
  let retrying = false;
  let failures = 0;
  let running: Promise<void> | null = null;
  let pending = false;
  let stopped = false;
  const controller = new AbortController();
  let idlers: Array<() => void> = [];

  function settleIdle(): void {
    if (running || timer !== null || pending) return;
    const waiting = idlers;
    idlers = [];
    for (const resolve of waiting) resolve();
  }

  function arm(delay: number): void {
    if (timer !== null) timers.clear(timer);
    timer = timers.set(() => {
      timer = null;
      retrying = false;
      void runOnce();
    }, delay);
  }

  function failed(message: string): void {
    failures++;
    const delay = Math.min(maxBackoffMs, options.debounceMs * 2 ** failures);
    retrying = true;
    pending = true;
    options.onError(message, delay);
    if (!stopped) arm(delay);
  }

  async function runOnce(): Promise<void> {
    if (stopped || running) return;
    pending = false;
    firstPending = null;
    running = (async () => {
      try {
        const summary = await options.sync(controller.signal);
        if (stopped) return;
        options.onSynced(summary);
        if (summary.failed > 0) {
          const sample = summary.failures.slice(0, 3).map((f) => `${f.sprint}: ${f.code} ${f.message}`).join('; ');
          failed(`Notion sync failed for ${summary.failed} item${summary.failed === 1 ? '' : 's'}${sample ? ` (${sample})` : ''}`);
        } else {
          failures = 0;
        }
      } catch (error) {
        if (stopped) return;
        failed(`Notion sync failed: ${(error as Error).message ?? String(error)}`);
      }
    })();
    await running;
    running = null;
    if (pending && timer === null && !stopped) arm(options.debounceMs);
    settleIdle();
  }

  return {
    notify() {
      if (stopped) return;
      pending = true;
      if (running || retrying) return;
      const t = now();
      if (firstPending === null) firstPending = t;
      const maxWait = options.debounceMs * MAX_WAIT_FACTOR;
      arm(Math.max(0, Math.min(options.debounceMs, firstPending + maxWait - t)));
    },
    async stop(graceMs) {
      stopped = true;
      pending = false;
      if (timer !== null) timers.clear(timer);
      timer = null;
      controller.abort();
      if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      settleIdle();
    },
    idle() {
      if (!running && timer === null && !pending) return Promise.resolve();
      return new Promise((resolve) => idlers.push(resolve));
    },
  };
}
