/** The MCP plan tools through the SDK's client against `node dist/cli.js mcp`: plan_check, plan_apply, ready. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const clients: Client[] = [];
afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.close();
});

type Result = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text: string }> };

describe('cos mcp plan tools', () => {
  it('checks, applies and queues a plan given as an object or as YAML text', async () => {
    const root = testdir();
    expect((await cos(['init', '--dir', root])).code).toBe(0);
    const client = new Client({ name: 'cos-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--dir', root], stderr: 'pipe' }));
    clients.push(client);
    const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as Result;

    const bad = await call('plan_check', { name: 'web', plan: { summary: 's', steps: [{ sprint: 'a', title: 't', role: 'wizard', depends_on: ['a'] }] } });
    expect(bad.isError).toBe(true);
    expect(bad.content[0]!.text).toContain('not valid (3 problems)');
    expect(bad.content[0]!.text).toContain('step "a", done_when: is required');
    expect(bad.content[0]!.text).toContain('step "a", role: unknown role "wizard"');
    expect(bad.content[0]!.text).toContain('cycle a → a');
    expect(existsSync(join(root, '.agent/plans/web.yaml'))).toBe(false);

    const plan = { summary: 'Ship it', steps: [{ sprint: 'api', title: 'API', role: 'developer', done_when: 'tests pass' }, { sprint: 'ui', title: 'UI', role: 'developer', done_when: 'renders', depends_on: ['api'] }] };
    const good = await call('plan_check', { name: 'web', plan });
    expect(good.structuredContent).toMatchObject({ version: 1, ok: true, plan: { name: 'web', attempt: 1 } });
    const applied = await call('plan_apply', { name: 'web', plan });
    expect(applied.structuredContent).toMatchObject({ version: 1, outcome: 'created', file: '.agent/plans/web.yaml', attempt: 1 });
    const yaml = 'summary: Ship it\nsteps:\n  - {sprint: api, title: API, role: developer, done_when: tests pass}\n  - {sprint: ui, title: UI v2, role: developer, done_when: renders, depends_on: [api]}\n';
    expect((await call('plan_apply', { name: 'web', plan: yaml })).structuredContent).toMatchObject({ outcome: 'replanned', attempt: 2 });

    const ready = await call('ready', {});
    expect(ready.structuredContent).toMatchObject({
      version: 1,
      ready: [{ sprint: 'api', role: 'developer', plan: 'web' }],
      waiting: [{ sprint: 'ui', waiting_on: ['api'] }],
    });
    const hostile = await call('plan_apply', { name: '../x', plan });
    expect(hostile.isError).toBe(true);
    expect(hostile.content[0]!.text).toMatch(/Invalid name "\.\.\/x"/);
  }, 120_000);
});
