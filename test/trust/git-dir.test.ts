/**
 * The repository's git directory is not its content: an MCP client's body_file cannot read
 * .git/config (a token in a remote URL, CI's auth header) into an entry; and a sprint named like
 * one of cos's local folders (`state`) keeps its archive versioned (QA of issue 12).
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readRepositoryBodyFile } from '../../src/trust/body-file.js';
import { cos } from '../helpers/cli.js';
import { git, gitdir } from '../helpers/tmp.js';

describe('the git directory', () => {
  it('MCP body_file inside .git is refused in one sentence, however it is spelled; a work-tree file is read', () => {
    const root = gitdir({ 'notes/ok.md': 'fine\n' });
    git(root, 'remote', 'add', 'origin', 'https://user:SECRET-TOKEN@example.invalid/x/y.git');
    mkdirSync(join(root, 'notes/deep'), { recursive: true });
    symlinkSync(join(root, '.git/config'), join(root, 'notes/config-link'));
    let plain = '';
    try {
      readRepositoryBodyFile(root, '.git/config');
    } catch (error) {
      plain = (error as Error).message;
    }
    expect(plain).toBe('Invalid body_file ".git/config": it is inside the git directory (.git), which may hold credentials; give a file of the repository\'s work tree.');
    for (const value of ['.git/config', './.git/config', '.git/./config', 'notes/config-link', '.git/HEAD']) {
      let message = '';
      try {
        readRepositoryBodyFile(root, value);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, value).toMatch(/^Invalid body_file ".*": .*\.$/);
      expect(message).not.toContain('SECRET-TOKEN');
    }
    expect(readRepositoryBodyFile(root, 'notes/ok.md')).toBe('fine\n');
  });

  it('a sprint named state is archived and versioned like any other (the .agent/.gitignore line is anchored)', { timeout: 60_000 }, async () => {
    const root = gitdir({ 'a.txt': 'a\n' });
    expect((await cos(['init', '--dir', root])).code).toBe(0);
    const ignored = (path: string) => spawnSync('git', ['check-ignore', '-q', path], { cwd: root }).status === 0;
    mkdirSync(join(root, '.agent/state'), { recursive: true });
    writeFileSync(join(root, '.agent/state/x.json'), '{}\n');
    expect(ignored('.agent/state/x.json')).toBe(true);
    expect(ignored('.agent/status/archive/state/001-2026-01-01T00-00-00Z-a.md')).toBe(false);
    expect(ignored('.agent/status/current/state/x.md')).toBe(false);
  });
});
