/**
 * Several machines through one git remote: two clones and a bare remote, each posting,
 * heartbeating and archiving, with interleaved pulls and pushes. Merges of .agent/ must never
 * conflict, no entry may be lost, and every clone must report the same findings.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { readStore } from '../../src/store/read.js';
import { cos } from '../helpers/cli.js';
import { git, gitdir, testdir } from '../helpers/tmp.js';

const T0 = new Date('2026-01-10T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const SCAN_NOW = at(24 * 60);

function clone(bare: string, name: string): string {
  const parent = testdir();
  git(parent, 'clone', '-q', bare, name);
  const dir = join(parent, name);
  git(dir, 'config', 'user.name', `cos test ${name}`);
  git(dir, 'config', 'user.email', 'cos-test@example.invalid');
  git(dir, 'config', 'commit.gpgsign', 'false');
  git(dir, 'config', 'pull.rebase', 'false');
  return dir;
}

let conflicts = 0;

/** Pull (merge) then push; a failed merge is counted as a conflict and fails the test. */
function sync(dir: string): void {
  try {
    execFileSync('git', ['pull', '-q', '--no-rebase', '--no-edit', 'origin', 'main'], { cwd: dir, stdio: 'pipe' });
  } catch (error) {
    conflicts++;
    throw new Error(`git pull conflicted in ${dir}: ${git(dir, 'status', '--porcelain')}`, { cause: error });
  }
  git(dir, 'push', '-q', 'origin', 'HEAD:main');
}

async function ok(args: string[], cwd: string, now: Date): Promise<string> {
  const result = await cos(args, { cwd, now });
  expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: '' });
  return result.stdout;
}

/** `cos scan --json`, or — while scan is not built yet — the same analysis through the library. */
async function findings(dir: string): Promise<string> {
  const result = await cos(['scan', '--json', '--fail-on', 'never'], { cwd: dir, now: SCAN_NOW });
  if (result.code === 1 && /not available/.test(result.stderr)) {
    const analysis = analyze(dir, { now: SCAN_NOW });
    return JSON.stringify({ findings: analysis.findings, entries: analysis.snapshot.entries.length, problems: analysis.snapshot.problems.length });
  }
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('two clones and a bare remote', () => {
  // Hundreds of git processes: 13 s on a quiet 2-core machine, 42 s under load; room for a noisier one.
  it('50 entries each with heartbeats, archives and interleaved pulls/pushes: zero conflicts, all 100 entries in both, identical scan', { timeout: 300_000 }, async () => {
    const parent = testdir();
    git(parent, 'init', '-q', '--bare', '-b', 'main', 'remote.git');
    const bare = join(parent, 'remote.git');
    const seed = gitdir({ 'README.md': 'project\n' });
    await ok(['init'], seed, T0);
    // The agents here never verify each other: a COMPLETE finishes a sprint (and lets it archive).
    const config = join(seed, '.agent/config/coordination.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('verification: required', 'verification: optional'));
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'cos init');
    git(seed, 'remote', 'add', 'origin', bare);
    git(seed, 'push', '-q', 'origin', 'HEAD:main');

    const clones = { a: clone(bare, 'a'), b: clone(bare, 'b') };
    conflicts = 0;
    for (let i = 0; i < 50; i++) {
      for (const [name, dir] of Object.entries(clones)) {
        const minute = i * 10 + (name === 'a' ? 0 : 3);
        const shared = i === 20 || i === 21;
        const sprint = shared ? 'shared' : `${name}-${Math.floor(i / 2)}`;
        // Mostly IN_PROGRESS then COMPLETE; some sprints end BLOCKED, the last stays open (stale).
        const status = i % 2 === 0 || i === 49 ? 'IN_PROGRESS' : i % 10 === 7 ? 'BLOCKED' : 'COMPLETE';
        await ok(['post', '--sprint', sprint, '--agent', `dev-${name}`, '--status', status, '--commit'], dir, at(minute));
        if (status === 'IN_PROGRESS') {
          // The owning agent heartbeats its own open entry, then commits the change.
          await ok(['heartbeat', '--sprint', sprint, '--agent', `dev-${name}`], dir, at(minute + 2));
          git(dir, 'add', '-A', '.agent/status');
          git(dir, 'commit', '-q', '-m', `heartbeat ${sprint}`);
        }
        if (i % 10 === (name === 'a' ? 5 : 8)) await ok(['archive', '--commit'], dir, at(minute + 5));
      }
      if (i % 3 === 2) sync(clones.a);
      if (i % 4 === 3) sync(clones.b);
    }
    sync(clones.a);
    sync(clones.b);
    sync(clones.a);

    expect(conflicts).toBe(0);
    expect(git(clones.a, 'rev-parse', 'HEAD')).toBe(git(clones.b, 'rev-parse', 'HEAD'));
    for (const dir of Object.values(clones)) {
      expect(git(dir, 'status', '--porcelain')).toBe('');
      const snapshot = readStore(dir);
      expect(snapshot.problems).toEqual([]);
      expect(snapshot.entries).toHaveLength(100);
      expect(new Set(snapshot.entries.map((e) => e.file)).size).toBe(100);
      expect(snapshot.entries.filter((e) => e.agent === 'dev-a')).toHaveLength(50);
    }
    // Archiving happened, and both clones picked sequence numbers independently.
    const store = readStore(clones.a);
    expect(store.entries.filter((e) => e.location === 'archive').length).toBeGreaterThan(50);
    expect(new Set(store.entries.map((e) => e.seq)).size).toBeLessThan(100);
    const names = (dir: string) => readStore(dir).entries.map((e) => e.path).sort();
    expect(names(clones.a)).toEqual(names(clones.b));
    const scanA = await findings(clones.a);
    const kinds = (JSON.parse(scanA).findings as Array<{ kind: string }>).map((f) => f.kind);
    expect(kinds).toContain('stale');
    expect(scanA).toBe(await findings(clones.b));
    // A fresh archive run in either clone now agrees too.
    const dryA = JSON.parse(await ok(['archive', '--dry-run', '--json'], clones.a, SCAN_NOW));
    const dryB = JSON.parse(await ok(['archive', '--dry-run', '--json'], clones.b, SCAN_NOW));
    expect(dryA).toEqual(dryB);
  });
});
