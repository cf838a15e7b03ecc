/**
 * The receipt a forced `cos dispatch` prints on stderr names the entries it superseded — exactly
 * the written entry's `supersedes`, each once. One entry can stand in the way for several reasons
 * at once (a BLOCKED holder with severity BLOCKER is both occupied and an open escalation; a FAILED
 * URGENT is an escalation and a repeated failure), and the receipt once listed it per reason; a
 * live claim forced over on a git remote named an entry the receipt left out. Scenario tests run
 * the built CLI in real repositories (worktrees, a bare remote); the property forces dispatches
 * over random sprint histories written to disk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { claimSprint } from '../../src/dispatch/claim.js';
import { loadRole } from '../../src/dispatch/role.js';
import { dispatchReceipt } from '../../src/output/dispatch.js';
import { parseEntry } from '../../src/protocol/entry.js';
import { fileList, type Severity, type Status } from '../../src/protocol/fields.js';
import { readStore } from '../../src/store/read.js';
import { team } from '../helpers/remote-team.js';
import { NOW, writeEntry, type EntrySpec } from '../chief/fixture.js';
import { cos, runCli } from '../helpers/cli.js';
import { git, testdir } from '../helpers/tmp.js';
import { worktreeRepo } from '../helpers/worktrees.js';

/** The file names after "; superseded " in a receipt (none when it names none). */
function named(receipt: string): string[] {
  const match = /; superseded (.*)\n$/.exec(receipt);
  return match ? match[1]!.split(', ') : [];
}

async function project(): Promise<string> {
  const root = testdir();
  expect((await cos(['init', '--dir', root])).code).toBe(0);
  return root;
}

/** `cos dispatch ... --force` through the built CLI, then the same with --json: the receipt, and the entry's supersedes. */
async function forced(cwd: string, sprint: string, agent: string, extra: string[] = []): Promise<{ receipt: string; supersedes: string[]; path: string }> {
  const result = await runCli(['dispatch', 'developer', sprint, '--agent', agent, '--force', ...extra], { cwd });
  expect(result.code, result.stderr).toBe(0);
  const path = /dispatched to [^:]+: (\S+?)(;|\n)/.exec(result.stderr)![1]!;
  const parsed = parseEntry(readFileSync(join(cwd, path), 'utf8'), { path, file: path.split('/').pop()!, location: 'current' });
  if (!parsed.ok) throw new Error(`${path} does not parse: ${parsed.reason}`);
  return { receipt: result.stderr, supersedes: [...fileList(parsed.entry.supersedes)], path };
}

