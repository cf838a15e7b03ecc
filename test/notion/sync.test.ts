/** syncNotion against the Notion-shaped server (real client over loopback), fast rates. */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncNotion, isNotionConfigured } from '../../src/notion/sync.js';
import { hashValues, sprintValues } from '../../src/notion/mapping.js';
import { loadNotionConfig } from '../../src/notion/config.js';
import { loadLedger, saveLedger } from '../../src/notion/ledger.js';
import { deriveSprints } from '../../src/state/lifecycle.js';
import { loadSynced } from '../../src/notion/synced.js';
import { postEntry } from '../../src/store/write.js';
import { readStore } from '../../src/store/read.js';
import { initRepo } from '../../src/store/init.js';
import { testdir } from '../helpers/tmp.js';
import { cos } from '../helpers/cli.js';
import { FULL_SCHEMA, notionEnv, notionRepo, writeNotionConfig } from './fixture.js';
import { startNotionServer, type NotionTestServer } from './server.js';

let server: NotionTestServer;
afterEach(async () => {
  await server?.close();
});

async function setup(sprints: number, { withDataSourceId = false, extra = undefined as string | undefined } = {}) {
  server = await startNotionServer({ rate: 1000, burst: 1000 });
  const { databaseId, dataSourceId } = server.createDatabase({ properties: FULL_SCHEMA });
  const root = notionRepo({ databaseId, ...(withDataSourceId ? { dataSourceId } : {}), sprints, ...(extra ? { extra } : {}) });
  return { root, databaseId, dataSourceId, env: notionEnv(server) };
}

const creates = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/pages').length;

