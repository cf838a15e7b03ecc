/**
 * simple-git as cos uses it (src/git/simple.ts): every git command of a commit, a review and a
 * claim on a remote prints, so none waits on simple-git's fixed 50 ms silent-command delay (a
 * silent one is reported, so these checks can fail); the environment reaches git whole.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRemote, deleteClaimRef, pushClaimRef, readClaimRefs } from '../../src/git/claim-ref.js';
import { commitPaths } from '../../src/git/commit.js';
import { reviewChanges } from '../../src/git/review.js';
import { observeSimpleGit, runSimpleGit } from '../../src/git/simple.js';
import { AGENT_GITIGNORE } from '../../src/templates/config.js';
import { git, gitdir, testdir } from '../helpers/tmp.js';

describe('simple-git, never silent', () => {
  it('each git command of a commit (new entry, and a move) prints something', async () => {
    const dir = gitdir({ 'a.txt': 'a\n', '.agent/.gitignore': AGENT_GITIGNORE });
    const runs: Array<{ args: readonly string[]; printed: boolean }> = [];
    writeFileSync(join(dir, 'entry.md'), 'e\n');
    await commitPaths(dir, ['entry.md'], 'add an entry', { onGit: (args, printed) => runs.push({ args, printed }) });
    git(dir, 'mv', 'entry.md', 'moved.md');
    git(dir, 'reset', '-q');
    await commitPaths(dir, ['entry.md', 'moved.md'], 'move it', { onGit: (args, printed) => runs.push({ args, printed }) });
    expect(runs.map((run) => run.args[0])).toEqual(['rev-parse', 'rev-parse', 'add', 'commit', 'rev-parse', 'rev-parse', 'rev-parse', 'ls-files', 'rm', 'add', 'commit', 'rev-parse']);
    expect(runs.filter((run) => !run.printed)).toEqual([]);
    expect(git(dir, 'show', '--no-renames', '--name-status', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['D\tentry.md', 'A\tmoved.md'].sort());
  });

  it('the first commit of a repository with no commit yet: HEAD is looked up by a command that prints (git’s complaint)', async () => {
    const dir = testdir({ 'entry.md': 'e\n' });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.name', 'cos test');
    git(dir, 'config', 'user.email', 'cos-test@example.invalid');
    const runs: Array<{ args: readonly string[]; printed: boolean }> = [];
    await commitPaths(dir, ['entry.md'], 'first', { onGit: (args, printed) => runs.push({ args, printed }) });
    expect(runs.map((run) => run.args.join(' '))).toContain('rev-parse --verify HEAD');
    expect(runs.filter((run) => !run.printed)).toEqual([]);
    expect(git(dir, 'log', '--format=%s').trim()).toBe('first');
  });

  it('a review prints in every git command, with no change (silent diffs), no HEAD, and a --since ref and window', async () => {
    const runs: Array<{ args: readonly string[]; printed: boolean }> = [];
    const onGit = (args: readonly string[], printed: boolean) => runs.push({ args, printed });
    const empty = testdir();
    git(empty, 'init', '-q', '-b', 'main');
    await reviewChanges(empty, { onGit });
    const dir = gitdir({ '.agent/config/coordination.yaml': 'ttl_minutes: 30\n' });
    const quiet = await reviewChanges(dir, { onGit, since: 'HEAD' });
    expect(quiet.uncommitted).toEqual([]);
    await reviewChanges(dir, { onGit, since: '7d' });
    await reviewChanges(dir, { onGit });
    await expect(reviewChanges(dir, { onGit, since: 'no-such-ref' })).rejects.toThrow(/Unknown git ref "no-such-ref"/);
    expect(new Set(runs.map((run) => run.args[0]))).toEqual(new Set(['rev-parse', 'rev-list', 'hash-object', 'diff', 'ls-files']));
    expect(runs.filter((run) => !run.printed)).toEqual([]);
  });

  it('claims on a remote print in every git command: no claim yet (an empty ls-remote), a push, a read with fetch, a release', async () => {
    const base = testdir();
    const remote = join(base, 'origin.git');
    git(base, 'init', '-q', '--bare', '-b', 'main', remote);
    const clone = gitdir({ 'a.txt': 'a\n' });
    git(clone, 'remote', 'add', 'origin', remote);
    const runs: Array<{ args: readonly string[]; printed: boolean }> = [];
    const stop = observeSimpleGit((args, printed) => runs.push({ args, printed }));
    try {
      await checkRemote(clone, 'origin');
      expect(await readClaimRefs(clone, 'origin')).toEqual([]);
      const claim = { sprint: 's1', agent: 'dev', machine: 'here', time: '2026-01-01T00:00:00Z', heartbeat: '2026-01-01T00:00:00Z', ttl_minutes: 30, entry: '001-2026-01-01T00-00-00Z-dev.md' };
      expect(await pushClaimRef(clone, 'origin', claim, null)).toBe('done');
      const [read] = await readClaimRefs(clone, 'origin', 's1');
      expect(read?.claim).toEqual(claim);
      expect(await pushClaimRef(clone, 'origin', { ...claim, agent: 'other' }, null)).toBe('rejected');
      expect(await deleteClaimRef(clone, 'origin', 's1', read!.sha)).toBe('done');
    } finally {
      stop();
    }
    expect(new Set(runs.map((run) => run.args[0]))).toEqual(new Set(['remote', 'ls-remote', 'fetch', 'cat-file', 'hash-object', 'commit-tree', 'push']));
    expect(runs.filter((run) => !run.printed)).toEqual([]);
  });

  it('silentOk: a command that prints nothing on success prints git’s trace, which is not in what it returns', async () => {
    const dir = gitdir({ 'a.txt': 'a\n' });
    const runs: boolean[] = [];
    const result = await runSimpleGit(dir, ['diff', '--name-only', 'HEAD'], { silentOk: true, onRun: (_args, printed) => runs.push(printed) });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(runs).toEqual([true]);
    const failed = await runSimpleGit(dir, ['rev-parse', '--verify', 'no-such-ref'], { silentOk: true });
    expect(failed).toEqual({ code: 128, stdout: '', stderr: 'fatal: Needed a single revision\n' });
    // A GIT_TRACE of the user's own does not reach git's complaint either.
    const traced = await runSimpleGit(dir, ['rev-parse', '--verify', 'no-such-ref'], { env: { ...process.env, GIT_TRACE: '1' } });
    expect(traced.stderr).toBe('fatal: Needed a single revision\n');
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
    // And the environment every git gets: no prompts, git's messages in the C locale.
    expect((await runSimpleGit(dir, ['var', 'GIT_EDITOR'])).stdout).toBe('true\n');
  });

  it('passes the environment through, GIT_* variables included', async () => {
    const dir = gitdir({ 'a.txt': 'a\n' });
    writeFileSync(join(dir, 'c.txt'), 'c\n');
    const env = { ...process.env, GIT_AUTHOR_NAME: 'Env Author', GIT_AUTHOR_EMAIL: 'env@example.invalid', EDITOR: 'false', PAGER: 'false' };
    await commitPaths(dir, ['c.txt'], 'from env', { env });
    expect(git(dir, 'log', '-1', '--format=%an <%ae>').trim()).toBe('Env Author <env@example.invalid>');
  });
});
