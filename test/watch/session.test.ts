/** The watcher session in-process: the inotify fallback and the Notion wiring, with real files and real file watches. */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/notion/sync.js';
import { postEntry } from '../../src/store/write.js';
import type { WatchEvent } from '../../src/watch/events.js';
import { startFileWatch } from '../../src/watch/fswatch.js';
import { startWatch, type WatchSession } from '../../src/watch/session.js';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const sessions: WatchSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.stop();
});

function collector() {
  const events: WatchEvent[] = [];
  const waiters: Array<{ match: (e: WatchEvent) => boolean; resolve: (e: WatchEvent) => void }> = [];
  const emit = (event: WatchEvent) => {
    events.push(event);
    for (const w of [...waiters]) if (w.match(event)) waiters.splice(waiters.indexOf(w), 1), w.resolve(event);
  };
  const waitFor = <E extends WatchEvent>(match: (e: WatchEvent) => boolean, what: string, ms = 30_000): Promise<E> => {
    const seen = events.find(match);
    if (seen) return Promise.resolve(seen as E);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what}; events: ${JSON.stringify(events)}`)), ms);
      waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e as E)) });
    });
  };
  return { events, emit, waitFor };
}

describe('cos watch session', () => {
  it('refuses in one sentence (exit 1, no lock left) when a status folder is a file', async () => {
    const root = testdir({ '.agent/config/coordination.yaml': 'version: 1\n', '.agent/status/current': 'not a folder\n' });
    const result = await cos(['watch', '--dir', root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('cos watch: .agent/status/current is a file, not a folder, so cos watch cannot use .agent/status/current/; move that file aside and start again.\n');
    expect(existsSync(join(root, '.agent/state/watch.lock'))).toBe(false);
    rmSync(join(root, '.agent/status'), { recursive: true });
    writeFileSync(join(root, '.agent/status'), 'not a folder either\n');
    const again = await cos(['watch', '--dir', root]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^cos watch: \.agent\/status is a file, not a folder, so cos watch cannot use \.agent\/status\/current\/; move that file aside/);
    expect(existsSync(join(root, '.agent/state/watch.lock'))).toBe(false);
  });

  it('names the inotify sysctl when watches run out, and keeps finding things by polling', async () => {
    const root = testdir({ '.agent/config/coordination.yaml': 'version: 1\nwatch:\n  reconcile_seconds: 3600\n' });
    const { events, emit, waitFor } = collector();
    let closed = false;
    const session = await startWatch({
      root,
      now: () => new Date(),
      env: process.env,
      emit,
      pollMs: 200,
      startFileWatch: async (options) => {
        const watch = await startFileWatch(options);
        // As fs.watch reports when inotify runs out while the watches are set up.
        options.onError(Object.assign(new Error('ENOSPC: System limit for number of file watchers reached, watch'), { code: 'ENOSPC' }));
        return {
          close: async () => {
            closed = true;
            await watch.close();
          },
        };
      },
    });
    sessions.push(session);
    expect(closed).toBe(true); // the file watch is dropped: what follows is found by polling
    const error = events.find((e) => e.event === 'error');
    expect(error).toMatchObject({ source: 'watcher', message: expect.stringContaining('fs.inotify.max_user_watches') });
    expect(events.find((e) => e.event === 'watching')).toMatchObject({ polling: true });
    postEntry(root, { sprint: 'polled', agent: 'ann', status: 'BLOCKED', severity: 'BLOCKER' });
    await waitFor((e) => e.event === 'finding' && e.finding.sprint === 'polled', 'the polled escalation');
    expect(await session.stop()).toBe(0);
  });

  it('syncs changes to Notion debounced, reports an outage as an error and retries until it syncs', async () => {
    const root = testdir({ '.agent/config/coordination.yaml': 'version: 1\nwatch:\n  reconcile_seconds: 3600\n  notion_debounce_seconds: 0.2\n' });
    const { events, emit, waitFor } = collector();
    const calls: Date[] = [];
    const results: Array<SyncSummary | Error> = [
      { created: 0, updated: 0, unchanged: 0, failed: 0, failures: [] }, // the catch-up at start
      new Error('Notion API 503 service_unavailable'),
      { created: 1, updated: 0, unchanged: 0, failed: 0, failures: [] },
    ];
    const session = await startWatch({
      root,
      now: () => new Date(),
      env: process.env,
      emit,
      notionModule: async () => ({
        isNotionConfigured: () => true,
        syncNotion: async (_root, options) => {
          calls.push(options.now!);
          const next = results.shift() ?? { created: 0, updated: 0, unchanged: 1, failed: 0, failures: [] };
          if (next instanceof Error) throw next;
          return next;
        },
      }),
    });
    sessions.push(session);
    await waitFor((e) => e.event === 'synced', 'the catch-up sync');
    postEntry(root, { sprint: 'shipped', agent: 'ann', status: 'COMPLETE' });
    const error = await waitFor((e) => e.event === 'error' && e.source === 'notion', 'the outage');
    expect(error).toMatchObject({ message: expect.stringMatching(/Notion sync failed: Notion API 503 service_unavailable; retrying in \d+ s/) });
    await waitFor((e) => e.event === 'synced' && e.created === 1, 'the retried sync');
    expect(calls).toHaveLength(3);
    expect(await session.stop()).toBe(0);
  });
});