describe('syncNotion', () => {
  it('creates one page per sprint with every field, then sends nothing when nothing changed', async () => {
    const { root, dataSourceId, env } = await setup(5);
    const first = await syncNotion(root, { env });
    expect(first).toMatchObject({ created: 5, updated: 0, unchanged: 0, failed: 0 });
    const pages = server.pagesOf(dataSourceId);
    expect(pages).toHaveLength(5);
    const entries = readStore(root).entries.filter((e) => e.sprint === 'sprint-000');
    const page = pages.find((p) => p.Name === 'sprint-000')!;
    expect((page.Status as { name: string }).name).toBe('COMPLETE');
    expect((page.Severity as { name: string }).name).toBe('WARN');
    expect((page.Agents as Array<{ name: string }>).map((o) => o.name)).toEqual(['developer']);
    expect(page['Last update']).toBe(entries[1]!.timestamp);
    expect(page['Completed at']).toBe(entries[1]!.timestamp);
    expect(page['Verified at']).toBeNull();
    expect(page['Latest entry']).toBe(entries[1]!.file);
    expect(page.Entries).toBe(2);
    expect(page.Failures).toBe(0);

    const before = server.requests.length;
    const second = await syncNotion(root, { env });
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 5, failed: 0, requests: 0 });
    expect(server.requests.length).toBe(before);
  });

  it('updates only the sprint that changed, in place', async () => {
    const { root, dataSourceId, env } = await setup(3, { withDataSourceId: true });
    await syncNotion(root, { env });
    const verified = postEntry(root, { sprint: 'sprint-001', agent: 'qa', status: 'VERIFIED', now: new Date('2026-01-15T00:00:00Z') });
    const summary = await syncNotion(root, { env });
    expect(summary).toMatchObject({ created: 0, updated: 1, unchanged: 2, failed: 0 });
    const pages = server.pagesOf(dataSourceId);
    expect(pages).toHaveLength(3);
    const page = pages.find((p) => p.Name === 'sprint-001')!;
    expect((page.Status as { name: string }).name).toBe('VERIFIED');
    expect(page['Verified at']).toBe(verified.timestamp);
    expect((page.Agents as Array<{ name: string }>).map((o) => o.name)).toEqual(['developer', 'qa']);
  });

  it('adopts the page a lost run created (ledger gone) instead of creating a second', async () => {
    const { root, dataSourceId, env } = await setup(4);
    await syncNotion(root, { env });
    rmSync(join(root, '.agent/state/notion-ledger.json'));
    postEntry(root, { sprint: 'sprint-002', agent: 'qa', status: 'VERIFIED' });
    const summary = await syncNotion(root, { env });
    expect(summary).toMatchObject({ created: 0, updated: 4, failed: 0 });
    expect(server.pagesOf(dataSourceId)).toHaveLength(4);
    expect(creates()).toBe(4);
  });

  it('a create whose answer is lost (timeout after the write) is found by key, not made twice', async () => {
    const { root, dataSourceId, env } = await setup(3, { extra: 'timeout_seconds: 1' });
    server.fail({ mode: 'timeout', count: 1, afterWrite: true, when: (method, path) => method === 'POST' && path === '/v1/pages' });
    const summary = await syncNotion(root, { env });
    expect(summary).toMatchObject({ created: 3, failed: 0 });
    const names = server.pagesOf(dataSourceId).map((p) => p.Name).sort();
    expect(names).toEqual(['sprint-000', 'sprint-001', 'sprint-002']);
    expect(summary.retries).toBeGreaterThanOrEqual(1);
  });

  it('a 500 or 502 after the write is retried through a lookup: still one page each', async () => {
    const { root, dataSourceId, env } = await setup(3);
    server.fail({ mode: 'http502', count: 2, afterWrite: true, when: (method, path) => method === 'POST' && path === '/v1/pages' });
    const summary = await syncNotion(root, { env });
    expect(summary).toMatchObject({ created: 3, failed: 0 });
    expect(server.pagesOf(dataSourceId)).toHaveLength(3);
  });

  it('recreates a page deleted in Notion', async () => {
    const { root, dataSourceId, env } = await setup(2);
    await syncNotion(root, { env });
    const gone = server.pagesOf(dataSourceId).find((p) => p.Name === 'sprint-001')!;
    server.pages.delete(gone.id);
    postEntry(root, { sprint: 'sprint-001', agent: 'qa', status: 'VERIFIED' });
    const summary = await syncNotion(root, { env });
    expect(summary).toMatchObject({ created: 1, failed: 0 });
    expect(server.pagesOf(dataSourceId).map((p) => p.Name).sort()).toEqual(['sprint-000', 'sprint-001']);
  });

  it('retries a 429 after Retry-After and counts no failure', async () => {
    const { root, dataSourceId, env } = await setup(2);
    server.fail({ mode: 'rate_limited', count: 1 });
    const summary = await syncNotion(root, { env });
    expect(summary).toMatchObject({ created: 2, failed: 0, rateLimited: 1 });
    expect(server.pagesOf(dataSourceId)).toHaveLength(2);
  });

  it('--dry-run says what would change from the ledger alone and sends nothing', async () => {
    const { root, env } = await setup(3);
    const dry = await syncNotion(root, { env: {}, dryRun: true });
    expect(dry).toMatchObject({ created: 3, updated: 0, unchanged: 0, failed: 0, dryRun: true });
    expect(server.requests).toHaveLength(0);
    await syncNotion(root, { env });
    postEntry(root, { sprint: 'sprint-000', agent: 'qa', status: 'VERIFIED' });
    expect(await syncNotion(root, { env, dryRun: true })).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
  });

  it('reports progress up to the total', async () => {
    const { root, env } = await setup(4);
    const seen: Array<[number, number]> = [];
    await syncNotion(root, { env, onProgress: (done, total) => seen.push([done, total]) });
    expect(seen[0]).toEqual([0, 4]);
    expect(seen[seen.length - 1]).toEqual([4, 4]);
  });

  it('maps fields to other property names and types, and leaves out disabled ones', async () => {
    server = await startNotionServer({ rate: 1000, burst: 1000 });
    const { databaseId, dataSourceId } = server.createDatabase({
      titleProperty: 'Sprint',
      properties: { State: 'status:WAITING,READY,DISPATCHED,IN_PROGRESS,STALE,BLOCKED,FAILED,COMPLETE,VERIFIED', Who: 'rich_text', Updated: 'date' },
    });
    const root = notionRepo({
      databaseId,
      sprints: 1,
      extra: 'properties:\n  sprint: Sprint\n  state: State\n  agents: Who\n  updated: Updated\n  severity: null\n  completed_at: null\n  verified_at: null\n  latest_entry: null\n  entries: null\n  failures: null',
    });
    postEntry(root, { sprint: 'sprint-000', agent: 'qa', status: 'IN_PROGRESS' });
    const summary = await syncNotion(root, { env: notionEnv(server) });
    expect(summary).toMatchObject({ created: 1, failed: 0 });
    const [page] = server.pagesOf(dataSourceId);
    expect(page).toMatchObject({ Sprint: 'sprint-000', Who: 'developer, qa', State: { name: 'IN_PROGRESS' } });
  });
});

