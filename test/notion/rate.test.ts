/**
 * The must-show at Notion's real rate: 200 sprints synced through the built CLI against the
 * server limited to 3 requests/s (bursts of 10), the client at its default 3/s: every page
 * exactly once, every field right, no failure, and the limiter kept every request under the
 * server's limit (no 429 at all). Takes about 70 s: the rate is the point.
 */
import { expect, it } from 'vitest';
import { sprintValues } from '../../src/notion/mapping.js';
import { notionSprints } from '../../src/notion/sync.js';
import { runCli } from '../helpers/cli.js';
import { FULL_SCHEMA, notionEnv, notionRepo } from './fixture.js';
import { startNotionServer } from './server.js';

it('200 sprints at 3 requests/s: every page exactly once, all fields right, zero failures', { timeout: 240_000 }, async () => {
  const server = await startNotionServer({ rate: 3, burst: 10 });
  try {
    const { databaseId, dataSourceId } = server.createDatabase({
      properties: FULL_SCHEMA,
    });
    // The defaults: rate_per_second 3, burst 3, concurrency 3, timeout 30 s.
    const root = notionRepo({ databaseId, sprints: 200, extra: 'rate_per_second: 3\nburst: 3\ntimeout_seconds: 30\nretry_base_seconds: 1' });
    const result = await runCli(['notion', 'sync', '--json', '--dir', root], { env: notionEnv(server) });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ created: 200, updated: 0, unchanged: 0, failed: 0, failures: [] });

    const pages = server.pagesOf(dataSourceId);
    expect(pages).toHaveLength(200);
    expect(new Set(pages.map((p) => p.Name)).size).toBe(200);
    expect(server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/pages')).toHaveLength(200);
    const { sprints, severities } = notionSprints(root, new Date());
    for (const sprint of sprints) {
      const v = sprintValues(sprint, severities.get(sprint.sprint) ?? null);
      const page = pages.find((p) => p.Name === v.sprint)!;
      expect({
        state: (page.Status as { name: string }).name,
        severity: (page.Severity as { name: string } | null)?.name ?? null,
        agents: (page.Agents as Array<{ name: string }>).map((o) => o.name),
        updated: page['Last update'],
        completed_at: page['Completed at'],
        verified_at: page['Verified at'],
        latest_entry: page['Latest entry'],
        entries: page.Entries,
        failures: page.Failures,
      }).toEqual({
        state: v.state,
        severity: v.severity,
        agents: v.agents,
        updated: v.updated,
        completed_at: v.completed_at,
        verified_at: v.verified_at,
        latest_entry: v.latest_entry,
        entries: v.entries,
        failures: v.failures,
      });
    }
    expect(summary.rate_limited).toBe(server.rateLimited);
    expect(server.rateLimited).toBe(0);
    console.log(`rate test: ${summary.requests} requests, ${server.rateLimited} answered 429`);
  } finally {
    await server.close();
  }
});
