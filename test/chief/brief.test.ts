/** cos brief: highlights first, the sections, next dispatches as exact commands, --json, empty repositories. */
import { describe, expect, it } from 'vitest';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { NOW, writeEntry } from './fixture.js';

async function fullRepo(): Promise<{ root: string; files: Record<string, { file: string; path: string }> }> {
  const root = testdir();
  expect((await cos(['init', '--dir', root])).code).toBe(0);
  const files = {
    // done: completed and verified
    doneC: writeEntry(root, { seq: 1, sprint: 'done', agent: 'developer', status: 'COMPLETE', at: 300, message: 'added the results view' }),
    doneV: writeEntry(root, { seq: 2, sprint: 'done', agent: 'qa-reviewer', status: 'VERIFIED', at: 200 }),
    // claimed: completed, not verified → dispatch a qa-reviewer
    claimed: writeEntry(root, { seq: 3, sprint: 'claimed', agent: 'developer', status: 'COMPLETE', at: 100 }),
    // busy: in progress, heartbeating
    busy: writeEntry(root, { seq: 4, sprint: 'busy', agent: 'developer', status: 'IN_PROGRESS', at: 300, beat: 5, message: 'wiring the API' }),
    // silent: stale → redispatch --force
    silent: writeEntry(root, { seq: 5, sprint: 'silent', agent: 'dev-9', role: 'developer', status: 'IN_PROGRESS', at: 180 }),
    // flaky: failed once → retry
    flaky: writeEntry(root, { seq: 6, sprint: 'flaky', agent: 'developer', status: 'FAILED', error: 'tests time out', at: 60 }),
    // stuck: escalated → hold, needs a human
    stuck: writeEntry(root, { seq: 7, sprint: 'stuck', agent: 'developer', status: 'BLOCKED', severity: 'BLOCKER', at: 30, message: 'need database credentials' }),
    // old: completed 3 days ago, outside the window
    old: writeEntry(root, { seq: 8, sprint: 'old', agent: 'developer', status: 'COMPLETE', at: 60 * 72 }),
    oldV: writeEntry(root, { seq: 9, sprint: 'old', agent: 'qa-reviewer', status: 'VERIFIED', at: 60 * 71 }),
  };
  return { root, files };
}

describe('cos brief (markdown)', () => {
  it('puts highlights first, then the sections, with exact dispatch commands', async () => {
    const { root, files } = await fullRepo();
    const { code, stdout } = await cos(['brief', '--dir', root], { now: NOW });
    expect(code).toBe(0);
    const order = ['## Highlights', '## Completed and verified (last 24h)', '## In progress', '## Blocked and failed', '## Unverified claims', '## What to dispatch next'];
    const at = order.map((heading) => stdout.indexOf(heading));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const highlights = stdout.slice(at[0], at[1]);
    expect(highlights).toContain('**BLOCKER** escalation · `stuck` **needs a human**');
    expect(highlights).toContain('stale · `silent`');
    expect(stdout).toContain('developer COMPLETE, verified (');
    expect(stdout).toContain('added the results view');
    expect(stdout).not.toContain('`old`: developer COMPLETE');
    expect(stdout).toContain('`busy`: developer IN_PROGRESS, heartbeat 5m ago (ttl 30m): wiring the API');
    expect(stdout).toContain('`silent`: dev-9 IN_PROGRESS, heartbeat 3h ago (ttl 30m), **stale**');
    expect(stdout).toContain('`flaky`: developer FAILED 1h ago, error `tests time out` (attempt 1 of 3)');
    expect(stdout).toContain(`\`claimed\`: developer COMPLETE in \`${files.claimed.file}\``);
    const next = stdout.slice(at[5]);
    expect(next).toContain('`cos dispatch qa-reviewer claimed`');
    expect(next).toContain('`cos dispatch developer flaky`');
    expect(next).toContain('`cos dispatch developer silent --agent dev-9 --force`');
    expect(next).toContain('`stuck`: do not dispatch: needs a human');
    expect(next).not.toContain('busy');
  });

  it('says plainly when there is nothing to dispatch', async () => {
    const root = testdir();
    expect((await cos(['init', '--dir', root])).code).toBe(0);
    writeEntry(root, { seq: 1, sprint: 'done', agent: 'developer', status: 'COMPLETE', at: 30 });
    writeEntry(root, { seq: 2, sprint: 'done', agent: 'qa-reviewer', status: 'VERIFIED', at: 20 });
    writeEntry(root, { seq: 3, sprint: 'busy', agent: 'developer', status: 'IN_PROGRESS', at: 10, beat: 5 });
    const { stdout } = await cos(['brief', '--dir', root], { now: NOW });
    expect(stdout.slice(stdout.indexOf('## What to dispatch next'))).toContain('- nothing: every sprint has a live agent on it or is done and verified\n');
  });

  it('--since widens the window', async () => {
    const { root } = await fullRepo();
    const { stdout } = await cos(['brief', '--since', '7d', '--dir', root], { now: NOW });
    expect(stdout).toContain('## Completed and verified (last 7d)');
    expect(stdout).toContain('`old`: developer COMPLETE, verified');
    const iso = await cos(['brief', '--since', '2026-02-25T00:00:00Z', '--dir', root], { now: NOW });
    expect(iso.stdout).toContain('`old`: developer COMPLETE');
    const bad = await cos(['brief', '--since', 'yesterday', '--dir', root], { now: NOW });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"yesterday"');
  });

  it('a --since longer than all of time means everything, and never crashes', async () => {
    const { root } = await fullRepo();
    for (const since of ['99999999d', '999999999999999d']) {
      const result = await cos(['brief', '--since', since, '--json', '--dir', root], { now: NOW });
      expect(result.stderr, since).toBe('');
      expect(result.code).toBe(0);
      const out = JSON.parse(result.stdout) as { since: string; completed: Array<{ sprint: string }> };
      expect(out.since).toBe('1970-01-01T00:00:00Z');
      expect(out.completed.map((c) => c.sprint)).toContain('old');
    }
  });

  it('reads well on an empty repository and on one without .agent/', async () => {
    const root = testdir();
    const bare = await cos(['brief', '--dir', root], { now: NOW });
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('cos init');
    await cos(['init', '--dir', root]);
    const empty = await cos(['brief', '--dir', root], { now: NOW });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('No status entries yet');
    expect(empty.stdout).toContain('cos dispatch developer <sprint>');
  });

  it('says plainly when nothing needs attention', async () => {
    const root = testdir();
    await cos(['init', '--dir', root]);
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'developer', status: 'IN_PROGRESS', at: 5 });
    const { stdout } = await cos(['brief', '--dir', root], { now: NOW });
    expect(stdout).toContain('Nothing needs attention');
    expect(stdout).toContain('nothing needs a human');
  });
});