describe('one sync at a time', () => {
  it('a second sync while one holds the lock is refused (exit 3), and nothing is sent', async () => {
    const { root, env } = await setup(2);
    const { withLock } = await import('../../src/store/lock.js');
    mkdirSync(join(root, '.agent/state'), { recursive: true });
    // Held like a real sync holds it (stale 2 s, refreshed every second), so a stalled test process
    // cannot make the waiting sync take it over as abandoned.
    await withLock(join(root, '.agent/state/notion-sync'), async () => {
      await expect(syncNotion(root, { env, lockWaitMs: 300 })).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/another cos notion sync/) });
    }, { stale: 2_000 });
    expect(server.requests).toHaveLength(0);
    expect(await syncNotion(root, { env })).toMatchObject({ created: 2 });
  });

  it('a sync that waited while another one sent newer entries does not put the older state back', async () => {
    const { root, dataSourceId, env } = await setup(1);
    await syncNotion(root, { env });
    postEntry(root, { sprint: 'sprint-000', agent: 'qa', status: 'IN_PROGRESS', now: new Date('2026-01-15T00:00:00Z') });
    const { withLock } = await import('../../src/store/lock.js');
    let waiting: Promise<unknown> = Promise.resolve();
    // The test holds the lock as another sync would, and does what that sync does meanwhile.
    await withLock(join(root, '.agent/state/notion-sync'), async () => {
      waiting = syncNotion(root, { env, lockWaitMs: 10_000 });
      postEntry(root, { sprint: 'sprint-000', agent: 'qa', status: 'VERIFIED', now: new Date('2026-01-15T00:01:00Z') });
      // Synchronous from here: a lock held past its 2 s stale time would be taken over.
      const { config } = loadNotionConfig(root);
      const ledger = loadLedger(root, config.database_id, null);
      const [sprint] = deriveSprints(readStore(root).entries, new Date());
      const values = sprintValues(sprint!);
      const page = server.pagesOf(dataSourceId)[0]!;
      // The other sync's effect: Notion and the ledger hold the newer state.
      const stored = server.pages.get(page.id)!;
      const statusProp = [...server.dataSources.get(dataSourceId)!.properties].find((p) => p.name === 'Status')!;
      stored.values.set(statusProp.id, { name: 'VERIFIED' });
      ledger.sprints['sprint-000'] = { ...ledger.sprints['sprint-000']!, hash: hashValues(values, config.properties) };
      saveLedger(root, ledger);
    }, { stale: 2_000 });
    expect(await waiting).toMatchObject({ updated: 0, unchanged: 1, failed: 0 });
    const [page] = server.pagesOf(dataSourceId);
    expect((page!.Status as { name: string }).name).toBe('VERIFIED');
  });
});

describe('isNotionConfigured and loadSynced', () => {
  it('are off (null) until database_id is set', () => {
    const root = testdir();
    expect(isNotionConfigured(root)).toBe(false);
    expect(loadSynced(root)).toBeNull();
    initRepo(root);
    expect(isNotionConfigured(root)).toBe(false);
    expect(loadSynced(root)).toBeNull();
    writeNotionConfig(root, { databaseId: 'abc123' });
    expect(isNotionConfigured(root)).toBe(true);
    expect(loadSynced(root)).toEqual(new Set());
  });

  it('hold the COMPLETE and VERIFIED entries of synced sprints, current and archived paths', async () => {
    const { root, env } = await setup(2);
    const all = readStore(root).entries;
    const finished = all.filter((e) => e.status === 'COMPLETE').map((e) => e.path);
    expect(finished.every((p) => !loadSynced(root)!.has(p))).toBe(true);
    await syncNotion(root, { env });
    const synced = loadSynced(root)!;
    for (const path of finished) expect(synced.has(path)).toBe(true);
    expect(synced.has(`.agent/status/archive/sprint-000/${all.find((e) => e.sprint === 'sprint-000' && e.status === 'COMPLETE')!.file}`)).toBe(true);
    const open = all.filter((e) => e.status === 'IN_PROGRESS').map((e) => e.path);
    for (const path of open) expect(synced.has(path)).toBe(false);
    // A new COMPLETE is unsynced until the next sync.
    const later = postEntry(root, { sprint: 'sprint-001', agent: 'developer', status: 'COMPLETE' });
    expect(loadSynced(root)!.has(later.path)).toBe(false);
    await syncNotion(root, { env });
    expect(loadSynced(root)!.has(later.path)).toBe(true);
  });
});

