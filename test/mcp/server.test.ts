/**
 * cos mcp through the SDK's own client: spawn `node dist/cli.js mcp --dir <tmp>`, list the tools,
 * post, heartbeat, read the scan, get the documented error for a hostile sprint name, read the
 * resources; two servers posting into one repository at once.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { readStore } from '../../src/store/read.js';
import { CLI, cos, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const clients: Client[] = [];
afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.close();
});

/** What the server wrote on stderr (its log), per client. */
const logs = new WeakMap<Client, { text: string }>();

async function connect(root: string): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--dir', root], stderr: 'pipe' });
  const client = new Client({ name: 'cos-test', version: '1.0.0' });
  const log = { text: '' };
  transport.stderr?.on('data', (chunk: Buffer) => (log.text += chunk.toString('utf8')));
  await client.connect(transport);
  clients.push(client);
  logs.set(client, log);
  return client;
}

async function repo(): Promise<string> {
  const root = testdir();
  expect((await cos(['init', '--dir', root])).code).toBe(0);
  return root;
}

type Result = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text: string }> };
const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as Result;
const entryFiles = (root: string) => readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md'));

describe('cos mcp', () => {
  it("a config warning in the server's log stays on its line, escaped", async () => {
    const root = await repo();
    writeFileSync(join(root, '.agent/config/coordination.yaml'), 'version: 1\n"x\\nFORGED: all clear": 1\n');
    const client = await connect(root);
    const posted = await call(client, 'post', { sprint: 'wiring', agent: 'dev', status: 'IN_PROGRESS' });
    expect(posted.isError).toBeFalsy();
    const log = logs.get(client)!;
    await expect.poll(() => log.text).toContain('warning: .agent/config/coordination.yaml: unknown key "x\\u000aFORGED: all clear" is ignored\n');
    expect(log.text).not.toMatch(/^FORGED/m);
  }, 60_000);

  it('lists the tools, posts, heartbeats and reads the scan as structured content', async () => {
    const root = await repo();
    const client = await connect(root);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['ack', 'brief', 'dispatch', 'heartbeat', 'lease', 'plan_apply', 'plan_check', 'post', 'ready', 'release', 'resolve', 'scan', 'status']);
    const postTool = tools.find((tool) => tool.name === 'post')!;
    expect(postTool.inputSchema.required).toEqual(['sprint', 'agent', 'status']);
    expect(postTool.inputSchema.properties!.sprint).toMatchObject({ type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', maxLength: 64 });
    expect((postTool.inputSchema.properties!.status as { enum: string[] }).enum).toContain('IN_PROGRESS');

    const posted = await call(client, 'post', { sprint: 'wiring', agent: 'dev', status: 'IN_PROGRESS', message: '-starts with a dash', ttl: 1 });
    expect(posted.isError).toBeFalsy();
    expect(posted.structuredContent).toMatchObject({ version: 1, entry: { seq: 1, sprint: 'wiring', agent: 'dev', status: 'IN_PROGRESS', ttl_minutes: 1 } });
    expect(JSON.parse(posted.content[0]!.text)).toEqual(posted.structuredContent);
    expect(entryFiles(root)).toEqual([posted.structuredContent.entry.name]);

    const beat = await call(client, 'heartbeat', { sprint: 'wiring', agent: 'dev', ttl: 30 });
    expect(beat.isError).toBeFalsy();
    expect(beat.structuredContent).toMatchObject({ version: 1, written: true, entry: { ttl_minutes: 30 } });

    // An escalation: scan reports it; exit 2 of cos scan is a result, not an error.
    // A BLOCKER NOTE: an escalation that holds nothing (so no conflict with dev).
    await call(client, 'post', { sprint: 'wiring', agent: 'qa', status: 'NOTE', severity: 'BLOCKER', message: 'no database' });
    const scan = await call(client, 'scan', { fail_on: 'URGENT' });
    expect(scan.isError).toBeFalsy();
    expect(scan.structuredContent).toMatchObject({ version: 1, entries: 2, problems: 0 });
    expect(scan.content[0]!.text).toContain('"kind": "escalation"');
    expect(scan.structuredContent.findings).toEqual([expect.objectContaining({ kind: 'escalation', severity: 'BLOCKER', sprint: 'wiring' })]);

    // dispatch: a result with the briefing prompt, or the CLI's refusal (exit 3) as an error.
    const dispatched = await call(client, 'dispatch', { role: 'developer', sprint: 'fresh', agent: 'dev-2' });
    expect(dispatched.isError).toBeFalsy();
    expect(dispatched.structuredContent).toMatchObject({ version: 1, entry: { sprint: 'fresh', agent: 'dev-2', status: 'DISPATCHED' } });
    expect(dispatched.structuredContent.prompt).toContain('cos post --sprint fresh --agent dev-2');
    const refused = await call(client, 'dispatch', { role: 'developer', sprint: 'wiring' });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toMatch(/^cos dispatch: /);
    // The kind of refusal as a code, for a client to decide on: the sprint is held (and escalated), exit 3.
    expect(refused.structuredContent).toEqual({ version: 1, error: { code: 'conflict', exit_code: 3, message: refused.content[0]!.text } });

    const status = await call(client, 'status', {});
    expect(status.structuredContent.sprints.map((row: { sprint: string }) => row.sprint).sort()).toEqual(['fresh', 'wiring']);
    const brief = await call(client, 'brief', { since: '24h' });
    expect(brief.isError).toBeFalsy();
    expect(brief.structuredContent.version).toBe(1);
  });

  it('lease and release: an overlapping lease of another agent is an error naming the holder', async () => {
    const root = await repo();
    const client = await connect(root);
    const leased = await call(client, 'lease', { sprint: 'api', agent: 'backend', patterns: ['src/api/**'], ttl: 60 });
    expect(leased.isError).toBeFalsy();
    expect((leased.structuredContent as { leases: Array<{ pattern: string }> }).leases.map((l) => l.pattern)).toEqual(['src/api/**']);
    const refused = await call(client, 'lease', { sprint: 'ui', agent: 'frontend', patterns: ['src/**'] });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toMatch(/src\/\*\* overlaps src\/api\/\*\*, leased by backend on sprint api/);
    expect(refused.structuredContent).toMatchObject({ error: { code: 'conflict', exit_code: 3 } });
    const released = await call(client, 'release', { sprint: 'api', agent: 'backend' });
    expect(released.structuredContent).toMatchObject({ released: ['src/api/**'] });
    expect((await call(client, 'lease', { sprint: 'ui', agent: 'frontend', patterns: ['src/**'] })).isError).toBeFalsy();
  });

  it('refuses a hostile sprint name with the CLI\'s sentence and writes nothing', async () => {
    const root = await repo();
    const client = await connect(root);
    const cli = await cos(['post', '--sprint', '../x', '--agent', 'dev', '--status', 'IN_PROGRESS', '--dir', root]);
    expect(cli.code).toBe(1);
    const sentence = 'Invalid sprint "../x": it contains a path separator; for example "results-wiring-v1".';
    expect(cli.stderr).toContain(sentence);
    for (const [name, args] of [
      ['post', { sprint: '../x', agent: 'dev', status: 'IN_PROGRESS' }],
      ['heartbeat', { sprint: '../x', agent: 'dev' }],
      ['dispatch', { role: 'developer', sprint: '../x' }],
    ] as const) {
      const result = await call(client, name, args);
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toContain(sentence);
    }
    const long = await call(client, 'post', { sprint: 'a'.repeat(65), agent: 'dev', status: 'IN_PROGRESS' });
    expect(long.content[0]!.text).toContain('it is 65 characters long (at most 64)');
    const status = await call(client, 'post', { sprint: 'ok', agent: 'dev', status: 'DONE' });
    expect(status.content[0]!.text).toContain('Invalid status "DONE": use one of DISPATCHED, IN_PROGRESS, BLOCKED, FAILED, COMPLETE, VERIFIED, NOTE.');
    // A missing field is named as missing, like the CLI's "--sprint is required".
    const noSprint = await call(client, 'post', { agent: 'dev', status: 'IN_PROGRESS' });
    expect(noSprint.isError).toBe(true);
    expect(noSprint.content[0]!.text).toContain('sprint is required; for example "results-wiring-v1".');
    expect(noSprint.content[0]!.text).not.toContain('undefined');
    const noStatus = await call(client, 'post', { sprint: 'ok', agent: 'dev' });
    expect(noStatus.content[0]!.text).toContain('status is required: use one of DISPATCHED, IN_PROGRESS, BLOCKED, FAILED, COMPLETE, VERIFIED, NOTE.');
    const noRole = await call(client, 'dispatch', { sprint: 'ok' });
    expect(noRole.content[0]!.text).toContain('role is required');
    const unknown = await call(client, 'post', { sprint: 'ok', agent: 'dev', status: 'IN_PROGRESS', dir: '/etc' });
    expect(unknown.isError).toBe(true);
    expect(unknown.content[0]!.text).toContain('Unrecognized key: "dir"');
    // What only the CLI checks comes back as its own sentence.
    const verifies = await call(client, 'post', { sprint: 'ok', agent: 'qa', status: 'VERIFIED', verifies: '../../etc/passwd' });
    expect(verifies.isError).toBe(true);
    const direct = await cos(['post', '--sprint', 'ok', '--agent', 'qa', '--status', 'VERIFIED', '--verifies', '../../etc/passwd', '--dir', root]);
    expect(direct.code).toBe(1);
    expect(verifies.content[0]!.text).toBe(direct.stderr.trim());
    expect(verifies.content[0]!.text).toMatch(/^cos post: Invalid verifies/);
    expect(entryFiles(root)).toEqual([]);
  });

  it('serves the roles and the runbook as resources', async () => {
    const root = await repo();
    const client = await connect(root);
    const { resources } = await client.listResources();
    const uris = resources.map((resource) => resource.uri);
    expect(uris).toContain('cos://runbook');
    expect(uris).toContain('cos://roles/developer');
    const role = await client.readResource({ uri: 'cos://roles/developer' });
    expect((role.contents[0] as { text: string }).text).toMatch(/^---\nrole: developer\n/);
    const runbook = await client.readResource({ uri: 'cos://runbook' });
    expect((runbook.contents[0] as { text: string }).text.length).toBeGreaterThan(100);
    await expect(client.readResource({ uri: 'cos://roles/nobody' })).rejects.toThrow(/Unknown role "nobody"/);
  });

  it('requests piped in before stdin ends are all answered, then the server exits 0', async () => {
    const root = await repo();
    const lines = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'post', arguments: { sprint: 'piped', agent: 'dev', status: 'IN_PROGRESS' } } },
      { jsonrpc: '2.0', id: 'last', method: 'tools/call', params: { name: 'status', arguments: {} } },
    ];
    const { code, stdout } = await runCli(['mcp', '--dir', root], { input: `${lines.map((line) => JSON.stringify(line)).join('\n')}\n` });
    expect(code).toBe(0);
    const answers = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: unknown; result?: { structuredContent?: any; isError?: boolean } });
    expect(answers.map((answer) => answer.id).sort()).toEqual([1, 2, 'last'].sort());
    const posted = answers.find((answer) => answer.id === 2)!;
    expect(posted.result?.isError).toBeFalsy();
    expect(posted.result?.structuredContent.entry).toMatchObject({ sprint: 'piped', status: 'IN_PROGRESS' });
    expect(entryFiles(root)).toEqual([posted.result?.structuredContent.entry.name]);
  });

  it('two servers posting into one repository at once: distinct seqs, every entry valid', async () => {
    const root = await repo();
    const [a, b] = await Promise.all([connect(root), connect(root)]);
    const PER = 15;
    const run = (client: Client, agent: string) =>
      Promise.all(Array.from({ length: PER }, (_, i) => call(client, 'post', { sprint: `s-${i % 3}`, agent, status: 'IN_PROGRESS', message: `step ${i}` })));
    const [ra, rb] = await Promise.all([run(a, 'alpha'), run(b, 'beta')]);
    const all = [...ra, ...rb];
    expect(all.every((result) => !result.isError)).toBe(true);
    const seqs = all.map((result) => result.structuredContent.entry.seq as number);
    expect(new Set(seqs).size).toBe(2 * PER);
    const store = readStore(root);
    expect(store.problems).toEqual([]);
    expect(store.entries).toHaveLength(2 * PER);
    expect(new Set(store.entries.map((entry) => entry.seq)).size).toBe(2 * PER);
  });
});
