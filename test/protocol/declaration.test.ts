/**
 * One declaration per protocol field: a field added to FIELDS (protocol/fields.ts) and nowhere
 * else is accepted by `cos post` (flag, help, validation, the entry and its JSON), read back as a
 * valid entry, and offered by the MCP post tool. The test copies src/, adds one line to the copy's
 * fields.ts only, builds the binary from it as npm run build does, and runs it as a user would.
 */
import { cpSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { flags as postFlags } from '../../src/commands/post.js';
import { FIELDS, fieldSpec, INPUT_FIELDS, KEY_ORDER } from '../../src/protocol/fields.js';
import { TOOLS } from '../../src/mcp/tools.js';
import { testdir } from '../helpers/tmp.js';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

const NEW_FIELD = `  ticket: { kind: 'line', flag: 'ticket', value: 'ID', help: 'the tracker ticket this work belongs to' },\n`;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A build of the CLI from a copy of src/ whose only change is one more line in FIELDS, bundled the
 * way `npm run build` bundles dist/cli.js (build/bundle.mjs).
 */
function cliWithNewField(): string {
  const dir = testdir();
  cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'), 'dir');
  const file = join(dir, 'src/protocol/fields.ts');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('export const FIELDS = {');
  expect(start).toBeGreaterThan(-1);
  const end = text.indexOf('\n} as const', start);
  expect(end).toBeGreaterThan(start);
  writeFileSync(file, `${text.slice(0, end + 1)}${NEW_FIELD}${text.slice(end + 1)}`);
  const built = spawnSync(process.execPath, [join(ROOT, 'build/bundle.mjs'), '--root', dir], { encoding: 'utf8' });
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
  return join(dir, 'dist/cli.js');
}

function run(cli: string, args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('one declaration per protocol field', () => {
  it('a field added to FIELDS alone is taken by cos post, its help, validation, reading and the MCP post tool', async () => {
    const cli = cliWithNewField();
    const root = testdir();
    expect(run(cli, ['init', '--dir', root]).code).toBe(0);

    const help = run(cli, ['post', '--help']).stdout;
    expect(help).toMatch(/--ticket ID +the tracker ticket this work belongs to/);

    const posted = run(cli, ['post', '--dir', root, '--sprint', 's', '--agent', 'dev', '--status', 'IN_PROGRESS', '--ticket', 'ABC-12', '--json']);
    expect(posted.stderr).toBe('');
    const entry = JSON.parse(posted.stdout).entry;
    expect(entry.ticket).toBe('ABC-12');
    const text = readFileSync(join(root, entry.file), 'utf8');
    expect(text).toMatch(/\nticket: ABC-12\n---\n/);

    // Its kind's rule applies on write (a line break is refused) ...
    const refused = run(cli, ['post', '--dir', root, '--sprint', 's', '--agent', 'dev', '--status', 'IN_PROGRESS', '--ticket', 'a\nb']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Invalid ticket "a\\nb": it contains a control character or a line break.');
    // ... and on read: a hand-written entry with a ticket that is not text is malformed.
    const bad = text.replace('ticket: ABC-12', 'ticket: [1, 2]');
    writeFileSync(join(root, '.agent/status/current', entry.name.replace(/^\d+/, '900')), bad);
    const scan = JSON.parse(run(cli, ['scan', '--dir', root, '--json', '--fail-on', 'never']).stdout);
    expect(scan.findings.find((finding: { kind: string }) => finding.kind === 'malformed').message).toContain('ticket must be text, not [1,2]');
    expect(scan.entries).toBe(1);

    // The MCP post tool offers it and writes it.
    const client = new Client({ name: 'declaration-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', '--dir', root], stderr: 'pipe' }));
    try {
      const { tools } = await client.listTools();
      const post = tools.find((tool) => tool.name === 'post')!;
      expect(post.inputSchema.properties!.ticket).toMatchObject({ type: 'string', description: 'the tracker ticket this work belongs to' });
      const result = (await client.callTool({ name: 'post', arguments: { sprint: 's', agent: 'mcp', status: 'IN_PROGRESS', ticket: 'XYZ-3' } })) as { isError?: boolean; structuredContent?: any };
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent.entry.ticket).toBe('XYZ-3');
    } finally {
      await client.close();
    }
    expect(readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md'))).toHaveLength(3);
  }, 60_000);

  it('the post flags, its help and the MCP post inputs are exactly the declared input fields plus post\'s own', () => {
    const fieldFlagNames = INPUT_FIELDS.map((name) => fieldSpec(name)!.flag!);
    expect(Object.keys(postFlags).slice(0, fieldFlagNames.length)).toEqual(fieldFlagNames);
    const mcpPost = TOOLS.find((tool) => tool.name === 'post')!;
    const inputs = Object.keys(mcpPost.input.shape);
    for (const flag of fieldFlagNames) expect(inputs).toContain(flag.replace(/-/g, '_'));
    for (const name of KEY_ORDER) expect(FIELDS[name].help.length).toBeGreaterThan(0);
  });
});
