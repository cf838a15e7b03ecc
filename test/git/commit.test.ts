import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitPaths } from '../../src/git/commit.js';
import { AGENT_GITIGNORE } from '../../src/templates/config.js';
import { cos, runCli } from '../helpers/cli.js';
import { git, gitdir, testdir } from '../helpers/tmp.js';

const NOW = new Date('2026-01-14T04:30:00Z');

function repo(): string {
  const dir = gitdir({ 'a.txt': 'a\n', 'b.txt': 'b\n', '.agent/.gitignore': AGENT_GITIGNORE, '.agent/status/current/.gitkeep': '' });
  return dir;
}

describe('commitPaths / cos post --commit', () => {
  it('commits only the new entry while unrelated staged and unstaged changes are present', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'a.txt'), 'a changed, not staged\n');
    writeFileSync(join(dir, 'b.txt'), 'b changed and staged\n');
    writeFileSync(join(dir, 'c.txt'), 'new and staged\n');
    writeFileSync(join(dir, 'd.txt'), 'new, untracked\n');
    git(dir, 'add', 'b.txt', 'c.txt');
    const before = git(dir, 'status', '--porcelain');

    const result = await cos(['post', '--sprint', 's1', '--agent', 'dev', '--status', 'IN_PROGRESS', '--commit', '--json'], { cwd: dir, now: NOW });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.commit).toMatch(/^[0-9a-f]{40,64}$/);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(out.commit);

    const committed = git(dir, 'show', '--name-status', '--format=', 'HEAD').trim().split('\n');
    expect(committed).toEqual([`A\t${out.entry.file}`]);
    // Everything else is exactly as it was: staged stays staged, unstaged stays unstaged.
    expect(git(dir, 'status', '--porcelain')).toBe(before);
    expect(git(dir, 'diff', '--cached', '--name-only').trim().split('\n')).toEqual(['b.txt', 'c.txt']);
    expect(git(dir, 'diff', '--name-only').trim()).toBe('a.txt');
  });

  it('commits a move (deletion + addition) and skips a deleted path git never knew', async () => {
    const dir = repo();
    mkdirSync(join(dir, 'x'), { recursive: true });
    writeFileSync(join(dir, 'x/moved.md'), 'm\n');
    git(dir, 'add', 'x/moved.md');
    git(dir, 'commit', '-q', '-m', 'add moved');
    mkdirSync(join(dir, 'y'));
    git(dir, 'mv', 'x/moved.md', 'y/moved.md');
    git(dir, 'reset', '-q'); // leave the move unstaged, as a plain rename would
    writeFileSync(join(dir, 'b.txt'), 'staged\n');
    git(dir, 'add', 'b.txt');
    const sha = await commitPaths(dir, ['x/moved.md', 'y/moved.md', 'never-there.md'], 'move');
    expect(sha).toMatch(/^[0-9a-f]{40,64}$/);
    const show = git(dir, 'show', '-M', '--name-status', '--format=', 'HEAD').trim();
    expect(show).toMatch(/^R100\tx\/moved\.md\ty\/moved\.md$/);
    expect(git(dir, 'diff', '--cached', '--name-only').trim()).toBe('b.txt');
  });

  it('works when the .agent/ root is a subfolder of the git work tree (post and archive --commit)', async () => {
    const dir = gitdir({ 'top.txt': 't\n', 'proj/.agent/.gitignore': AGENT_GITIGNORE, 'proj/.agent/status/current/.gitkeep': '' });
    const proj = join(dir, 'proj');
    writeFileSync(join(dir, 'top.txt'), 'staged at the top\n');
    git(dir, 'add', 'top.txt');
    const first = await cos(['post', '--sprint', 's', '--agent', 'dev', '--status', 'COMPLETE', '--commit', '--json'], { cwd: proj, now: NOW });
    expect(first.stderr).toBe('');
    const file = JSON.parse(first.stdout).entry.file;
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe(`proj/${file}`);
    // Verified by another agent, the sprint is finished and archives as a whole.
    const verified = await cos(['post', '--sprint', 's', '--agent', 'qa', '--status', 'VERIFIED', '--commit', '--json'], { cwd: proj, now: NOW });
    expect(verified.stderr).toBe('');
    const check = JSON.parse(verified.stdout).entry.file;
    const archived = await cos(['archive', '--commit'], { cwd: proj, now: NOW });
    expect(archived.stderr).toBe('');
    expect(archived.code).toBe(0);
    const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);
    expect(git(dir, 'show', '-M', '--name-status', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(
      [file, check].map((path) => `R100\tproj/${path}\tproj/.agent/status/archive/s/${base(path)}`).sort(),
    );
    expect(git(dir, 'diff', '--cached', '--name-only').trim()).toBe('top.txt');
  });

  it('works on a branch with no commits yet', async () => {
    const dir = testdir({ 'e.md': 'e\n', 'other.md': 'o\n' });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.name', 'cos test');
    git(dir, 'config', 'user.email', 'cos-test@example.invalid');
    git(dir, 'add', 'other.md');
    await commitPaths(dir, ['e.md'], 'first');
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('e.md');
    expect(git(dir, 'diff', '--cached', '--name-only').trim()).toBe('other.md');
  });

  it('outside a git repository: exit 5, and the entry is written all the same', async () => {
    const dir = testdir({ '.agent/status/current/.gitkeep': '' });
    const result = await cos(['post', '--sprint', 's1', '--agent', 'dev', '--status', 'IN_PROGRESS', '--commit'], { cwd: dir, now: NOW });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/not inside a git repository/);
    expect(result.stderr).toMatch(/written but not committed/);
    expect(readdirSync(join(dir, '.agent/status/current')).filter((n) => n.endsWith('.md'))).toHaveLength(1);
  });

  it('when git itself refuses (a failing pre-commit hook): exit 5, entry kept', async () => {
    const dir = repo();
    writeFileSync(join(dir, '.git/hooks/pre-commit'), '#!/bin/sh\necho "hook says no" >&2\nexit 1\n', { mode: 0o755 });
    const result = await cos(['post', '--sprint', 's1', '--agent', 'dev', '--status', 'IN_PROGRESS', '--commit'], { cwd: dir, now: NOW });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/hook says no/);
    const names = readdirSync(join(dir, '.agent/status/current')).filter((n) => n.endsWith('.md'));
    expect(names).toHaveLength(1);
    expect(existsSync(join(dir, '.agent/status/current', names[0]!))).toBe(true);
    expect(git(dir, 'log', '--format=%s').trim().split('\n')).toEqual(['fixture']);
  });

  it('concurrent cos post --commit from several processes: none fails on index.lock, each commit holds one entry', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'a.txt'), 'unstaged\n');
    const n = 6;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => runCli(['post', '--sprint', `s${i}`, '--agent', `dev${i}`, '--status', 'IN_PROGRESS', '--commit'], { cwd: dir })),
    );
    for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const subjects = git(dir, 'log', '--format=%s').trim().split('\n');
    expect(subjects).toHaveLength(n + 1);
    const shas = git(dir, 'log', '--format=%H', '-n', String(n)).trim().split('\n');
    const files = new Set<string>();
    for (const sha of shas) {
      const names = git(dir, 'show', '--name-only', '--format=', sha).trim().split('\n');
      expect(names).toHaveLength(1);
      files.add(names[0]!);
    }
    const onDisk = readdirSync(join(dir, '.agent/status/current')).filter((name) => name.endsWith('.md'));
    expect([...files].sort()).toEqual(onDisk.map((name) => `.agent/status/current/${name}`).sort());
    expect(git(dir, 'status', '--porcelain').trim()).toBe('M a.txt');
  });
});
