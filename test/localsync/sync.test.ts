import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planFile, type FileState } from '../../src/localsync/plan.js';
import { cos } from '../helpers/cli.js';
import { git, gitdir, testdir } from '../helpers/tmp.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/sync', import.meta.url));

async function initRepo(withGit = false): Promise<string> {
  const dir = withGit ? gitdir({ 'README.md': 'x\n' }) : testdir();
  expect((await cos(['init'], { cwd: dir })).code).toBe(0);
  if (withGit) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'init');
  }
  return dir;
}

async function sync(dir: string, target: string, ...flags: string[]) {
  const result = await cos(['sync', '--target', target, '--json', ...flags], { cwd: dir });
  const out = result.stdout ? JSON.parse(result.stdout) : null;
  return { code: result.code, stderr: result.stderr, out, act: (path: string) => out?.actions.find((a: { path: string }) => a.path === path)?.action };
}

const SKILL = 'skills/chief-of-staff/SKILL.md';
const ROLE = 'roles/developer.md';

describe('cos sync', () => {
  it('round trip: push creates, pull brings a local edit back (with the git diff), push is then a no-op', async () => {
    const dir = await initRepo(true);
    const target = testdir();
    const first = await sync(dir, target);
    expect(first.code).toBe(0);
    expect(first.out.direction).toBe('push');
    expect(first.act(SKILL)).toBe('create');
    expect(first.act(ROLE)).toBe('create');
    expect(readFileSync(join(target, SKILL), 'utf8')).toBe(readFileSync(join(dir, '.agent', SKILL), 'utf8'));
    expect(readdirSync(join(target, 'roles')).sort()).toEqual(readdirSync(join(dir, '.agent/roles')).sort());

    const again = await sync(dir, target);
    expect(again.out.actions.every((a: { action: string }) => a.action === 'unchanged')).toBe(true);

    // Edit locally: push leaves it (skip), pull brings it back and shows the diff.
    writeFileSync(join(target, SKILL), `${readFileSync(join(target, SKILL), 'utf8')}\nLocal tip.\n`);
    mkdirSync(join(target, 'skills/chief-of-staff/references'), { recursive: true });
    writeFileSync(join(target, 'skills/chief-of-staff/references/plan.md'), '# plan\n');
    const pushed = await sync(dir, target);
    expect(pushed.code).toBe(0);
    expect(pushed.act(SKILL)).toBe('skip');
    expect(readFileSync(join(target, SKILL), 'utf8')).toMatch(/Local tip/);
    const pulled = await sync(dir, target, '--pull');
    expect(pulled.code).toBe(0);
    expect(pulled.act(SKILL)).toBe('update');
    expect(pulled.act('skills/chief-of-staff/references/plan.md')).toBe('create');
    expect(readFileSync(join(dir, '.agent', SKILL), 'utf8')).toMatch(/Local tip/);
    expect(pulled.out.diff).toMatch(/^\+Local tip\.$/m);
    expect(pulled.out.untracked).toEqual(['.agent/skills/chief-of-staff/references/plan.md']);
    const text = await cos(['sync', '--target', target, '--pull'], { cwd: dir });
    expect(text.stdout).toMatch(/new file: \.agent\/skills\/chief-of-staff\/references\/plan\.md/);
    expect(text.stdout).toMatch(/\+Local tip\./);
    const settled = await sync(dir, target);
    expect(settled.out.actions.every((a: { action: string }) => a.action === 'unchanged')).toBe(true);

    // The repository changes a role and removes another: push updates and deletes locally.
    writeFileSync(join(dir, '.agent', ROLE), `${readFileSync(join(dir, '.agent', ROLE), 'utf8')}\nNew order.\n`);
    rmSync(join(dir, '.agent/roles/mine-sweeper.md'));
    const third = await sync(dir, target);
    expect(third.act(ROLE)).toBe('update');
    expect(third.act('roles/mine-sweeper.md')).toBe('delete');
    expect(existsSync(join(target, 'roles/mine-sweeper.md'))).toBe(false);
    expect(readFileSync(join(target, ROLE), 'utf8')).toMatch(/New order/);
    // The record of the last sync lives in the git-ignored state folder.
    expect(existsSync(join(dir, '.agent/state/sync.json'))).toBe(true);
    expect(git(dir, 'status', '--porcelain', '--', '.agent/state')).toBe('');
  });

  it('a file changed on both sides is a conflict: reported, exit 3, both left alone, in either direction', async () => {
    const dir = await initRepo();
    const target = testdir();
    await sync(dir, target);
    writeFileSync(join(dir, '.agent', ROLE), 'repo version\n');
    writeFileSync(join(target, ROLE), 'local version\n');
    for (const flags of [[], ['--pull']]) {
      const result = await sync(dir, target, ...flags);
      expect(result.code).toBe(3);
      expect(result.out.conflicts).toEqual([ROLE]);
      expect(result.act(ROLE)).toBe('conflict');
      expect(readFileSync(join(dir, '.agent', ROLE), 'utf8')).toBe('repo version\n');
      expect(readFileSync(join(target, ROLE), 'utf8')).toBe('local version\n');
    }
    const text = await cos(['sync', '--target', target], { cwd: dir });
    expect(text.stdout).toMatch(/conflict\s+roles\/developer\.md: changed in both \.agent\/ and the local directory since the last sync; left alone/);
    // Resolving by hand (keep one version) settles it.
    writeFileSync(join(target, ROLE), 'repo version\n');
    const settled = await sync(dir, target);
    expect(settled.code).toBe(0);
    expect(settled.act(ROLE)).toBe('unchanged');
  });

  it('never overwrites a local file it did not write (first sync), nor touches skills the repository does not own', async () => {
    const dir = await initRepo();
    const target = testdir({ [ROLE]: 'my own developer role\n', 'skills/other/SKILL.md': 'someone else\n', 'agents/x.md': 'a subagent\n' });
    const result = await sync(dir, target);
    expect(result.code).toBe(3);
    expect(result.act(ROLE)).toBe('conflict');
    expect(result.out.actions.find((a: { reason?: string }) => a.reason)?.reason).toMatch(/never synced/);
    expect(readFileSync(join(target, ROLE), 'utf8')).toBe('my own developer role\n');
    expect(result.out.actions.some((a: { path: string }) => a.path.startsWith('skills/other/'))).toBe(false);
    expect(readFileSync(join(target, 'skills/other/SKILL.md'), 'utf8')).toBe('someone else\n');
    expect(existsSync(join(target, 'agents/x.md'))).toBe(true);
  });

  it('--dry-run writes nothing, not even the record', async () => {
    const dir = await initRepo();
    const target = testdir();
    const result = await sync(dir, target, '--dry-run');
    expect(result.code).toBe(0);
    expect(result.out.dry_run).toBe(true);
    expect(result.act(SKILL)).toBe('create');
    expect(readdirSync(target)).toEqual([]);
    expect(existsSync(join(dir, '.agent/state/sync.json'))).toBe(false);
  });

  it('keeps file modes (an executable skill script stays executable)', async () => {
    const dir = await initRepo();
    writeFileSync(join(dir, '.agent/skills/chief-of-staff/check.sh'), '#!/bin/sh\necho ok\n');
    chmodSync(join(dir, '.agent/skills/chief-of-staff/check.sh'), 0o755);
    const target = testdir();
    await sync(dir, target);
    expect(statSync(join(target, 'skills/chief-of-staff/check.sh')).mode & 0o777).toBe(0o755);
  });

  it('defaults to local_root of coordination.yaml (~ is HOME; a fake HOME here, never the real one)', async () => {
    const dir = await initRepo();
    const home = testdir();
    const result = await cos(['sync', '--json'], { cwd: dir, env: { HOME: home } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).target).toBe(join(home, '.claude'));
    expect(existsSync(join(home, '.claude', SKILL))).toBe(true);
    const cleanup = await cos(['cleanup', '--json'], { cwd: dir, env: { HOME: home } });
    expect(JSON.parse(cleanup.stdout).local_root).toBe(join(home, '.claude'));
  });

  it('a role whose name is not UTF-8 and a FIFO role are reported as skipped, never counted as unchanged: the counts are true', async () => {
    const dir = await initRepo();
    const target = testdir();
    writeFileSync(Buffer.concat([Buffer.from(join(dir, '.agent/roles/r')), Buffer.from([0xff]), Buffer.from('.md')]), '# a role\n');
    spawnSync('mkfifo', [join(dir, '.agent/roles/pipe.md'), join(dir, '.agent/skills/chief-of-staff/pipe')]);
    const first = await sync(dir, target);
    expect(first.code).toBe(0);
    expect(first.act('roles/r\uFFFD.md')).toBe('skip');
    expect(first.act('roles/pipe.md')).toBe('skip');
    expect(first.act('skills/chief-of-staff/pipe')).toBe('skip');
    expect(first.out.actions.find((a: { path: string }) => a.path === 'roles/r\uFFFD.md').reason).toMatch(/^in \.agent\/: its name is not valid UTF-8/);
    const text = await cos(['sync', '--target', target], { cwd: dir });
    const files = readdirSync(join(dir, '.agent/roles')).filter((name) => name.endsWith('.md') && name !== 'pipe.md' && !name.includes('\uFFFD')).length + 1;
    // Every regular role and the one skill file: unchanged; the three odd files: skipped, and said.
    expect(text.stdout).toMatch(new RegExp(`\\n${files} unchanged, 0 changed, 3 skipped, 0 conflicts\\.\\n$`));
    expect(text.stdout).toMatch(/skip {6}roles\/pipe\.md: in \.agent\/: it is not a regular file/);
    expect(existsSync(join(target, 'roles/pipe.md'))).toBe(false);
  });

  it('refuses bad flags and a target overlapping .agent/', async () => {
    const dir = await initRepo();
    const both = await cos(['sync', '--push', '--pull', '--target', testdir()], { cwd: dir });
    expect(both.code).toBe(1);
    const overlap = await cos(['sync', '--target', join(dir, '.agent')], { cwd: dir });
    expect(overlap.code).toBe(1);
    expect(overlap.stderr).toMatch(/overlaps the repository's \.agent\/ folder/);
  });

  it('a fresh clone plus scripts/sync gives a working coordination system', async () => {
    const origin = await initRepo(true);
    const parent = testdir();
    git(parent, 'clone', '-q', origin, 'fresh');
    const clone = join(parent, 'fresh');
    const target = testdir();
    const run = spawnSync(SCRIPT, ['--target', target], { cwd: join(clone, '.agent/roles'), encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/cos sync --push: \.agent\/ ->/);
    expect(readFileSync(join(target, SKILL), 'utf8')).toMatch(/^name: chief-of-staff$/m);
    expect(readdirSync(join(target, 'roles')).sort()).toEqual(['chief-of-staff.md', 'developer.md', 'mine-sweeper.md', 'qa-reviewer.md', 'sprintmaster.md']);
    expect(git(clone, 'status', '--porcelain')).toBe('');
    const post = await cos(['post', '--sprint', 'first', '--agent', 'dev', '--status', 'IN_PROGRESS'], { cwd: clone });
    expect(post.code).toBe(0);
    const status = await cos(['status', '--json'], { cwd: clone });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).sprints.map((s: { sprint: string }) => s.sprint)).toEqual(['first']);
  });
});

