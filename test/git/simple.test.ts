/**
 * simple-git as cos uses it (src/git/simple.ts): every git command of a commit prints, so none
 * waits on simple-git's fixed 50 ms silent-command delay; the environment reaches git whole.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitPaths } from '../../src/git/commit.js';
import { runSimpleGit } from '../../src/git/simple.js';
import { AGENT_GITIGNORE } from '../../src/templates/config.js';
import { git, gitdir } from '../helpers/tmp.js';

describe('simple-git, never silent', () => {
  it('each git command of a commit (new entry, and a move) prints something', async () => {
    const dir = gitdir({ 'a.txt': 'a\n', '.agent/.gitignore': AGENT_GITIGNORE });
    const runs: Array<{ args: readonly string[]; printed: boolean }> = [];
    writeFileSync(join(dir, 'entry.md'), 'e\n');
    await commitPaths(dir, ['entry.md'], 'add an entry', { onGit: (args, printed) => runs.push({ args, printed }) });
    git(dir, 'mv', 'entry.md', 'moved.md');
    git(dir, 'reset', '-q');
    await commitPaths(dir, ['entry.md', 'moved.md'], 'move it', { onGit: (args, printed) => runs.push({ args, printed }) });
    expect(runs.map((run) => run.args[0])).toEqual(['rev-parse', 'add', 'commit', 'rev-parse', 'rev-parse', 'ls-files', 'rm', 'add', 'commit', 'rev-parse']);
    expect(runs.filter((run) => !run.printed)).toEqual([]);
    expect(git(dir, 'show', '--no-renames', '--name-status', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['D\tentry.md', 'A\tmoved.md'].sort());
  });

  it('a command that prints nothing is reported as silent (the check above can fail)', async () => {
    const dir = gitdir({ 'a.txt': 'a\n' });
    const runs: boolean[] = [];
    writeFileSync(join(dir, 'b.txt'), 'b\n');
    const result = await runSimpleGit(dir, ['add', '--', 'b.txt'], { onRun: (_args, printed) => runs.push(printed) });
    expect(result.code).toBe(0);
    expect(runs).toEqual([false]);
  });

  it('runs git with safe.bareRepository=explicit, as every other git cos runs (a bare repository committed in a clone is never used)', async () => {
    const dir = gitdir({ 'a.txt': 'a\n' });
    expect(await runSimpleGit(dir, ['config', '--get', 'safe.bareRepository'])).toEqual({ code: 0, stdout: 'explicit\n', stderr: '' });
  });

  it('passes the environment through, GIT_* variables included', async () => {
    const dir = gitdir({ 'a.txt': 'a\n' });
    writeFileSync(join(dir, 'c.txt'), 'c\n');
    const env = { ...process.env, GIT_AUTHOR_NAME: 'Env Author', GIT_AUTHOR_EMAIL: 'env@example.invalid', EDITOR: 'false', PAGER: 'false' };
    await commitPaths(dir, ['c.txt'], 'from env', { env });
    expect(git(dir, 'log', '-1', '--format=%an <%ae>').trim()).toBe('Env Author <env@example.invalid>');
  });
});
