import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyChanges } from '../../src/git/changes.js';
import { cos } from '../helpers/cli.js';
import { git, gitdir, testdir } from '../helpers/tmp.js';

const T0 = new Date('2026-01-10T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function post(dir: string, sprint: string, agent: string, status: string, minute: number): Promise<string> {
  const result = await cos(['post', '--sprint', sprint, '--agent', agent, '--status', status, '--json'], { cwd: dir, now: at(minute) });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout).entry.name;
}

function commitAll(dir: string, message: string, date?: string): string {
  git(dir, 'add', '-A');
  execFileSync('git', ['commit', '-q', '-m', message], { cwd: dir, env: { ...process.env, ...(date ? { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date } : {}) } });
  return git(dir, 'rev-parse', 'HEAD').trim();
}

async function initRepo(): Promise<string> {
  const dir = gitdir({ 'README.md': 'x\n' });
  expect((await cos(['init'], { cwd: dir })).code).toBe(0);
  return dir;
}

describe('cos review', () => {
  it('summarises entries added, archived, heartbeats, roles/config/skills changed, and what is uncommitted', async () => {
    const dir = await initRepo();
    const old1 = await post(dir, 'alpha', 'dev', 'COMPLETE', 0);
    const old2 = await post(dir, 'beta', 'dev', 'IN_PROGRESS', 1);
    const base = commitAll(dir, 'base');
    const qa = await post(dir, 'alpha', 'qa', 'VERIFIED', 10); // finishes alpha
    const b2 = await post(dir, 'beta', 'qa', 'DISPATCHED', 11);
    commitAll(dir, 'more');
    expect((await cos(['archive'], { cwd: dir, now: at(20) })).code).toBe(0); // alpha moves: old1 (tracked) and qa
    expect((await cos(['heartbeat', '--sprint', 'beta', '--agent', 'dev'], { cwd: dir, now: at(25) })).code).toBe(0);
    appendFileSync(join(dir, '.agent/roles/developer.md'), '\nOne more standing order.\n');
    mkdirSync(join(dir, '.agent/skills/review'), { recursive: true });
    writeFileSync(join(dir, '.agent/skills/review/SKILL.md'), '---\nname: review\n---\n');
    const b3 = await post(dir, 'beta', 'dev', 'COMPLETE', 30); // untracked

    const result = await cos(['review', '--since', base, '--json'], { cwd: dir, now: at(40) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.version).toBe(1);
    expect(out.since).toEqual({ ref: base, commit: base });
    expect(out.added.map((e: { file: string; sprint: string; agent: string; status: string; uncommitted: boolean }) => [e.file, e.sprint, e.agent, e.status, e.uncommitted])).toEqual([
      [`.agent/status/archive/alpha/${qa}`, 'alpha', 'qa', 'VERIFIED', true],
      [`.agent/status/current/${b2}`, 'beta', 'qa', 'DISPATCHED', false],
      [`.agent/status/current/${b3}`, 'beta', 'dev', 'COMPLETE', true],
    ]);
    expect(out.archived).toEqual([{ file: `.agent/status/archive/alpha/${old1}`, name: old1, from: `.agent/status/current/${old1}`, to: `.agent/status/archive/alpha/${old1}`, sprint: 'alpha', uncommitted: true }]);
    expect(out.heartbeats.map((e: { file: string; heartbeat: string }) => [e.file, e.heartbeat])).toEqual([[`.agent/status/current/${old2}`, '2026-01-10T08:25:00Z']]);
    expect(out.changed).toEqual(['.agent/roles/developer.md', '.agent/skills/review/SKILL.md']);
    expect(out.uncommitted).toContain('.agent/roles/developer.md');
    expect(out.uncommitted).toContain(`.agent/status/current/${b3}`);
    expect(out.uncommitted).not.toContain(`.agent/status/current/${b2}`);
    expect(out.problems).toEqual([]);

    const text = await cos(['review', '--since', base], { cwd: dir, now: at(40) });
    expect(text.stdout).toMatch(/Entries added: 3\n  alpha: 1 VERIFIED \(1 uncommitted\)\n  beta: 1 COMPLETE, 1 DISPATCHED \(1 uncommitted\)\n/);
    expect(text.stdout).toMatch(/Entries archived: 1\n  alpha: 1\n/);
    expect(text.stdout).toMatch(/Heartbeats refreshed: 1\n  beta\/dev\n/);
    expect(text.stdout).toMatch(/M \.agent\/roles\/developer\.md \*/);
    expect(text.stdout).toMatch(/A \.agent\/skills\/review\/SKILL\.md \*/);
    // The uncommitted paths are listed by name (the per-sprint counts above cannot carry a mark).
    const tail = text.stdout.slice(text.stdout.indexOf('Uncommitted: '));
    expect(tail.split('\n')[0]).toBe(`Uncommitted: ${out.uncommitted.length} paths:`);
    for (const path of out.uncommitted) expect(tail).toContain(`\n  ${path}\n`);
  });

  it('committed changes are reviewed the same way (ref..HEAD), with nothing uncommitted', async () => {
    const dir = await initRepo();
    const a = await post(dir, 'alpha', 'dev', 'COMPLETE', 0);
    const base = commitAll(dir, 'base');
    await post(dir, 'alpha', 'qa', 'VERIFIED', 5);
    await cos(['archive', '--commit'], { cwd: dir, now: at(6) });
    const out = JSON.parse((await cos(['review', '--since', base, '--json'], { cwd: dir, now: at(7) })).stdout);
    expect(out.archived.map((m: { name: string }) => m.name)).toEqual([a]);
    expect(out.added).toHaveLength(1);
    expect(out.added[0].status).toBe('VERIFIED');
    expect(out.uncommitted).toEqual([]);
  });

  it('defaults to the last commit older than 24h, and takes a duration', async () => {
    const dir = await initRepo();
    commitAll(dir, 'init', '2026-01-08T08:00:00Z');
    const first = await post(dir, 'alpha', 'dev', 'IN_PROGRESS', -60 * 30); // committed 30 h before T0
    commitAll(dir, 'day before', '2026-01-09T02:00:00Z');
    const second = await post(dir, 'beta', 'dev', 'IN_PROGRESS', -60);
    commitAll(dir, 'last hour', '2026-01-10T07:00:00Z');
    const byDefault = JSON.parse((await cos(['review', '--json'], { cwd: dir, now: T0 })).stdout);
    expect(byDefault.since.ref).toBe('24h');
    expect(byDefault.added.map((e: { file: string }) => e.file)).toEqual([`.agent/status/current/${second}`]);
    const week = JSON.parse((await cos(['review', '--since', '7d', '--json'], { cwd: dir, now: T0 })).stdout);
    expect(week.since.commit).toBeNull();
    expect(week.added.map((e: { file: string }) => e.file)).toEqual([`.agent/status/current/${first}`, `.agent/status/current/${second}`]);
    expect(week.changed).toContain('.agent/config/coordination.yaml');
    // A window longer than all of time is the whole history, not a crash.
    for (const since of ['99999999d', '999999999999999d']) {
      const all = await cos(['review', '--since', since, '--json'], { cwd: dir, now: T0 });
      expect(all.stderr, since).toBe('');
      expect(JSON.parse(all.stdout)).toEqual({ ...week, since: { ref: since, commit: null } });
    }
  });

  it('entries whose name or folder is not UTF-8 are reported as such, never as missing files, never skipped in silence', async () => {
    const dir = await initRepo();
    commitAll(dir, 'init');
    const name = await post(dir, 's1', 'a', 'IN_PROGRESS', 0);
    const text = readFileSync(join(dir, '.agent/status/current', name));
    const bytes = (...parts: Array<string | number>) => Buffer.concat(parts.map((part) => (typeof part === 'number' ? Buffer.from([part]) : Buffer.from(part))));
    writeFileSync(bytes(dir, '/.agent/status/current/002-2026-01-10T08-01-00Z-a', 0xff, '.md'), text);
    mkdirSync(bytes(dir, '/.agent/status/archive/s', 0xff), { recursive: true });
    writeFileSync(bytes(dir, '/.agent/status/archive/s', 0xff, '/003-2026-01-10T08-02-00Z-a.md'), text);
    commitAll(dir, 'odd names');
    const review = await cos(['review', '--here', '--since', 'HEAD~1'], { cwd: dir });
    const out = review.stdout + review.stderr;
    expect(out).not.toMatch(/no such file/);
    expect(out.match(/is not valid UTF-8/g)).toHaveLength(2);
    expect(out).toMatch(/s1: 1 IN_PROGRESS/);
  });

  it('a bad ref exits 1 naming it; outside a git repository it says so', async () => {
    const dir = await initRepo();
    const bad = await cos(['review', '--since', 'no-such-branch'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Unknown git ref "no-such-branch"/);
    const dash = await cos(['review', '--since=--output=x'], { cwd: dir });
    expect(dash.code).toBe(1);
    expect(dash.stderr).toMatch(/Invalid --since "--output=x"/);
    const plain = testdir({ '.agent/status/current/.gitkeep': '' });
    const notGit = await cos(['review'], { cwd: plain });
    expect(notGit.code).toBe(1);
    expect(notGit.stderr).toMatch(/is not inside a git repository/);
  });

  it('pairs moves by entry file name (classifyChanges)', () => {
    const n = '007-2026-01-10T08-00-00Z-dev.md';
    const m = '008-2026-01-10T08-00-00Z-dev.md';
    const result = classifyChanges([
      { path: `.agent/status/current/${n}`, change: 'D' },
      { path: `.agent/status/archive/s/${n}`, change: 'A' },
      { path: `.agent/status/archive/s/${m}`, change: 'D' },
      { path: `.agent/status/current/${m}`, change: 'A' },
      { path: '.agent/status/current/.gitkeep', change: 'A' },
      { path: '.agent/status/current/009-2026-01-10T08-00-00Z-dev.md', change: 'D' },
      { path: 'runbook.md', change: 'M' },
    ]);
    expect(result.archived).toEqual([{ from: `.agent/status/current/${n}`, to: `.agent/status/archive/s/${n}` }]);
    expect(result.restored).toEqual([{ from: `.agent/status/archive/s/${m}`, to: `.agent/status/current/${m}` }]);
    expect(result.removed).toEqual(['.agent/status/current/009-2026-01-10T08-00-00Z-dev.md']);
    expect(result.added).toEqual([]);
    expect(result.other).toEqual([{ path: 'runbook.md', change: 'M' }]);
  });
});

describe('cos review across worktrees', () => {
  it('reviews every worktree against the same base commit, this one first; --here only this one', async () => {
    const { worktreeRepo } = await import('../helpers/worktrees.js');
    const { main, worktrees } = await worktreeRepo(2);
    const [wt1, wt2] = worktrees as [string, string];
    const base = git(main, 'rev-parse', 'HEAD').trim();
    const run = (dir: string, ...args: string[]) => cos([...args, '--dir', dir], { env: { ...process.env, NO_COLOR: '1', COS_AGENT: '' } });
    expect((await run(main, 'post', '--sprint', 'billing', '--agent', 'dev-b', '--status', 'IN_PROGRESS')).code).toBe(0);
    expect((await run(wt1, 'post', '--sprint', 'search', '--agent', 'dev-a', '--status', 'IN_PROGRESS')).code).toBe(0);
    expect((await run(wt1, 'post', '--sprint', 'search', '--agent', 'dev-a', '--status', 'COMPLETE')).code).toBe(0);
    // wt1 commits its entries on its branch: they are changes since the base all the same.
    git(wt1, 'add', '-A');
    git(wt1, 'commit', '-q', '-m', 'search entries');

    const json = await run(main, 'review', '--since', base, '--json');
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.since).toEqual({ ref: base, commit: base });
    expect(out.added.map((entry: { sprint: string; agent: string }) => [entry.sprint, entry.agent])).toEqual([['billing', 'dev-b']]);
    expect(out.worktrees.map((w: { worktree: string; path: string }) => [w.worktree, w.path])).toEqual([
      ['wt1', '../wt1'],
      ['wt2', '../wt2'],
    ]);
    const [one, two] = out.worktrees;
    expect(one.added.map((entry: { sprint: string; status: string; uncommitted: boolean }) => [entry.sprint, entry.status, entry.uncommitted])).toEqual([
      ['search', 'IN_PROGRESS', false],
      ['search', 'COMPLETE', false],
    ]);
    expect(one.uncommitted).toEqual([]);
    expect(two.added).toEqual([]);

    const text = await run(main, 'review', '--since', base);
    expect(text.stdout).toContain(`Coordination changes since ${base} (${base.slice(0, 12)}), working tree included, in this worktree:\nEntries added: 1\n  billing: 1 IN_PROGRESS (1 uncommitted)`);
    expect(text.stdout).toContain('In worktree wt1 (../wt1), since the same commit:\nEntries added: 2\n  search: 1 COMPLETE, 1 IN_PROGRESS\n');
    expect(text.stdout).toContain('No coordination changes in worktree wt2.');

    // From wt2, "HEAD" is wt2's HEAD (the base): every other worktree is compared with that same commit.
    const fromWt2 = JSON.parse((await run(wt2, 'review', '--since', 'HEAD', '--json')).stdout);
    expect(fromWt2.added).toEqual([]);
    expect(fromWt2.worktrees.map((w: { worktree: string; added: unknown[] }) => [w.worktree, w.added.length])).toEqual([
      ['main', 1],
      ['wt1', 2],
    ]);

    const here = JSON.parse((await run(main, 'review', '--since', base, '--here', '--json')).stdout);
    expect(here.worktrees).toEqual([]);
    expect(here.added).toHaveLength(1);
  }, 120_000);
});
