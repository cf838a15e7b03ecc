/**
 * The MCP post and plan_apply tools with commit: true when git refuses the commit (a pre-commit
 * hook that fails): the entry (the plan) is written, so the error result still carries the
 * document — what was written, "commit": null, "ok": false and the error — beside the sentence. Through the SDK's own client and
 * `node dist/cli.js mcp`, in a real git repository.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { git, gitdir } from '../helpers/tmp.js';

const clients: Client[] = [];
afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.close();
});

async function connect(root: string): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--dir', root], stderr: 'pipe' });
  const client = new Client({ name: 'cos-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

type Result = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text: string }> };

describe('cos mcp: post with commit when the commit fails', () => {
  it('an error result that carries the written entry, "commit": null and the error, with the sentence first', async () => {
    const root = gitdir({ 'README.md': 'r\n' });
    expect((await runCli(['init', '--dir', root])).code).toBe(0);
    writeFileSync(join(root, '.git/hooks/pre-commit'), '#!/bin/sh\necho "hook says no" >&2\nexit 1\n', { mode: 0o755 });
    const client = await connect(root);

    const failed = (await client.callTool({ name: 'post', arguments: { sprint: 'wiring', agent: 'dev', status: 'IN_PROGRESS', commit: true } })) as Result;
    expect(failed.isError).toBe(true);
    const document = failed.structuredContent;
    expect(document).toMatchObject({ version: 1, entry: { sprint: 'wiring', agent: 'dev', status: 'IN_PROGRESS' }, commit: null, ok: false, error: { code: 'external', exit_code: 5 } });
    expect(readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md'))).toEqual([document.entry.name]);
    expect(document.error.message).toBe(`git commit failed (hook says no); ${document.entry.file} is written but not committed — commit it by hand (running the command again does not).`);
    expect(failed.content.map((item) => item.type)).toEqual(['text', 'text']);
    expect(failed.content[0]!.text).toBe(`cos post: ${document.error.message}`);
    expect(JSON.parse(failed.content[1]!.text)).toEqual(document);
    expect(git(root, 'log', '--format=%s').trim()).toBe('fixture');

    // The same tool once git accepts: the sha, and a plain result.
    writeFileSync(join(root, '.git/hooks/pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const committed = (await client.callTool({ name: 'post', arguments: { sprint: 'wiring', agent: 'dev', status: 'NOTE', commit: true } })) as Result;
    expect(committed.isError).toBeFalsy();
    expect(committed.structuredContent.commit).toBe(git(root, 'rev-parse', 'HEAD').trim());
    expect(committed.structuredContent).not.toHaveProperty('error');
  }, 60_000);

  it('plan_apply with commit: the stored plan\'s document on the error, "commit": null', async () => {
    const root = gitdir({ 'README.md': 'r\n' });
    expect((await runCli(['init', '--dir', root])).code).toBe(0);
    writeFileSync(join(root, '.git/hooks/pre-commit'), '#!/bin/sh\necho "hook says no" >&2\nexit 1\n', { mode: 0o755 });
    const client = await connect(root);
    const plan = { summary: 'Ship it', steps: [{ sprint: 'only', title: 'Do it', role: 'developer', done_when: 'it works' }] };
    const failed = (await client.callTool({ name: 'plan_apply', arguments: { name: 'work', plan, commit: true } })) as Result;
    expect(failed.isError).toBe(true);
    expect(failed.structuredContent).toMatchObject({ version: 1, outcome: 'created', file: '.agent/plans/work.yaml', attempt: 1, commit: null, ok: false, error: { code: 'external', exit_code: 5 } });
    expect(failed.content[0]!.text).toBe(`cos plan_apply: ${failed.structuredContent.error.message}`);
    expect(readFileSync(join(root, '.agent/plans/work.yaml'), 'utf8')).toContain('title: Do it');
  }, 60_000);
});