describe('a refuted claim', () => {
  it('a reviewer’s FAILED --verifies after a COMPLETE: no unverified claim, a retry by a developer, and the developer is not asked to verify itself', async () => {
    const root = testdir();
    await cos(['init', '--dir', root]);
    const c = writeEntry(root, { seq: 1, sprint: 's1', agent: 'developer', status: 'COMPLETE', at: 30 });
    const f = writeEntry(root, { seq: 2, sprint: 's1', agent: 'qa-reviewer', status: 'FAILED', error: 'results.spec fails', verifies: c.file, at: 20 });
    const brief = JSON.parse((await cos(['brief', '--json', '--dir', root], { now: NOW })).stdout);
    expect(brief.unverified).toEqual([]);
    expect(brief.completed).toEqual([expect.objectContaining({ file: c.path, verified_by: null, refuted_by: f.path })]);
    expect(brief.next).toEqual([expect.objectContaining({ action: 'retry', command: 'cos dispatch developer s1' })]);
    const md = (await cos(['brief', '--dir', root], { now: NOW })).stdout;
    expect(md).toContain('developer COMPLETE, **failed review**');
    const prompt = (await cos(['dispatch', 'developer', 's1', '--dir', root], { now: NOW })).stdout;
    expect(prompt).not.toContain('Claims waiting for verification');
    expect(prompt).not.toContain('--status VERIFIED');
    expect(prompt).toContain('results.spec fails');
  });
});

describe('cos brief --json', () => {
  it('has the documented shape', async () => {
    const { root, files } = await fullRepo();
    const { code, stdout } = await cos(['brief', '--json', '--dir', root], { now: NOW });
    expect(code).toBe(0);
    const brief = JSON.parse(stdout);
    expect(Object.keys(brief)).toEqual(['version', 'generated', 'worktree', 'since', 'initialised', 'counts', 'highlights', 'completed', 'in_progress', 'blocked', 'unverified', 'next', 'waiting', 'leases']);
    expect(brief.version).toBe(1);
    expect(brief.generated).toBe('2026-03-01T12:00:00Z');
    // One checkout, no linked worktrees: the briefing names none.
    expect(brief.worktree).toBeNull();
    expect(brief.since).toBe('2026-02-28T12:00:00Z');
    expect(brief.counts).toMatchObject({ entries: 9, problems: 0, completed: 2, verified: 1, in_progress: 2, stale: 1, blocked: 1, failed: 1, unverified: 1 });
    expect(brief.highlights[0]).toMatchObject({ kind: 'escalation', severity: 'BLOCKER', sprint: 'stuck', needs_human: true, files: [files.stuck.path] });
    expect(brief.highlights.find((h: { kind: string }) => h.kind === 'stale')).toMatchObject({ needs_human: false });
    expect(brief.completed).toContainEqual(expect.objectContaining({ sprint: 'done', status: 'COMPLETE', verified_by: files.doneV.path }));
    expect(brief.completed).toContainEqual(expect.objectContaining({ sprint: 'claimed', status: 'COMPLETE', verified_by: null }));
    expect(brief.in_progress).toContainEqual(expect.objectContaining({ sprint: 'busy', heartbeat_age_seconds: 300, stale: false, ttl_minutes: 30 }));
    expect(brief.blocked).toContainEqual(expect.objectContaining({ sprint: 'flaky', status: 'FAILED', error: 'tests time out', attempts: 1, attempt_cap: 3 }));
    expect(brief.unverified).toEqual([expect.objectContaining({ sprint: 'claimed', file: files.claimed.path })]);
    expect(brief.next.map((step: { action: string; sprint: string; command: string | null }) => [step.action, step.sprint, step.command])).toEqual(
      expect.arrayContaining([
        ['verify', 'claimed', 'cos dispatch qa-reviewer claimed'],
        ['retry', 'flaky', 'cos dispatch developer flaky'],
        ['redispatch', 'silent', 'cos dispatch developer silent --agent dev-9 --force'],
        ['hold', 'stuck', null],
      ]),
    );
  });

  it('every suggested command is accepted by cos dispatch', async () => {
    const { root } = await fullRepo();
    const brief = JSON.parse((await cos(['brief', '--json', '--dir', root], { now: NOW })).stdout);
    const commands = brief.next.map((step: { command: string | null }) => step.command).filter(Boolean) as string[];
    expect(commands.length).toBe(3);
    for (const command of commands) {
      const result = await cos([...command.split(' ').slice(1), '--dir', root], { now: NOW });
      expect(result.code, `${command}: ${result.stderr}`).toBe(0);
    }
  });
});
