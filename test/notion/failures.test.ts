/**
 * Every failure switch, through the built CLI as a real process: exit 5, one log line per sprint
 * (ISO time, sprint, code), entries byte-identical, local commands unaffected, the token nowhere,
 * and the next sync completes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FULL_SCHEMA, notionEnv, notionRepo, statusSnapshot, writeNotionConfig } from './fixture.js';
import { startNotionServer, type FailureSwitch, type NotionTestServer } from './server.js';
import { execFileSync } from 'node:child_process';

let server: NotionTestServer;
afterEach(async () => {
  await server?.close();
});

beforeAll(() => {
  if (!existsSync(join(import.meta.dirname, '../../dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: join(import.meta.dirname, '../..') });
});

const onPageWrites = (method: string, path: string) => path.startsWith('/v1/pages');

const CASES: Array<{ name: string; failure: FailureSwitch; code: string; extra?: string }> = [
  { name: 'Notion down (500 on every request)', failure: { mode: 'http500' }, code: 'internal_server_error' },
  { name: 'a gateway answering 502 with an HTML body', failure: { mode: 'http502' }, code: 'http_502' },
  { name: 'requests that never answer (timeouts)', failure: { mode: 'timeout' }, code: 'timeout', extra: 'timeout_seconds: 1' },
  { name: 'validation errors on page writes', failure: { mode: 'validation', when: onPageWrites }, code: 'validation_error' },
  { name: 'a revoked token (401)', failure: { mode: 'unauthorized' }, code: 'unauthorized' },
  { name: 'rate limiting that never lets up (429)', failure: { mode: 'rate_limited' }, code: 'rate_limited' },
];

const LOG_LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z (sprint-\d{3}) ([a-z_0-9]+) \S.*$/;

describe('cos notion sync when Notion fails', () => {
  for (const { name, failure, code, extra } of CASES) {
    it(`${name}: exit 5, logged as ${code}, entries untouched, the next sync completes`, async () => {
      server = await startNotionServer({ rate: 1000, burst: 1000, retryAfterSeconds: 1 });
      const { databaseId, dataSourceId } = server.createDatabase({ properties: FULL_SCHEMA });
      const root = notionRepo({ databaseId, sprints: 3, extra: `max_retries: 2${extra ? `\n${extra}` : ''}` });
      const env = notionEnv(server);
      const before = statusSnapshot(root);

      server.fail(failure);
      const failed = await runCli(['notion', 'sync', '--json', '--dir', root], { env });
      expect(failed.code).toBe(5);
      const summary = JSON.parse(failed.stdout);
      expect(summary).toMatchObject({ version: 1, created: 0, updated: 0, failed: 3 });
      expect(summary.failures.map((f: { code: string }) => f.code)).toEqual([code, code, code]);
      expect(statusSnapshot(root)).toEqual(before);

      const log = readFileSync(join(root, '.agent/state/notion-sync.log'), 'utf8').trimEnd().split('\n');
      expect(log).toHaveLength(3);
      for (const line of log) expect(line).toMatch(LOG_LINE);
      expect(log.map((line) => LOG_LINE.exec(line)![1]).sort()).toEqual(['sprint-000', 'sprint-001', 'sprint-002']);
      expect(log.every((line) => LOG_LINE.exec(line)![2] === code)).toBe(true);

      // Local work goes on while Notion is failing: nothing it does talks to Notion.
      const seen = server.requests.length;
      const post = await runCli(['post', '--sprint', 'sprint-new', '--agent', 'developer', '--status', 'COMPLETE', '--dir', root], { env });
      expect(post.code).toBe(0);
      const scan = await runCli(['scan', '--json', '--fail-on', 'never', '--dir', root], { env });
      expect(scan.code).toBe(0);
      const unsynced = (stdout: string) =>
        (JSON.parse(stdout).findings as Array<{ kind: string; sprint: string }>).filter((f) => f.kind === 'unsynced').map((f) => f.sprint).sort();
      // The sprints Notion did not get show up in cos scan.
      expect(unsynced(scan.stdout)).toEqual(['sprint-000', 'sprint-001', 'sprint-002', 'sprint-new']);
      const status = await runCli(['status', '--dir', root], { env });
      expect(status.code).toBe(0);
      expect(server.requests.length).toBe(seen);

      // The token is nowhere we write.
      const ledgerPath = join(root, '.agent/state/notion-ledger.json');
      for (const text of [failed.stdout, failed.stderr, log.join('\n'), post.stdout, post.stderr, scan.stdout, existsSync(ledgerPath) ? readFileSync(ledgerPath, 'utf8') : '']) {
        expect(text).not.toContain(server.token);
      }

      server.fail(null);
      // The recovery runs with the fixture's usual timeout: a 1 s one (the timeout case) could
      // expire on a healthy request when the machine is loaded.
      if (extra) writeNotionConfig(root, { databaseId, extra: 'max_retries: 2' });
      const next = await runCli(['notion', 'sync', '--json', '--dir', root], { env });
      expect(next.code).toBe(0);
      expect(JSON.parse(next.stdout)).toMatchObject({ created: 4, failed: 0 });
      const names = server.pagesOf(dataSourceId).map((p) => p.Name).sort();
      expect(names).toEqual(['sprint-000', 'sprint-001', 'sprint-002', 'sprint-new']);
      expect(next.stderr).not.toContain(server.token);
      const after = await runCli(['scan', '--json', '--fail-on', 'never', '--dir', root], { env });
      expect(unsynced(after.stdout)).toEqual([]);
    });
  }

  it('human output names each failure and where the log is; exit 5', async () => {
    server = await startNotionServer({ rate: 1000, burst: 1000 });
    const { databaseId } = server.createDatabase({ properties: FULL_SCHEMA });
    const root = notionRepo({ databaseId, sprints: 1 });
    const result = await runCli(['notion', 'sync', '--dir', root], { env: { ...notionEnv(server), NOTION_TOKEN: 'secret_wrong_token_1234' } });
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('notion sync: 0 created, 0 updated, 0 unchanged, 1 failed\n');
    expect(result.stderr).toMatch(/sprint-000: unauthorized: API token is invalid/);
    expect(result.stderr).toMatch(/\.agent\/state\/notion-sync\.log/);
    expect(result.stderr + readFileSync(join(root, '.agent/state/notion-sync.log'), 'utf8')).not.toContain('secret_wrong_token_1234');
  });

  it('a token with a line break in it: exit 1 naming the variable, nothing sent, the token nowhere', async () => {
    server = await startNotionServer({ rate: 1000, burst: 1000 });
    const { databaseId } = server.createDatabase({ properties: FULL_SCHEMA });
    const root = notionRepo({ databaseId, sprints: 1 });
    const token = 'secret_first_half\nsecond_half_42';
    for (const args of [['notion', 'sync', '--json'], ['notion', 'check']]) {
      const result = await runCli([...args, '--dir', root], { env: { ...notionEnv(server), NOTION_TOKEN: token } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/token in the environment variable NOTION_TOKEN holds a space, line break/);
      for (const part of ['secret_first_half', 'second_half_42']) expect(result.stdout + result.stderr).not.toContain(part);
    }
    expect(server.requests).toHaveLength(0);
    expect(existsSync(join(root, '.agent/state/notion-sync.log'))).toBe(false);
  });

  it('an unreachable address fails as network_error, exit 5', async () => {
    server = await startNotionServer();
    const { databaseId } = server.createDatabase({ properties: FULL_SCHEMA });
    const url = server.url;
    await server.close();
    const root = notionRepo({ databaseId, sprints: 2, extra: 'max_retries: 1' });
    const result = await runCli(['notion', 'sync', '--json', '--dir', root], { env: { NOTION_TOKEN: 'secret_x_123456', NOTION_BASE_URL: url } });
    expect(result.code).toBe(5);
    expect(JSON.parse(result.stdout).failures[0].code).toBe('network_error');
  });
});
