/**
 * `cos status`, `cos post` and `cos scan` (and `cos health`) run from bundles of their own
 * (dist/cmd/<name>.cjs, build/bundle.mjs): the built binary answers every line exactly as the
 * general CLI (dist/chunks/cli.js, run directly) does — help, bad usage, no project, output, exit
 * codes — and the packages the bundles reach (simple-git for --commit) load from them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, runCliIntoClosedPipe } from '../helpers/cli.js';
import { git, testdir } from '../helpers/tmp.js';

const GENERAL = fileURLToPath(new URL('../../dist/chunks/cli.js', import.meta.url));
const BUNDLES = fileURLToPath(new URL('../../dist/cmd/', import.meta.url));

function run(cli: string, args: string[], cwd?: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', COS_DEBUG: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The two runs are seconds apart: ages ("14s", "2m") are not compared. */
const ageless = (result: ReturnType<typeof run>) => ({ ...result, stdout: result.stdout.replace(/\b\d+[smhd]\b/g, 'AGE') });

function project(): string {
  const root = testdir();
  git(root, 'init', '-q');
  expect(run(CLI, ['init', '--dir', root]).code).toBe(0);
  return root;
}

describe('the command bundles', () => {
  it('exist for status, post and scan', () => {
    expect(readdirSync(BUNDLES).sort()).toEqual(['post.cjs', 'scan.cjs', 'status.cjs']);
  });

  it('answer every line as the general CLI does', { timeout: 180_000 }, () => {
    const root = project();
    expect(run(CLI, ['post', '--dir', root, '--sprint', 's-1', '--agent', 'dev', '--status', 'IN_PROGRESS', '-m', 'started']).code).toBe(0);
    expect(run(CLI, ['post', '--dir', root, '--sprint', 's-2', '--agent', 'dev', '--status', 'BLOCKED', '--severity', 'URGENT', '-m', 'stuck']).code).toBe(0);
    const outside = testdir();
    const lines: [string[], string | undefined][] = [
      [['status', '--help'], undefined],
      [['post', '-h'], undefined],
      [['scan', '--help'], undefined],
      [['health', '--help'], undefined],
      [['status', '--bogus'], undefined],
      [['post', '--dir', root, '--sprint', 'Not A Slug', '--agent', 'dev', '--status', 'IN_PROGRESS'], undefined],
      [['post', '--dir', root, '--sprint', 's-1'], undefined],
      [['scan', '--dir', root, '--fail-on', 'bogus'], undefined],
      [['status', '--dir', join(root, 'missing')], undefined],
      [['status'], outside],
      [['scan', '--json'], outside],
      [['--dir', root, 'status', '--json'], undefined],
      [['status', '--all', '--dir', root], undefined],
      [['scan', '--json', '--dir', root], undefined],
      [['health', '--dir', root], undefined],
      [['scan', '--fail-on', 'never'], root],
    ];
    for (const [args, cwd] of lines) {
      const bundled = ageless(run(CLI, args, cwd));
      const general = ageless(run(GENERAL, args, cwd));
      expect({ args, ...bundled }).toEqual({ args, ...general });
    }
    // The lines above gave real answers, not the same failure twice.
    expect(run(CLI, ['status', '--json', '--dir', root]).code).toBe(0);
    expect(run(CLI, ['scan', '--dir', root]).code).toBe(2);
    expect(run(CLI, ['post', '-h']).stdout).toMatch(/^Usage: cos post /);
  });

  it('cos post writes the same entry, and --commit commits it through simple-git', { timeout: 120_000 }, () => {
    const root = project();
    const args = ['post', '--json', '--sprint', 's-1', '--agent', 'dev', '--status', 'IN_PROGRESS', '--ttl', '60', '-m', 'text'];
    const copy = testdir();
    cpSync(root, copy, { recursive: true });
    const bundled = run(CLI, [...args, '--dir', root]);
    const general = run(GENERAL, [...args, '--dir', copy]);
    expect(bundled).toMatchObject({ code: 0, stderr: '' });
    const strip = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d[-:]\d\d[-:]\d\dZ/g, 'T');
    expect(strip(bundled.stdout)).toBe(strip(general.stdout));
    const written = (dir: string, stdout: string) => strip(readFileSync(join(dir, JSON.parse(stdout).entry.file), 'utf8'));
    expect(written(root, bundled.stdout)).toBe(written(copy, general.stdout));
    expect(written(root, bundled.stdout)).toContain('sprint: s-1');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'setup');
    const committed = run(CLI, ['post', '--json', '--commit', '--dir', root, '--sprint', 's-1', '--agent', 'dev', '--status', 'COMPLETE', '-m', 'done']);
    expect(committed).toMatchObject({ code: 0, stderr: '' });
    const { commit, entry: done } = JSON.parse(committed.stdout);
    expect(git(root, 'rev-parse', 'HEAD').trim()).toBe(commit);
    expect(git(root, 'show', '--name-only', '--format=%s', 'HEAD').trim().split('\n')).toEqual(['cos: s-1 dev COMPLETE', '', done.file]);
    expect(existsSync(join(root, done.file))).toBe(true);
  });

  it('cos status | (closed at once) exits 0 without an EPIPE stack trace', { timeout: 60_000 }, async () => {
    const root = project();
    const { code, stderr } = await runCliIntoClosedPipe(['status', '--dir', root]);
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
