/** cos notion check / setup against the Notion-shaped server. */
import { afterEach, describe, expect, it } from 'vitest';
import { cos } from '../helpers/cli.js';
import { notionEnv, notionRepo } from './fixture.js';
import { startNotionServer, type NotionTestServer } from './server.js';

let server: NotionTestServer;
afterEach(async () => {
  await server?.close();
});

const ALL_BUT_TWO = {
  Status: 'select:WAITING,READY,DISPATCHED,IN_PROGRESS,STALE,BLOCKED,FAILED,COMPLETE,VERIFIED',
  Agents: 'multi_select',
  'Last update': 'date',
  'Completed at': 'date',
  'Verified at': 'date',
  'Latest entry': 'rich_text',
  Failures: 'number',
};

describe('cos notion check and setup', () => {
  it('check names both missing properties with the fix; setup adds them; check then passes', async () => {
    server = await startNotionServer({ rate: 1000, burst: 1000 });
    const { databaseId, dataSourceId } = server.createDatabase({ properties: ALL_BUT_TWO });
    const root = notionRepo({ databaseId, sprints: 1 });
    const env = notionEnv(server);

    const check = await cos(['notion', 'check', '--dir', root], { env });
    expect(check.code).toBe(5);
    expect(check.stdout).toMatch(/schema: 2 problems/);
    expect(check.stdout).toMatch(/Property "Severity" \(severity, select\) is missing: run cos notion setup/);
    expect(check.stdout).toMatch(/Property "Entries" \(entries, number\) is missing: run cos notion setup/);
    expect(check.stdout).toMatch(/fix: run cos notion setup \(fixes 2 of 2\)/);

    const json = JSON.parse((await cos(['notion', 'check', '--json', '--dir', root], { env })).stdout);
    expect(json).toMatchObject({ version: 1, ok: false, data_source: { id: dataSourceId } });
    expect(json.problems.map((p: { property: string; kind: string }) => `${p.property}:${p.kind}`).sort()).toEqual(['Entries:missing', 'Severity:missing']);

    const setup = await cos(['notion', 'setup', '--dir', root], { env });
    expect(setup.code).toBe(0);
    expect(setup.stdout).toMatch(/setup: added "Severity" \(select\)/);
    expect(setup.stdout).toMatch(/setup: added "Entries" \(number\)/);
    const schema = server.schemaOf(dataSourceId);
    expect(schema.Severity).toEqual({ type: 'select', options: ['INFO', 'WARN', 'URGENT', 'BLOCKER'] });
    expect(schema.Entries?.type).toBe('number');

    const again = await cos(['notion', 'check', '--dir', root], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/schema: every mapped property is there/);
    // Setup is idempotent: nothing left to change.
    const twice = await cos(['notion', 'setup', '--json', '--dir', root], { env });
    expect(JSON.parse(twice.stdout)).toMatchObject({ ok: true, changed: [] });
    // And a sync now works.
    expect((await cos(['notion', 'sync', '--dir', root], { env })).code).toBe(0);
  });

  it('a fresh database (title "Name" only): setup adds every property; select options are kept and completed', async () => {
    server = await startNotionServer({ rate: 1000, burst: 1000 });
    const { databaseId, dataSourceId } = server.createDatabase({ properties: { Status: 'select:COMPLETE,Someday' } });
    const root = notionRepo({ databaseId, sprints: 1 });
    const env = notionEnv(server);
    const check = await cos(['notion', 'check', '--dir', root], { env });
    expect(check.code).toBe(5);
    expect(check.stdout).toMatch(/Select property "Status" \(state\) lacks the options WAITING, READY, DISPATCHED, IN_PROGRESS, STALE, BLOCKED, FAILED, VERIFIED/);
    expect((await cos(['notion', 'setup', '--dir', root], { env })).code).toBe(0);
    expect(server.schemaOf(dataSourceId).Status!.options).toEqual(['COMPLETE', 'Someday', 'WAITING', 'READY', 'DISPATCHED', 'IN_PROGRESS', 'STALE', 'BLOCKED', 'FAILED', 'VERIFIED']);
    expect((await cos(['notion', 'check', '--dir', root], { env })).code).toBe(0);
  });

  it('renames the title property to the mapped key; reports what setup cannot fix (exit 5)', async () => {
    server = await startNotionServer({ rate: 1000, burst: 1000 });
    const { databaseId, dataSourceId } = server.createDatabase({
      titleProperty: 'Title',
      properties: { Entries: 'rich_text', State: 'status:IN_PROGRESS,COMPLETE' },
    });
    const root = notionRepo({ databaseId, sprints: 1, extra: 'properties:\n  sprint: Sprint\n  state: State' });
    const env = notionEnv(server);
    const check = await cos(['notion', 'check', '--dir', root], { env });
    expect(check.code).toBe(5);
    expect(check.stdout).toMatch(/The key property "Sprint" .* title property is "Title". Run cos notion setup to rename it/);
    expect(check.stdout).toMatch(/Property "Entries" \(entries\) is rich_text, expected number/);
    expect(check.stdout).toMatch(/Status property "State" \(state\) lacks the options WAITING, READY, DISPATCHED, STALE, BLOCKED, FAILED, VERIFIED: add them in Notion/);
    const setup = await cos(['notion', 'setup', '--dir', root], { env });
    expect(setup.code).toBe(5);
    expect(setup.stdout).toMatch(/renamed the title property to "Sprint"/);
    expect(server.schemaOf(dataSourceId).Sprint?.type).toBe('title');
    expect(setup.stdout).toMatch(/schema: 2 problems/);
  });

  it('an unknown database or a bad token: exit 5 with the reason, never the token', async () => {
    server = await startNotionServer({ rate: 1000, burst: 1000 });
    const root = notionRepo({ databaseId: '0123456789abcdef0123456789abcdef', sprints: 1 });
    const missing = await cos(['notion', 'check', '--dir', root], { env: notionEnv(server) });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/object_not_found.*share the database with the integration/);
    const badToken = 'secret_not_the_right_one_42';
    const denied = await cos(['notion', 'check', '--dir', root], { env: { ...notionEnv(server), NOTION_TOKEN: badToken } });
    expect(denied.code).toBe(5);
    expect(denied.stderr).toMatch(/unauthorized/);
    expect(denied.stderr + denied.stdout).not.toContain(badToken);
    const noToken = await cos(['notion', 'check', '--dir', root], { env: { NOTION_BASE_URL: server.url, NOTION_TOKEN: '' } });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/set the environment variable NOTION_TOKEN/);
  });
});