describe('the receipt of a forced dispatch', () => {
  it('a BLOCKED holder with severity BLOCKER (occupied and an escalation): named once', async () => {
    const root = await project();
    const blocked = writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev1', status: 'BLOCKED', severity: 'BLOCKER', at: 5 });
    const { receipt, supersedes, path } = await forced(root, 's1', 'dev2');
    expect(receipt).toBe(`cos dispatch: dev2 (developer) dispatched to s1: ${path}; superseded ${blocked.file}\n`);
    expect(supersedes).toEqual([blocked.file]);
  }, 60_000);

  it('a holder and two FAILED URGENT with one error (escalations and a repeated failure): each named once, as supersedes records them', async () => {
    const root = await project();
    const f1 = writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev1', status: 'FAILED', severity: 'URGENT', error: 'tests-red', at: 30 });
    const f2 = writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev2', status: 'FAILED', severity: 'URGENT', error: 'tests-red', at: 20 });
    const holder = writeEntry(root, { seq: 3, sprint: 's1', agent: 'dev3', status: 'IN_PROGRESS', at: 1 });
    const { receipt, supersedes } = await forced(root, 's1', 'dev4');
    expect(named(receipt)).toEqual(supersedes);
    expect(new Set(named(receipt))).toEqual(new Set([f1.file, f2.file, holder.file]));
    expect(named(receipt)).toHaveLength(3);
  }, 60_000);

  it('an agent holding the sprint from two worktrees, and an entry merged into both: each file named once', async () => {
    const repo = await worktreeRepo(1);
    const [wt1] = repo.worktrees as [string];
    // dev1 started in the main worktree (committed, then merged into wt1: the same file in both) and escalated from wt1.
    expect((await runCli(['post', '--sprint', 's1', '--agent', 'dev1', '--status', 'IN_PROGRESS', '--commit'], { cwd: repo.main })).code).toBe(0);
    git(wt1, 'merge', '-q', '--ff-only', 'main');
    const escalated = await runCli(['post', '--sprint', 's1', '--agent', 'dev1', '--status', 'BLOCKED', '--severity', 'URGENT'], { cwd: wt1 });
    expect(escalated.code).toBe(0);
    const blockedFile = escalated.stdout.trim().split('/').pop()!;
    const { receipt, supersedes } = await forced(repo.main, 's1', 'dev2');
    expect(named(receipt)).toEqual([blockedFile]);
    expect(supersedes).toEqual([blockedFile]);
  }, 90_000);

  it('a live claim forced over on the git remote: its entry (not in this clone) is named, as supersedes records it', async () => {
    const [a, b] = (await team(2)).clones as [string, string];
    const first = await runCli(['dispatch', 'developer', 's1', '--agent', 'dev-a', '--remote', 'origin', '--json'], { cwd: a });
    expect(first.code, first.stderr).toBe(0);
    const held = JSON.parse(first.stdout).entry.name as string;
    const { receipt, supersedes } = await forced(b, 's1', 'dev-b', ['--remote', 'origin']);
    expect(supersedes).toEqual([held]);
    expect(named(receipt)).toEqual([held]);
  }, 90_000);

  it('a dispatch that supersedes nothing says nothing of it', async () => {
    const root = await project();
    const { receipt, supersedes } = await forced(root, 's1', 'dev1');
    expect(supersedes).toEqual([]);
    expect(receipt).not.toContain('superseded');
  }, 60_000);

  it('property: over any sprint history, the receipt names each file at most once, exactly the entry\'s supersedes, and every blocking entry', async () => {
    const STATUSES: Status[] = ['DISPATCHED', 'IN_PROGRESS', 'BLOCKED', 'FAILED', 'COMPLETE', 'NOTE'];
    const SEVERITIES: Severity[] = ['INFO', 'WARN', 'URGENT', 'BLOCKER'];
    const step = fc.record({
      agent: fc.constantFrom('dev1', 'dev2', 'dev3'),
      status: fc.constantFrom(...STATUSES),
      severity: fc.constantFrom(...SEVERITIES),
      error: fc.constantFrom('same-error', 'other-error'),
      archive: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 0, maxLength: 7 }), async (steps) => {
        const root = await project();
        const specs: EntrySpec[] = steps.map((s, i) => ({
          seq: i + 1,
          sprint: 's1',
          agent: s.agent,
          status: s.status,
          severity: s.severity,
          at: 60 - i * 5,
          ...(s.status === 'FAILED' ? { error: s.error } : {}),
          // An archived copy only of a settled entry, as cos archive would leave it.
          ...(s.archive && ['FAILED', 'COMPLETE', 'NOTE'].includes(s.status) ? { archive: true } : {}),
        }));
        for (const spec of specs) writeEntry(root, spec);
        const { config } = loadConfig(root);
        const result = await claimSprint(root, config, { role: loadRole(root, 'developer'), sprint: 's1', agent: 'newcomer', force: true, now: NOW });
        const receipt = dispatchReceipt(result);
        const names = named(receipt);
        expect(new Set(names).size).toBe(names.length);
        expect(names).toEqual([...fileList(result.entry.supersedes)]);
        expect(new Set(names)).toEqual(new Set(result.superseded.flatMap((blocker) => blocker.entries.map((entry) => entry.file))));
        const stored = new Set(readStore(root).entries.map((entry) => entry.file));
        for (const name of names) expect(stored.has(name)).toBe(true);
      }),
      { numRuns: 40 },
    );
  }, 240_000);
});
