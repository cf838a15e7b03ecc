/** Temp-dir fixtures that clean themselves up after each test. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(() => {
  while (made.length > 0) rmSync(made.pop()!, { recursive: true, force: true });
});

/** A fresh temp directory holding `files` (path → content). */
export function testdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cos-test-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Run git with a fixed identity, independent of the machine's config. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'cos test',
      GIT_AUTHOR_EMAIL: 'cos-test@example.invalid',
      GIT_COMMITTER_NAME: 'cos test',
      GIT_COMMITTER_EMAIL: 'cos-test@example.invalid',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  });
}

/** A temp git repository on branch main with identity set, holding `files` committed. */
export function gitdir(files: Record<string, string> = {}): string {
  const dir = testdir(files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'cos test');
  git(dir, 'config', 'user.email', 'cos-test@example.invalid');
  git(dir, 'config', 'commit.gpgsign', 'false');
  if (Object.keys(files).length > 0) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'fixture');
  }
  return dir;
}