describe('planFile (three-way decision)', () => {
  const H = { a: 'a'.repeat(64), b: 'b'.repeat(64), c: 'c'.repeat(64) };
  const cases: Array<[string, Partial<FileState>, 'push' | 'pull', string]> = [
    ['new in repo', { repo: H.a }, 'push', 'create'],
    ['same both sides', { repo: H.a, local: H.a }, 'push', 'unchanged'],
    ['repo changed, local untouched', { repo: H.b, local: H.a, base: H.a }, 'push', 'update'],
    ['repo removed, local untouched', { repo: null, local: H.a, base: H.a }, 'push', 'delete'],
    ['local changed only: push skips', { repo: H.a, local: H.b, base: H.a }, 'push', 'skip'],
    ['local changed only: pull updates repo', { repo: H.a, local: H.b, base: H.a }, 'pull', 'update'],
    ['local removed: pull removes from repo', { repo: H.a, local: null, base: H.a }, 'pull', 'delete'],
    ['local removed: push skips', { repo: H.a, local: null, base: H.a }, 'push', 'skip'],
    ['both changed', { repo: H.b, local: H.c, base: H.a }, 'push', 'conflict'],
    ['both changed (pull)', { repo: H.b, local: H.c, base: H.a }, 'pull', 'conflict'],
    ['repo changed, local removed', { repo: H.b, local: null, base: H.a }, 'push', 'conflict'],
    ['never synced, both present and different', { repo: H.a, local: H.b }, 'push', 'conflict'],
    ['new local file: pull creates', { local: H.a }, 'pull', 'create'],
  ];
  it.each(cases)('%s', (_name, state, direction, action) => {
    expect(planFile({ key: 'k', repo: null, local: null, base: null, ...state }, direction).action).toBe(action);
  });
});

