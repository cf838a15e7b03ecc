/**
 * Every finding kind from entries on disk, through `cos scan --json` at a fixed time — and the
 * cases that must NOT fire.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { NOW, kinds, scanJson, writeEntry } from '../chief/fixture.js';

function config(root: string, yaml: string): void {
  mkdirSync(join(root, '.agent/config'), { recursive: true });
  writeFileSync(join(root, '.agent/config/coordination.yaml'), `version: 1\n${yaml}`);
}

describe('scan --json shape', () => {
  it('has version, findings with every field, entries (current and archive) and problems', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', at: 200, archive: true });
    const stale = writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', at: 100 });
    writeFileSync(join(root, '.agent/status/current/003-broken.md'), 'not an entry');
    const scan = await scanJson(root);
    expect(scan.version).toBe(1);
    expect(scan.entries).toBe(2);
    expect(scan.problems).toBe(1);
    expect(Object.keys(scan.findings[0]!).sort()).toEqual(['action', 'files', 'kind', 'message', 'severity', 'sprint']);
    expect(kinds(scan, 'stale')).toEqual([expect.objectContaining({ severity: 'WARN', sprint: 's1', files: [stale.path] })]);
  });

  it('lists findings most severe first', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 'a', agent: 'dev', status: 'IN_PROGRESS', at: 100 }); // stale WARN
    writeEntry(root, { seq: 2, sprint: 'b', agent: 'dev', status: 'BLOCKED', severity: 'BLOCKER' });
    writeEntry(root, { seq: 3, sprint: 'c', agent: 'x', status: 'IN_PROGRESS' });
    writeEntry(root, { seq: 4, sprint: 'c', agent: 'y', status: 'IN_PROGRESS' }); // conflict URGENT
    const scan = await scanJson(root);
    expect(scan.findings.map((f) => `${f.severity}:${f.kind}`)).toEqual(['BLOCKER:escalation', 'URGENT:conflict', 'WARN:stale']);
  });
});

describe('stale', () => {
  it('fires for an open agent whose heartbeat + ttl is past', async () => {
    const root = testdir();
    const e = writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', at: 45, ttl: 30 });
    const found = kinds(await scanJson(root), 'stale');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'WARN', sprint: 's1', files: [e.path] });
    expect(found[0]!.message).toContain('dev');
    expect(found[0]!.action).toContain('--force');
  });

  it('does not fire for a fresh DISPATCHED', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'DISPATCHED', at: 5, ttl: 30 });
    expect(kinds(await scanJson(root), 'stale')).toEqual([]);
  });

  it('does not fire for an agent that heartbeats', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', at: 300, beat: 10, ttl: 30 });
    expect(kinds(await scanJson(root), 'stale')).toEqual([]);
  });

  it('a heartbeat through the CLI takes a stale agent out of the list', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', at: 300, ttl: 30 });
    expect(kinds(await scanJson(root), 'stale')).toHaveLength(1);
    expect((await cos(['heartbeat', '--sprint', 's1', '--agent', 'dev', '--dir', root], { now: NOW })).code).toBe(0);
    expect(kinds(await scanJson(root), 'stale')).toEqual([]);
  });

  it('a stale agent that posts again is no longer stale', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', at: 300 });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', at: 2 });
    writeEntry(root, { seq: 3, sprint: 's2', agent: 'dev', status: 'IN_PROGRESS', at: 300 });
    writeEntry(root, { seq: 4, sprint: 's2', agent: 'dev', status: 'COMPLETE', at: 200 });
    expect(kinds(await scanJson(root), 'stale')).toEqual([]);
  });

  it('a silent BLOCKED holder goes stale too (version 2: every holder can)', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's2', agent: 'dev', status: 'BLOCKED', at: 200, ttl: 30 });
    const found = kinds(await scanJson(root), 'stale');
    expect(found).toEqual([expect.objectContaining({ sprint: 's2', severity: 'WARN' })]);
    expect(found[0]!.message).toContain('is BLOCKED but silent');
    expect(found[0]!.action).toBe('cos dispatch developer s2 --agent dev --force');
  });

  it('an entry superseded by a forced redispatch is neither stale nor a conflict', async () => {
    const root = testdir();
    const old = writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev-a', status: 'IN_PROGRESS', at: 300 });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev-b', status: 'DISPATCHED', at: 1, supersedes: old.file });
    const scan = await scanJson(root);
    expect(kinds(scan, 'stale')).toEqual([]);
    expect(kinds(scan, 'conflict')).toEqual([]);
  });
});

describe('conflict', () => {
  it('fires when two agents hold one sprint open', async () => {
    const root = testdir();
    const a = writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev-a', status: 'DISPATCHED' });
    const b = writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev-b', status: 'IN_PROGRESS' });
    const found = kinds(await scanJson(root), 'conflict');
    expect(found).toEqual([expect.objectContaining({ severity: 'URGENT', sprint: 's1', files: [a.path, b.path] })]);
  });

  it('does not fire when only one agent is open', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev-a', status: 'IN_PROGRESS', at: 20 });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev-a', status: 'COMPLETE', at: 15 });
    writeEntry(root, { seq: 3, sprint: 's1', agent: 'qa', status: 'IN_PROGRESS', at: 5 });
    expect(kinds(await scanJson(root), 'conflict')).toEqual([]);
  });
});

describe('escalation', () => {
  it('fires for an unresolved URGENT or BLOCKER entry, at its own severity', async () => {
    const root = testdir();
    const u = writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'BLOCKED', severity: 'URGENT' });
    const b = writeEntry(root, { seq: 2, sprint: 's2', agent: 'dev', status: 'IN_PROGRESS', severity: 'BLOCKER', at: 1 });
    const found = kinds(await scanJson(root), 'escalation');
    expect(found).toEqual([
      expect.objectContaining({ severity: 'BLOCKER', sprint: 's2', files: [b.path] }),
      expect.objectContaining({ severity: 'URGENT', sprint: 's1', files: [u.path] }),
    ]);
    expect(found[1]!.action).toBe(`cos resolve ${u.file}`);
  });

  it('is resolved by a later entry naming it with cos post --resolves', async () => {
    const root = testdir();
    const u = writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'BLOCKED', severity: 'URGENT', at: 30 });
    expect(kinds(await scanJson(root), 'escalation')).toHaveLength(1);
    const post = await cos(['post', '--dir', root, '--sprint', 's1', '--agent', 'lead', '--status', 'COMPLETE', '--resolves', u.file, '--message', 'decided: go ahead'], { now: NOW });
    expect(post.code).toBe(0);
    expect(kinds(await scanJson(root), 'escalation')).toEqual([]);
  });

  it('is resolved when the same agent later posts INFO/WARN IN_PROGRESS, COMPLETE or VERIFIED', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', severity: 'URGENT', at: 30 });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', severity: 'WARN', at: 20 });
    expect(kinds(await scanJson(root), 'escalation')).toEqual([]);
  });

  it('stays open after a later BLOCKED, FAILED or DISPATCHED by the same agent, or an entry by another agent that does not name it', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'BLOCKED', severity: 'URGENT', at: 50 });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev', status: 'BLOCKED', at: 40 });
    writeEntry(root, { seq: 3, sprint: 's1', agent: 'dev', status: 'FAILED', error: 'x', at: 30 });
    writeEntry(root, { seq: 4, sprint: 's1', agent: 'dev', status: 'DISPATCHED', at: 20 });
    writeEntry(root, { seq: 5, sprint: 's1', agent: 'other', status: 'COMPLETE', at: 10 });
    expect(kinds(await scanJson(root), 'escalation')).toHaveLength(1);
  });

  it('is never silently dropped: an archived, month-old escalation is still reported until resolved', async () => {
    const root = testdir();
    const old = writeEntry(root, { seq: 1, sprint: 'old', agent: 'dev', status: 'BLOCKED', severity: 'BLOCKER', at: 60 * 24 * 40, archive: true });
    const found = kinds(await scanJson(root), 'escalation');
    expect(found).toEqual([expect.objectContaining({ severity: 'BLOCKER', files: [old.path] })]);
    writeEntry(root, { seq: 2, sprint: 'old', agent: 'lead', status: 'COMPLETE', resolves: [old.file] });
    expect(kinds(await scanJson(root), 'escalation')).toEqual([]);
  });
});

describe('repeated-failure', () => {
  it('fires on the same error signature on two FAILED entries of a sprint', async () => {
    const root = testdir();
    const a = writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'FAILED', error: 'relation "export_jobs" does not exist', at: 50 });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', at: 40 });
    const b = writeEntry(root, { seq: 3, sprint: 's1', agent: 'dev-2', status: 'FAILED', error: ' relation "export_jobs"  does not exist', at: 30 });
    const found = kinds(await scanJson(root), 'repeated-failure');
    expect(found).toEqual([expect.objectContaining({ severity: 'URGENT', sprint: 's1', files: [a.path, b.path] })]);
    expect(found[0]!.message).toContain('export_jobs');
  });

  it('fires when FAILED attempts reach the attempt cap (default 3), counting the archive', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'FAILED', error: 'a', at: 50, archive: true });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev', status: 'FAILED', error: 'b', at: 40 });
    expect(kinds(await scanJson(root), 'repeated-failure')).toEqual([]);
    writeEntry(root, { seq: 3, sprint: 's1', agent: 'dev', status: 'FAILED', error: 'c', at: 30 });
    const found = kinds(await scanJson(root), 'repeated-failure');
    expect(found).toHaveLength(1);
    expect(found[0]!.files).toHaveLength(3);
    expect(found[0]!.message).toContain('attempt cap');
  });

  it('reads the cap from dispatch.attempt_cap', async () => {
    const root = testdir();
    config(root, 'dispatch:\n  attempt_cap: 2\n');
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'FAILED', error: 'a', at: 50 });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev', status: 'FAILED', error: 'b', at: 40 });
    expect(kinds(await scanJson(root), 'repeated-failure')).toHaveLength(1);
  });

  it('does not fire for different signatures under the cap, once the sprint is finished, or for failures superseded by a forced dispatch', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 'different', agent: 'dev', status: 'FAILED', error: 'a', at: 50 });
    writeEntry(root, { seq: 2, sprint: 'different', agent: 'dev', status: 'FAILED', error: 'b', at: 40 });
    writeEntry(root, { seq: 3, sprint: 'done', agent: 'dev', status: 'FAILED', error: 'a', at: 50 });
    writeEntry(root, { seq: 4, sprint: 'done', agent: 'dev', status: 'FAILED', error: 'a', at: 40 });
    writeEntry(root, { seq: 5, sprint: 'done', agent: 'dev', status: 'COMPLETE', at: 30 });
    writeEntry(root, { seq: 6, sprint: 'done', agent: 'qa', status: 'VERIFIED', at: 20 });
    const f1 = writeEntry(root, { seq: 7, sprint: 'forced', agent: 'dev', status: 'FAILED', error: 'a', at: 50 });
    const f2 = writeEntry(root, { seq: 8, sprint: 'forced', agent: 'dev', status: 'FAILED', error: 'a', at: 40 });
    writeEntry(root, { seq: 9, sprint: 'forced', agent: 'dev', status: 'DISPATCHED', at: 1, supersedes: [f1.file, f2.file] });
    expect(kinds(await scanJson(root), 'repeated-failure')).toEqual([]);
  });
});

describe('unverified', () => {
  it('fires for a COMPLETE that no other agent verified', async () => {
    const root = testdir();
    const c = writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'COMPLETE' });
    const found = kinds(await scanJson(root), 'unverified');
    expect(found).toEqual([expect.objectContaining({ severity: 'WARN', sprint: 's1', files: [c.path] })]);
    expect(found[0]!.action).toContain('cos dispatch qa-reviewer s1');
  });

  it('does not fire once another agent posted VERIFIED naming it, or a later VERIFIED on the sprint naming nothing', async () => {
    const root = testdir();
    const c1 = writeEntry(root, { seq: 1, sprint: 'named', agent: 'dev', status: 'COMPLETE', at: 20 });
    writeEntry(root, { seq: 2, sprint: 'named', agent: 'qa', status: 'VERIFIED', verifies: c1.file, at: 10 });
    writeEntry(root, { seq: 3, sprint: 'blanket', agent: 'dev', status: 'COMPLETE', at: 20 });
    writeEntry(root, { seq: 4, sprint: 'blanket', agent: 'qa', status: 'VERIFIED', at: 10 });
    expect(kinds(await scanJson(root), 'unverified')).toEqual([]);
  });

  it('a COMPLETE verified by the same agent is still unverified', async () => {
    const root = testdir();
    const c = writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'COMPLETE', at: 20 });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev', status: 'VERIFIED', verifies: c.file, at: 10 });
    writeEntry(root, { seq: 3, sprint: 's2', agent: 'dev', status: 'COMPLETE', at: 20 });
    writeEntry(root, { seq: 4, sprint: 's2', agent: 'dev', status: 'VERIFIED', at: 10 });
    const found = kinds(await scanJson(root), 'unverified');
    expect(found.map((f) => f.sprint)).toEqual(['s1', 's2']);
  });

  it('a VERIFIED naming nothing does not verify a later COMPLETE, nor one on another sprint', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'qa', status: 'VERIFIED', at: 30 });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev', status: 'COMPLETE', at: 20 });
    writeEntry(root, { seq: 3, sprint: 's2', agent: 'dev', status: 'COMPLETE', at: 20 });
    writeEntry(root, { seq: 4, sprint: 's3', agent: 'qa', status: 'VERIFIED', at: 10 });
    expect(kinds(await scanJson(root), 'unverified').map((f) => f.sprint)).toEqual(['s1', 's2']);
  });

  it("a FAILED review by another agent refutes the claim (a failure now, not an unverified claim); a FAILED before the COMPLETE does not", async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 'refuted', agent: 'dev', status: 'COMPLETE', at: 20 });
    writeEntry(root, { seq: 2, sprint: 'refuted', agent: 'qa', status: 'FAILED', error: 'broken', at: 10 });
    writeEntry(root, { seq: 3, sprint: 'earlier', agent: 'qa', status: 'FAILED', error: 'broken', at: 30 });
    writeEntry(root, { seq: 4, sprint: 'earlier', agent: 'dev', status: 'COMPLETE', at: 20 });
    expect(kinds(await scanJson(root), 'unverified').map((f) => f.sprint)).toEqual(['earlier']);
  });

  it('does not nag about long-archived sprints, but does about recently archived ones', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 'ancient', agent: 'dev', status: 'COMPLETE', at: 60 * 24 * 30, archive: true });
    writeEntry(root, { seq: 2, sprint: 'recent', agent: 'dev', status: 'COMPLETE', at: 60 * 24 * 2, archive: true });
    expect(kinds(await scanJson(root), 'unverified').map((f) => f.sprint)).toEqual(['recent']);
  });
});

describe('unsynced', () => {
  it('does not fire while Notion sync is off', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'COMPLETE' });
    expect(kinds(await scanJson(root), 'unsynced')).toEqual([]);
  });

  it('fires for COMPLETE and VERIFIED entries not mirrored yet once sync is configured', async () => {
    const root = testdir({ '.agent/config/notion-sync.yaml': 'database_id: "0123456789abcdef0123456789abcdef"\ntoken_env: NOTION_TOKEN\n' });
    const c = writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'COMPLETE', at: 20 });
    const v = writeEntry(root, { seq: 2, sprint: 's1', agent: 'qa', status: 'VERIFIED', verifies: c.file, at: 10 });
    writeEntry(root, { seq: 3, sprint: 's2', agent: 'dev', status: 'IN_PROGRESS', at: 5 });
    const found = kinds(await scanJson(root), 'unsynced');
    expect(found).toEqual([expect.objectContaining({ severity: 'INFO', sprint: 's1', files: [c.path, v.path], action: 'cos notion sync' })]);
  });
});

describe('overflow', () => {
  it('fires past archive.max_current, and says so when open entries alone exceed it', async () => {
    const root = testdir();
    config(root, 'archive:\n  max_current: 3\n');
    for (let i = 1; i <= 3; i++) writeEntry(root, { seq: i, sprint: `s${i}`, agent: 'dev', status: 'COMPLETE' });
    expect(kinds(await scanJson(root), 'overflow')).toEqual([]);
    writeEntry(root, { seq: 4, sprint: 's4', agent: 'dev', status: 'COMPLETE' });
    let found = kinds(await scanJson(root), 'overflow');
    expect(found).toEqual([expect.objectContaining({ severity: 'WARN', sprint: null })]);
    expect(found[0]!.message).not.toContain('alone exceed');
    expect(found[0]!.action).toBe('cos archive');
    for (let i = 5; i <= 8; i++) writeEntry(root, { seq: i, sprint: `open${i}`, agent: 'dev', status: 'IN_PROGRESS', at: 1 });
    found = kinds(await scanJson(root), 'overflow');
    expect(found[0]!.message).toContain('entries of holders alone exceed it');
  });
});

describe('malformed', () => {
  it('reports each file that does not parse or validate, current and archive, and never touches it', async () => {
    const root = testdir({
      '.agent/status/current/001-2026-03-01T10-00-00Z-dev.md': '---\nsprint: s1\n---\nno status\n',
      '.agent/status/archive/s1/.keep': '',
      '.agent/status/archive/s1/002-nonsense.md': 'hello',
    });
    const scan = await scanJson(root);
    expect(scan.problems).toBe(2);
    expect(kinds(scan, 'malformed').map((f) => [f.severity, f.files[0]])).toEqual([
      ['WARN', '.agent/status/archive/s1/002-nonsense.md'],
      ['WARN', '.agent/status/current/001-2026-03-01T10-00-00Z-dev.md'],
    ]);
  });

  it('does not fire for valid entries', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS' });
    expect(kinds(await scanJson(root), 'malformed')).toEqual([]);
  });
});

describe('duplicate-seq', () => {
  it('reports two entries sharing a number (as after a git merge) as INFO', async () => {
    const root = testdir();
    const a = writeEntry(root, { seq: 7, sprint: 's1', agent: 'dev-laptop', status: 'IN_PROGRESS', at: 3 });
    const b = writeEntry(root, { seq: 7, sprint: 's1', agent: 'dev-ci', status: 'COMPLETE', at: 2 });
    writeEntry(root, { seq: 8, sprint: 's1', agent: 'dev-ci', status: 'IN_PROGRESS', at: 1 });
    const found = kinds(await scanJson(root), 'duplicate-seq');
    expect(found).toEqual([expect.objectContaining({ severity: 'INFO', sprint: 's1', files: [a.path, b.path] })]);
  });

  it('does not fire for distinct numbers', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS' });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS' });
    expect(kinds(await scanJson(root), 'duplicate-seq')).toEqual([]);
  });
});

describe('over-budget', () => {
  it('never fires when budget_usd_per_sprint is not configured', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', cost: 1000 });
    expect(kinds(await scanJson(root), 'over-budget')).toEqual([]);
  });

  it('fires when the cost of a sprint adds up past the budget, until a human approves the spend with --resolves', async () => {
    const root = testdir();
    config(root, 'budget_usd_per_sprint: 10\n');
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', cost: 6, at: 40, archive: true });
    const last = writeEntry(root, { seq: 2, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', cost: 4, at: 30 });
    expect(kinds(await scanJson(root), 'over-budget')).toEqual([]);
    const over = writeEntry(root, { seq: 3, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', cost: 0.5, at: 20 });
    const found = kinds(await scanJson(root), 'over-budget');
    expect(found).toEqual([expect.objectContaining({ severity: 'URGENT', sprint: 's1' })]);
    expect(found[0]!.files).toHaveLength(3);
    expect(found[0]!.message).toContain('$10.50');
    writeEntry(root, { seq: 4, sprint: 's1', agent: 'lead', status: 'IN_PROGRESS', resolves: over.file, at: 10 });
    expect(kinds(await scanJson(root), 'over-budget')).toEqual([]);
    expect(last.file).not.toBe(over.file);
    writeEntry(root, { seq: 5, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', cost: 11, at: 5 });
    expect(kinds(await scanJson(root), 'over-budget')).toHaveLength(1);
  });
});
