/** A real git repository with linked worktrees, `cos init` committed on main, for worktree tests. */
import { join } from 'node:path';
import { cos } from './cli.js';
import { git, testdir } from './tmp.js';

export interface WorktreeRepo {
  /** The main worktree (branch main). */
  main: string;
  /** Linked worktrees `wt1`, `wt2`, ... (branches of the same names), beside the main one. */
  worktrees: string[];
  /** The folder holding them all. */
  base: string;
}

/** `count` linked worktrees of a fresh repository whose main branch has `.agent/` committed. */
export async function worktreeRepo(count: number): Promise<WorktreeRepo> {
  const base = testdir();
  const main = join(base, 'main');
  git(base, 'init', '-q', '-b', 'main', main);
  git(main, 'config', 'user.name', 'cos test');
  git(main, 'config', 'user.email', 'cos-test@example.invalid');
  git(main, 'config', 'commit.gpgsign', 'false');
  const init = await cos(['init', '--dir', main]);
  if (init.code !== 0) throw new Error(`cos init failed: ${init.stderr}`);
  git(main, 'add', '-A');
  git(main, 'commit', '-q', '-m', 'cos init');
  const worktrees: string[] = [];
  for (let i = 1; i <= count; i++) {
    const path = join(base, `wt${i}`);
    git(main, 'worktree', 'add', '-q', path, '-b', `wt${i}`);
    worktrees.push(path);
  }
  return { main, worktrees, base };
}
