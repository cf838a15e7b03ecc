/**
 * Finding the repository and its worktrees from git's own files, checked against real git: what
 * `git worktree list --porcelain` says is what findRepository finds, without running git.
 */
import { mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentPaths } from '../../src/store/paths.js';
import { claimsDir, findRepository, repositoryRoots } from '../../src/store/worktrees.js';
import { git, testdir } from '../helpers/tmp.js';
import { worktreeRepo } from '../helpers/worktrees.js';

/** The worktrees git itself lists (prunable ones left out), real paths. */
function gitList(cwd: string): string[] {
  const out = git(cwd, 'worktree', 'list', '--porcelain');
  const blocks = out.trim().split('\n\n');
  return blocks
    .filter((block) => !/^prunable/m.test(block) && !/^bare$/m.test(block))
    .map((block) => realpathSync(/^worktree (.*)$/m.exec(block)![1]!));
}

describe('findRepository', () => {
  it('finds the common dir and every worktree from any of them, as git worktree list does', async () => {
    const repo = await worktreeRepo(3);
    const common = realpathSync(join(repo.main, '.git'));
    for (const dir of [repo.main, ...repo.worktrees]) {
      const found = findRepository(dir)!;
      expect(found.commonDir).toBe(common);
      expect(found.worktrees.map((w) => realpathSync(w.top))).toEqual(gitList(dir));
      expect(found.worktrees.map((w) => w.name)).toEqual(['main', 'wt1', 'wt2', 'wt3']);
      expect(found.worktrees.filter((w) => w.here).map((w) => realpathSync(w.top))).toEqual([realpathSync(dir)]);
      expect(realpathSync(found.here.root)).toBe(realpathSync(dir));
    }
  });

  it('from a sub-folder, each worktree root is the same sub-folder', async () => {
    const repo = await worktreeRepo(1);
    const sub = join(repo.worktrees[0]!, 'pkg', 'app');
    mkdirSync(sub, { recursive: true });
    const found = findRepository(sub)!;
    expect(found.worktrees.map((w) => w.root)).toEqual([join(realpathSync(repo.main), 'pkg', 'app'), sub]);
    expect(claimsDir(sub)).toBe(join(realpathSync(repo.main), '.git', 'cos', 'in-pkg-app', 'claims'));
    expect(claimsDir(repo.main)).toBe(join(realpathSync(repo.main), '.git', 'cos', 'claims'));
  });

  it('leaves out a worktree whose folder is gone or moved (git calls it prunable), and sees one added later', async () => {
    const repo = await worktreeRepo(3);
    rmSync(repo.worktrees[0]!, { recursive: true, force: true });
    renameSync(repo.worktrees[1]!, join(repo.base, 'moved'));
    expect(findRepository(repo.main)!.worktrees.map((w) => w.name)).toEqual(['main', 'wt3']);
    expect(findRepository(repo.main)!.worktrees.map((w) => realpathSync(w.top))).toEqual(gitList(repo.main));
    git(repo.main, 'worktree', 'add', '-q', join(repo.base, 'late'), '-b', 'late');
    expect(findRepository(repo.worktrees[2]!)!.worktrees.map((w) => w.name)).toEqual(['main', 'late', 'wt3']);
  });

  it('a bare repository with linked worktrees has no main worktree', async () => {
    const base = testdir();
    git(base, 'init', '-q', '--bare', '-b', 'main', 'origin.git');
    const seed = join(base, 'seed');
    git(base, 'clone', '-q', join(base, 'origin.git'), seed);
    git(seed, '-c', 'user.name=t', '-c', 'user.email=t@e.invalid', 'commit', '-q', '--allow-empty', '-m', 'first');
    git(seed, 'push', '-q', 'origin', 'HEAD:main');
    git(join(base, 'origin.git'), 'worktree', 'add', '-q', join(base, 'a'), 'main');
    git(join(base, 'origin.git'), 'worktree', 'add', '-q', join(base, 'b'), '-b', 'b');
    const found = findRepository(join(base, 'b'))!;
    expect(found.commonDir).toBe(realpathSync(join(base, 'origin.git')));
    expect(found.worktrees.map((w) => w.name)).toEqual(['a', 'b']);
    expect(found.worktrees.map((w) => realpathSync(w.top))).toEqual(gitList(join(base, 'a')));
  });

  it('outside git there is no repository: the claim space stays in .agent/status/.claims', () => {
    const dir = testdir();
    expect(findRepository(dir)).toBeNull();
    expect(agentPaths(dir).claims).toBe(join(dir, '.agent', 'status', '.claims'));
    expect(repositoryRoots(dir)).toEqual([dir]);
  });

  it('a .git file that points nowhere, or is not git\'s, is no repository', () => {
    const dir = testdir({ '.git': 'gitdir: ./missing\n' });
    expect(findRepository(dir)).toBeNull();
    writeFileSync(join(dir, '.git'), 'x'.repeat(10_000));
    expect(findRepository(dir)).toBeNull();
  });

  it('repositoryRoots lists every worktree root and the common dir', async () => {
    const repo = await worktreeRepo(2);
    const roots = repositoryRoots(repo.worktrees[1]!).map((path) => realpathSync(path));
    expect(roots).toEqual([repo.main, ...repo.worktrees, join(repo.main, '.git')].map((path) => realpathSync(path)));
  });
});
