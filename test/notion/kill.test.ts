/**
 * Exactly once under crashes: the built CLI's sync is killed with SIGKILL at random points, ten
 * times, with sprints changing in between; then a sync runs to the end. No sprint ever has two
 * pages, and every sprint's page holds its latest state.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { sprintValues } from '../../src/notion/mapping.js';
import { deriveSprints } from '../../src/state/lifecycle.js';
import { readStore } from '../../src/store/read.js';
import { postEntry } from '../../src/store/write.js';
import { CLI, runCli } from '../helpers/cli.js';
import { FULL_SCHEMA, notionEnv, notionRepo } from './fixture.js';
import { startNotionServer, type NotionTestServer } from './server.js';

let server: NotionTestServer;
afterEach(async () => {
  await server?.close();
});

/**
 * Start a sync and SIGKILL it once the server has received `requests` more requests from it (a
 * point in the sync, not a time: on a loaded machine a timed kill could land before the first
 * request every time). Resolves with whether it was still running when killed.
 */
function syncAndKill(root: string, env: NodeJS.ProcessEnv, requests: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const seen = server.requests.length;
    const child = spawn(process.execPath, [CLI, 'notion', 'sync', '--dir', root], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const poll = setInterval(() => {
      if (server.requests.length - seen >= requests) child.kill('SIGKILL');
    }, 2);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      resolve(signal === 'SIGKILL');
    });
  });
}

function duplicates(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => (seen.has(n) ? true : (seen.add(n), false)));
}

it('SIGKILL at random points, ten times, then a full sync: every sprint has exactly one page, with its latest state', async () => {
  server = await startNotionServer({ rate: 1000, burst: 1000, latencyMs: 40 });
  const { databaseId, dataSourceId } = server.createDatabase({
    properties: FULL_SCHEMA,
  });
  // 20 requests/s: a sync of a few dozen sprints is long enough to be cut anywhere.
  const root = notionRepo({ databaseId, sprints: 30, rate: 20, extra: 'burst: 2\nconcurrency: 2' });
  const env = notionEnv(server);
  const seed = Date.now() % 100_000;
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let killedMidRun = 0;
  let extra = 0;

  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      // Change some sprints and add new ones between the crashes.
      for (let i = 0; i < 12; i++) {
        const sprint = `sprint-${String(Math.floor(random() * 30)).padStart(3, '0')}`;
        postEntry(root, { sprint, agent: random() < 0.5 ? 'qa' : 'developer', status: random() < 0.5 ? 'COMPLETE' : 'IN_PROGRESS' });
      }
      for (let i = 0; i < 3; i++) postEntry(root, { sprint: `extra-${extra++}`, agent: 'developer', status: 'DISPATCHED' });
    }
    const after = 1 + Math.floor(random() * 10);
    if (await syncAndKill(root, env, after)) killedMidRun++;
    const names = server.pagesOf(dataSourceId).map((p) => String(p.Name));
    expect(duplicates(names), `round ${round} (seed ${seed}, killed after ${after} requests)`).toEqual([]);
    // The dead process's lock would be taken over once stale (2 s); skip the wait except last time.
    if (round < 9) rmSync(join(root, '.agent/state/notion-sync.lock'), { recursive: true, force: true });
  }

  const final = await runCli(['notion', 'sync', '--json', '--dir', root], { env });
  expect(final.code, final.stderr).toBe(0);
  expect(JSON.parse(final.stdout).failed).toBe(0);
  expect(existsSync(join(root, '.agent/state/notion-sync.lock'))).toBe(false);

  const pages = server.pagesOf(dataSourceId);
  const sprints = deriveSprints(readStore(root).entries, new Date());
  expect(duplicates(pages.map((p) => String(p.Name)))).toEqual([]);
  expect(pages.map((p) => p.Name).sort()).toEqual(sprints.map((s) => s.sprint).sort());
  for (const sprint of sprints) {
    const values = sprintValues(sprint);
    const page = pages.find((p) => p.Name === sprint.sprint)!;
    expect(page['Latest entry']).toBe(values.latest_entry);
    expect((page.Status as { name: string }).name).toBe(values.state);
    expect(page.Entries).toBe(values.entries);
    expect((page.Agents as Array<{ name: string }>).map((o) => o.name)).toEqual(values.agents);
  }
  // A round has more than ten requests to send (bar a rare draw of few changed sprints): the
  // kills landed inside the syncs, not before or after them.
  expect(killedMidRun).toBeGreaterThanOrEqual(8);
  // Nothing left to do, and no page was created twice over the whole run.
  const again = JSON.parse((await runCli(['notion', 'sync', '--json', '--dir', root], { env })).stdout);
  expect(again).toMatchObject({ created: 0, updated: 0, failed: 0, unchanged: sprints.length });
  console.log(`kill test: seed ${seed}, ${killedMidRun}/10 kills landed mid-run, ${pages.length} pages`);
});
