/** Machines sharing a git remote: a bare repository stands in for the remote, clones for the machines. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { cos } from './cli.js';
import { git, testdir } from './tmp.js';

export interface Team {
  remote: string;
  clones: string[];
}

/** A bare remote holding `cos init` on main, and `count` clones of it, each with a git identity of its own. */
export async function team(count: number): Promise<Team> {
  const base = testdir();
  const remote = join(base, 'origin.git');
  git(base, 'init', '-q', '--bare', '-b', 'main', remote);
  const seed = join(base, 'seed');
  git(base, 'init', '-q', '-b', 'main', seed);
  expect((await cos(['init', '--dir', seed])).code).toBe(0);
  git(seed, 'add', '-A');
  git(seed, '-c', 'user.name=t', '-c', 'user.email=t@e.invalid', 'commit', '-q', '-m', 'cos init');
  git(seed, 'push', '-q', remote, 'HEAD:main');
  const clones: string[] = [];
  for (let i = 0; i < count; i++) {
    const clone = join(base, `m${i}`);
    git(base, 'clone', '-q', remote, clone);
    git(clone, 'config', 'user.name', `machine ${i}`);
    git(clone, 'config', 'user.email', `m${i}@e.invalid`);
    clones.push(clone);
  }
  return { remote, clones };
}
