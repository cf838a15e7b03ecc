/**
 * File names and entry fields read from a repository can hold line breaks, carriage returns and
 * escape sequences. Human output shows them escaped on their own line (output/visible.ts), so no
 * file can forge a line, move the cursor or recolour the terminal; `--json` keeps them exact.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/tmp.js';

/** Every control character but the line feed that ends a line. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
/** Names and fields below carry this after a line break: it must never start a line of output. */
const FORGED = /^FORGED/m;

const CURRENT = '.agent/status/current';
const NAMES = { newline: 'evil\nFORGED all clear.md', cr: 'evil\rFORGED.md', esc: 'evil\u001b[31mred.md' };
const SHOWN = { newline: 'evil\\u000aFORGED all clear.md', cr: 'evil\\u000dFORGED.md', esc: 'evil\\u001b[31mred.md' };
const TS = '2026-11-30T01:00:00Z';
const NOW = new Date('2026-11-30T01:10:00Z');

/** A hand-written FAILED entry whose fields and body hold a line break, a carriage return and escape sequences. */
const HOSTILE_ENTRY = [
  '---',
  'sprint: s2',
  'agent: c',
  'status: FAILED',
  `timestamp: ${TS}`,
  `heartbeat: ${TS}`,
  'ttl_minutes: 30',
  'severity: URGENT',
  'title: "T\\nFORGED title\\r\\u001b[31mred"',
  'phase: "p\\nFORGED phase"',
  'error: "e\\nFORGED error\\u001b[2J"',
  '---',
  'first line\u001b]0;title\u0007 of the body\r over',
  '',
].join('\n');

let root: string;
/** cos cleanup also looks in the local agent directory: this repository's own, not the machine's. */
let HERE: NodeJS.ProcessEnv;

// One repository for every test of this file (the helpers' temp dirs go after each test).
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cos-hostile-'));
  HERE = { COS_LOCAL_ROOT: join(root, '.local-agent') };
  git(root, 'init', '-q', '-b', 'main');
  writeFileSync(join(root, 'README.md'), 'x\n');
  expect((await runCli(['init'], { cwd: root })).code).toBe(0);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'init');
  const current = join(root, CURRENT);
  for (const name of Object.values(NAMES)) writeFileSync(join(current, name), 'not an entry\n');
  writeFileSync(join(current, '002-2026-11-30T01-00-00Z-c.md'), HOSTILE_ENTRY);
  // A writer's temp file left behind (cos cleanup lists it), old enough to count as cruft.
  const temp = join(current, '.evil\u001b[31mred.123.ab.tmp');
  writeFileSync(temp, '');
  utimesSync(temp, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
  // A plan file that cannot be used: its name is in the warning on stderr.
  mkdirSync(join(root, '.agent', 'plans'), { recursive: true });
  writeFileSync(join(root, '.agent', 'plans', 'bad\nFORGED\u001b[2J.yaml'), 'steps: 3\n');
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('file names and entry fields in human output', () => {
  const commands = [['status'], ['scan'], ['brief'], ['review', '--since', 'HEAD'], ['cleanup'], ['archive', '--dry-run'], ['ready'], ['watch', '--once', '--no-notion']];
  for (const args of commands) {
    it(`cos ${args.join(' ')}: no raw control character, no forged line`, async () => {
      const result = await runCli(args, { cwd: root, env: HERE });
      expect(result.stdout).not.toMatch(RAW_CONTROL);
      expect(result.stderr).not.toMatch(RAW_CONTROL);
      expect(result.stdout).not.toMatch(FORGED);
      expect(result.stderr).not.toMatch(FORGED);
    }, 60_000);
  }

  it('the names stay recognisable: each escaped in place, in scan, status and brief', async () => {
    for (const command of ['scan', 'status', 'brief']) {
      const { stdout } = await runCli([command], { cwd: root });
      for (const shown of Object.values(SHOWN)) expect(stdout, command).toContain(`${CURRENT}/${shown}`);
    }
    const review = await runCli(['review', '--since', 'HEAD'], { cwd: root });
    for (const shown of Object.values(SHOWN)) expect(review.stdout).toContain(shown);
    const cleanup = await runCli(['cleanup'], { cwd: root, env: HERE });
    expect(cleanup.stdout).toContain('.evil\\u001b[31mred.123.ab.tmp');
    const ready = await runCli(['ready'], { cwd: root });
    expect(ready.stderr).toContain('bad\\u000aFORGED\\u001b[2J.yaml is not a usable plan');
  }, 120_000);

  it('an entry\'s error and body are shown escaped on their line (brief)', async () => {
    const { stdout } = await runCli(['brief'], { cwd: root });
    expect(stdout).toContain('error `e\\u000aFORGED error\\u001b[2J`');
    expect(stdout).toContain('first line\\u001b]0;title\\u0007 of the body\\u000d over');
  }, 60_000);

  it('--json keeps every name exact', async () => {
    const scan = JSON.parse((await runCli(['scan', '--json'], { cwd: root })).stdout) as { findings: Array<{ files: string[] }> };
    const files = scan.findings.flatMap((finding) => finding.files);
    for (const name of Object.values(NAMES)) expect(files).toContain(`${CURRENT}/${name}`);
    const review = JSON.parse((await runCli(['review', '--since', 'HEAD', '--json'], { cwd: root })).stdout) as { uncommitted: string[] };
    for (const name of Object.values(NAMES)) expect(review.uncommitted).toContain(`${CURRENT}/${name}`);
  }, 60_000);

  it('on a colour terminal only cos\'s own colours are raw: a name\'s escape sequence is still escaped', async () => {
    let stdout = '';
    await main(['scan', '--dir', root], { cwd: root, env: { ...process.env, NO_COLOR: '', TERM: 'xterm' }, stdout: (text) => void (stdout += text), stderr: () => {}, isTTY: true, now: () => NOW });
    expect(stdout).toContain('\u001b[');
    expect(stdout).toContain(`${CURRENT}/${SHOWN.esc}`);
    expect(stdout).not.toContain(NAMES.esc);
    expect(stdout).not.toMatch(FORGED);
  }, 60_000);
});
