/**
 * Progress of long operations: a bar on a real terminal (util-linux `script` gives the command a
 * pseudo-terminal), nothing when the output is piped or --json is given.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/setup/cos-command.js';
import { initRepo } from '../../src/store/init.js';
import { postEntry } from '../../src/store/write.js';
import { CLI, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { FULL_SCHEMA, notionEnv, notionRepo } from '../notion/fixture.js';
import { startNotionServer, type NotionTestServer } from '../notion/server.js';

/** Run `node dist/cli.js ...args` inside a pseudo-terminal: stdout and stderr are both a TTY. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  const command = [process.execPath, CLI, ...args].map(shellQuote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, NO_COLOR: '1', TERM: 'xterm', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** `sprints` finished sprints (COMPLETE, then VERIFIED by another agent): every entry archives. */
function finishedRepo(sprints: number): string {
  const root = testdir();
  initRepo(root);
  const base = Date.parse('2026-03-02T08:00:00Z');
  for (let i = 0; i < sprints; i++) {
    const sprint = `done-${String(i).padStart(3, '0')}`;
    postEntry(root, { sprint, agent: 'dev', status: 'COMPLETE', now: new Date(base + i * 60_000) });
    postEntry(root, { sprint, agent: 'qa', status: 'VERIFIED', now: new Date(base + i * 60_000 + 1_000) });
  }
  return root;
}

const current = (root: string) => readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md')).length;
const BAR = /cos archive \[[░█]+\] \d+\/120 entries/;

describe('cos archive progress', () => {
  it('a real terminal shows a bar counting the moves; the summary follows it', async () => {
    const root = finishedRepo(60);
    const result = await onTerminal(['archive', '--dir', root]);
    expect(result.code).toBe(0);
    expect(result.output).toMatch(BAR);
    expect(result.output).toContain('Archived 120 entries:');
    expect(current(root)).toBe(0);
  }, 120_000);

  it('piped, or --json on a terminal: no bar, no terminal control codes', async () => {
    const root = finishedRepo(60);
    const piped = await runCli(['archive', '--dir', root]);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain('Archived 120 entries:');
    expect(piped.stderr).toBe('');
    expect(piped.stdout).not.toContain('\x1b');

    const again = finishedRepo(60);
    const json = await onTerminal(['archive', '--json', '--dir', again]);
    expect(json.code).toBe(0);
    expect(json.output).not.toMatch(/cos archive \[/);
    expect(json.output).not.toContain('\x1b');
    expect(JSON.parse(json.output).moved).toHaveLength(120);
  }, 120_000);
});

describe('cos notion sync progress', () => {
  let server: NotionTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a real terminal shows a bar counting the sprints; piped shows none', async () => {
    server = await startNotionServer({ rate: 1000, burst: 1000 });
    const { databaseId } = server.createDatabase({ properties: FULL_SCHEMA });
    const root = notionRepo({ databaseId, sprints: 25 });
    const tty = await onTerminal(['notion', 'sync', '--dir', root], notionEnv(server));
    expect(tty.code).toBe(0);
    expect(tty.output).toMatch(/cos notion sync \[[░█]+\] \d+\/25 sprints/);
    expect(tty.output).toContain('notion sync: 25 created, 0 updated, 0 unchanged, 0 failed');

    const fresh = server.createDatabase({ properties: FULL_SCHEMA });
    const other = notionRepo({ databaseId: fresh.databaseId, sprints: 25 });
    const piped = await runCli(['notion', 'sync', '--dir', other], { env: notionEnv(server) });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe('notion sync: 25 created, 0 updated, 0 unchanged, 0 failed\n');
    expect(piped.stderr).toBe('');
  }, 120_000);
});