describe('cos sync: set-ups it cannot sync', () => {
  it('in a folder without .agent/ exits 1 saying so, and creates nothing on either side', async () => {
    const dir = testdir();
    const target = testdir();
    for (const flags of [[], ['--pull']]) {
      const result = await sync(dir, target, ...flags);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`cos sync: There is no .agent/ folder in ${dir} to sync; run cos init there first, or pass --dir to the repository.\n`);
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(target)).toEqual([]);
  });


  it('a target that is a file exits 1 naming it, and writes nothing', async () => {
    const dir = await initRepo();
    const file = join(testdir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const result = await sync(dir, file);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`cos sync: The sync target ${file} is not a directory; give the local agent directory with --target (or COS_LOCAL_ROOT).\n`);
    expect(readFileSync(file, 'utf8')).toBe('x');
    expect(existsSync(join(dir, '.agent/state/sync.json'))).toBe(false);
  });

  it('a write failing part-way exits 1 naming the file, records what was done, and the next run finishes without a conflict', async () => {
    const dir = await initRepo();
    const target = testdir();
    writeFileSync(join(target, 'skills'), 'a file where the skills folder should be');
    const failed = await sync(dir, target);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`^cos sync: Could not create ${join(target, SKILL).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(ENOTDIR\\); 5 of 6 files were handled and recorded; fix the cause and run cos sync again\\.\\n$`));
    expect(readFileSync(join(target, ROLE), 'utf8')).toBe(readFileSync(join(dir, '.agent', ROLE), 'utf8'));
    rmSync(join(target, 'skills'));
    const again = await sync(dir, target);
    expect(again.code).toBe(0);
    expect(again.out.conflicts).toEqual([]);
    expect(again.act(ROLE)).toBe('unchanged');
    expect(again.act(SKILL)).toBe('create');
    // A later edit of a role in .agent/ flows out: the role was recorded as synced.
    writeFileSync(join(dir, '.agent', ROLE), `${readFileSync(join(dir, '.agent', ROLE), 'utf8')}\nmore\n`);
    expect((await sync(dir, target)).act(ROLE)).toBe('update');
  });
});
