/**
 * `cos watch` watches every worktree of the repository and notices worktrees added and removed
 * while it runs (real git, the built CLI as a real process, long reconcile interval so that only
 * file events can explain what it sees).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/tmp.js';
import { worktreeRepo } from '../helpers/worktrees.js';
import { startWatcher, type Line } from './watcher.js';

const isFinding = (kind: string, sprint: string) => (l: Line) => l.event === 'finding' && l.finding.kind === kind && l.finding.sprint === sprint;

describe('cos watch across worktrees', () => {
  it('reports an URGENT posted in a worktree added after it started, and one lock for the whole repository', { timeout: 180_000 }, async () => {
    const repo = await worktreeRepo(0);
    writeFileSync(join(repo.main, '.agent/config/coordination.yaml'), 'version: 1\nwatch:\n  reconcile_seconds: 3600\n');
    git(repo.main, 'commit', '-q', '-am', 'long reconcile');
    const watcher = startWatcher(repo.main);
    await watcher.waitFor((l) => l.event === 'watching', 'the watching event');

    // A worktree added while the watcher runs, and an escalation posted there.
    const added = join(repo.base, 'late');
    git(repo.main, 'worktree', 'add', '-q', added, '-b', 'late');
    const post = await runCli(['post', '--sprint', 'pay', '--agent', 'dev', '--status', 'BLOCKED', '--severity', 'URGENT', '--message', 'need a key'], { cwd: added });
    expect(post.stderr).toBe('');
    const line = await watcher.waitFor(isFinding('escalation', 'pay'), 'the escalation from the new worktree', 60_000);
    expect(line.finding.severity).toBe('URGENT');
    expect(line.finding.files).toEqual([`../late/${post.stdout.trim()}`]);

    // A second watcher, from the other worktree, is refused: one chief of staff per repository.
    const second = await runCli(['watch', '--json'], { cwd: added });
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/another cos watch is already running/);

    // An entry in main and one in the new worktree make a conflict across them.
    const other = await runCli(['post', '--sprint', 'api', '--agent', 'a', '--status', 'IN_PROGRESS'], { cwd: repo.main });
    const mine = await runCli(['post', '--sprint', 'api', '--agent', 'b', '--status', 'IN_PROGRESS'], { cwd: added });
    expect([other.code, mine.code]).toEqual([0, 0]);
    await watcher.waitFor(isFinding('conflict', 'api'), 'the conflict across worktrees', 60_000);

    // Removing the worktree takes its entries away: the conflict and the escalation are resolved.
    git(repo.main, 'worktree', 'remove', '--force', added);
    await watcher.waitFor((l) => l.event === 'resolved' && l.finding.kind === 'conflict' && l.finding.sprint === 'api', 'the conflict resolved', 60_000);
    await watcher.waitFor((l) => l.event === 'resolved' && l.finding.kind === 'escalation' && l.finding.sprint === 'pay', 'the escalation resolved', 60_000);
    watcher.child.kill('SIGTERM');
    expect(await watcher.exited).toEqual({ code: 0, signal: null });
    expect(watcher.stderr()).toBe('');
  });
});