describe('cos notion sync (in process)', () => {
  it('prints the summary and --json has the documented shape', async () => {
    const { root, env } = await setup(2);
    const text = await cos(['notion', 'sync', '--dir', root], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('notion sync: 2 created, 0 updated, 0 unchanged, 0 failed\n');
    const json = await cos(['notion', 'sync', '--json', '--dir', root], { env });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ version: 1, created: 0, updated: 0, unchanged: 2, failed: 0, failures: [], dry_run: false });
  });

  it('refuses an unknown subcommand and --dry-run outside sync (exit 1)', async () => {
    const root = testdir();
    expect((await cos(['notion', 'frob', '--dir', root])).code).toBe(1);
    expect((await cos(['notion', '--dir', root])).stderr).toMatch(/check, setup or sync/);
    expect((await cos(['notion', 'check', '--dry-run', '--dir', root])).code).toBe(1);
  });

  it('usage errors carry one "cos notion:" prefix, not two', async () => {
    const root = testdir();
    expect((await cos(['notion', 'frob', '--dir', root])).stderr).toBe('cos notion: Unknown subcommand "frob"; use check, setup or sync (see cos notion --help).\n');
    expect((await cos(['notion', '--dir', root])).stderr).toBe('cos notion: A subcommand is needed; use check, setup or sync (see cos notion --help).\n');
    expect((await cos(['notion', 'setup', '--dry-run', '--dir', root])).stderr).toBe('cos notion: --dry-run applies to cos notion sync only, not to cos notion setup.\n');
  });

  it('a NOTION_BASE_URL that is not an http(s) address is bad input (exit 1, named), not an outage to retry', async () => {
    const { root } = await setup(1);
    for (const [value, shown] of [
      ['not a url', '"not a url"'],
      ['ftp://127.0.0.1:21', '"ftp://127.0.0.1:21"'],
    ]) {
      for (const sub of ['sync', 'check', 'setup']) {
        const result = await cos(['notion', sub, '--dir', root], { env: { NOTION_TOKEN: server.token, NOTION_BASE_URL: value } });
        expect(result.code, `${sub} ${value}`).toBe(1);
        expect(result.stderr).toBe(`cos notion: The environment variable NOTION_BASE_URL is ${shown}, not an http(s) address; give one such as http://127.0.0.1:8080, or unset it to use the Notion API.\n`);
      }
    }
    const withPassword = await cos(['notion', 'sync', '--dir', root], { env: { NOTION_TOKEN: server.token, NOTION_BASE_URL: 'http://user:hunter2@127.0.0.1:1' } });
    expect(withPassword.code).toBe(1);
    expect(withPassword.stderr).toMatch(/NOTION_BASE_URL holds a user name or password/);
    expect(withPassword.stderr).not.toContain('hunter2');
    expect(server.requests).toHaveLength(0);
    expect(existsSync(join(root, '.agent/state/notion-sync.log'))).toBe(false);
  });

  it('a token pasted into token_env is refused without echoing it', async () => {
    const { root } = await setup(1);
    const secret = `ntn_${'a1B2c3D4e5'.repeat(5)}`;
    writeFileSync(join(root, '.agent/config/notion-sync.yaml'), `database_id: abc\ntoken_env: ${secret}\n`);
    for (const args of [['notion', 'check'], ['notion', 'sync'], ['notion', 'sync', '--json'], ['notion', 'check', '--json']]) {
      const result = await cos([...args, '--dir', root], { env: { [secret]: 'x' } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/notion-sync\.yaml: "token_env" holds what looks like a Notion token itself/);
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
  });

  it('names the missing environment variable (exit 1), and the file and key of a bad config', async () => {
    const { root } = await setup(1);
    const missing = await cos(['notion', 'sync', '--dir', root], { env: { NOTION_TOKEN: '' } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NOTION_TOKEN/);
    writeFileSync(join(root, '.agent/config/notion-sync.yaml'), 'database_id: abc\nrate_per_second: fast\n');
    const bad = await cos(['notion', 'sync', '--dir', root], { env: notionEnv(server) });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/notion-sync\.yaml: "rate_per_second" is "fast" but must be a number/);
    writeFileSync(join(root, '.agent/config/notion-sync.yaml'), 'database_id: abc\nproperties:\n  colour: Colour\n');
    expect((await cos(['notion', 'check', '--dir', root], { env: notionEnv(server) })).stderr).toMatch(/"properties\.colour" is not a field/);
    writeFileSync(join(root, '.agent/config/notion-sync.yaml'), 'database_id: ""\n');
    const off = await cos(['notion', 'sync', '--dir', root], { env: notionEnv(server) });
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/not configured: set database_id/);
    expect(existsSync(join(root, '.agent/state/notion-ledger.json'))).toBe(false);
  });
});
