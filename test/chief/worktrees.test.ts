/**
 * One view across the worktrees of a repository (PRODUCT.md, "One view across worktrees and
 * machines"): real git worktrees, the real CLI in-process, real files.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStore } from '../../src/store/read.js';
import { cos } from '../helpers/cli.js';
import { git } from '../helpers/tmp.js';
import { worktreeRepo } from '../helpers/worktrees.js';

const at = (iso: string) => new Date(iso);

interface ScanJson {
  findings: Array<{ kind: string; severity: string; sprint: string | null; files: string[] }>;
  entries: number;
}

async function scanJson(cwd: string, now?: Date): Promise<ScanJson> {
  const result = await cos(['scan', '--json', '--fail-on', 'never'], { cwd, ...(now ? { now } : {}) });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as ScanJson;
}

/** A finding without where its files are (paths differ between worktrees; names do not). */
function shape(findings: ScanJson['findings']): string[] {
  return findings.map((f) => `${f.kind} ${f.severity} ${f.sprint} ${f.files.map((file) => file.split('/').pop()).sort().join(',')}`).sort();
}

describe('the issue\'s repro: two worktrees, one sprint', () => {
  it('scan from either worktree reports the conflict; numbers differ; dispatch from the other is exit 3 naming holder and worktree', async () => {
    const repo = await worktreeRepo(1);
    const [wt1] = repo.worktrees as [string];
    const a = await cos(['post', '--sprint', 's1', '--agent', 'dev-a', '--status', 'IN_PROGRESS'], { cwd: wt1 });
    const b = await cos(['post', '--sprint', 's1', '--agent', 'dev-b', '--status', 'IN_PROGRESS'], { cwd: repo.main });
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toMatch(/^\.agent\/status\/current\/001-.*-dev-a\.md\n$/);
    expect(b.stdout).toMatch(/^\.agent\/status\/current\/002-.*-dev-b\.md\n$/);

    for (const cwd of [repo.main, wt1]) {
      const text = await cos(['scan'], { cwd });
      expect(text.code).toBe(2);
      expect(text.stdout).toMatch(/conflict s1: 2 agents hold s1/);
      const json = await scanJson(cwd);
      expect(json.entries).toBe(2);
      expect(json.findings.map((f) => f.kind)).toEqual(['conflict']);
    }
    // Paths of the other worktree's entries are relative to where cos runs, and name its folder.
    const fromMain = await scanJson(repo.main);
    expect(fromMain.findings[0]!.files.sort()).toEqual([expect.stringMatching(/^\.\.\/wt1\/\.agent\/status\/current\/001-/), expect.stringMatching(/^\.agent\/status\/current\/002-/)]);

    const refused = await cos(['dispatch', 'developer', 's1', '--agent', 'dev-c'], { cwd: wt1 });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/dev-b is IN_PROGRESS in worktree main \(\.\.\/main\/\.agent\/status\/current\/002-[^)]*-dev-b\.md\)/);
    expect(refused.stderr).toMatch(/dev-a is IN_PROGRESS in worktree wt1 \(\.agent\/status\/current\/001-/);
    const refusedMain = await cos(['dispatch', 'developer', 's1', '--agent', 'dev-c'], { cwd: repo.main });
    expect(refusedMain.code).toBe(3);
    expect(refusedMain.stderr).toContain('in worktree wt1');

    // status names each agent's worktree, in text and JSON.
    const status = await cos(['status', '--json'], { cwd: repo.main });
    const agents = JSON.parse(status.stdout).sprints[0].agents as Array<{ agent: string; worktree: string }>;
    expect(agents.map((x) => `${x.agent}@${x.worktree}`).sort()).toEqual(['dev-a@wt1', 'dev-b@main']);
    expect((await cos(['status'], { cwd: wt1 })).stdout).toMatch(/dev-a@wt1:IN_PROGRESS dev-b@main:IN_PROGRESS|dev-b@main:IN_PROGRESS dev-a@wt1:IN_PROGRESS/);
    // Nothing was written outside the worktree cos ran in.
    expect(readdirSync(join(wt1, '.agent/status/current')).filter((n) => n.endsWith('.md'))).toEqual([a.stdout.trim().split('/').pop()]);
  });

  it('a single checkout names no worktree', async () => {
    const repo = await worktreeRepo(0);
    await cos(['post', '--sprint', 's1', '--agent', 'dev-a', '--status', 'IN_PROGRESS'], { cwd: repo.main });
    const status = JSON.parse((await cos(['status', '--json'], { cwd: repo.main })).stdout);
    expect(status.sprints[0].agents[0]).not.toHaveProperty('worktree');
    expect(readStore(repo.main).entries[0]).not.toHaveProperty('worktree');
  });
});

describe('writes stay in their worktree', () => {
  it('heartbeat refreshes only local entries and says where the open one is', async () => {
    const repo = await worktreeRepo(1);
    const [wt1] = repo.worktrees as [string];
    const now = at('2026-03-01T10:00:00Z');
    expect((await cos(['post', '--sprint', 's1', '--agent', 'dev-a', '--status', 'IN_PROGRESS'], { cwd: wt1, now })).code).toBe(0);
    const elsewhere = await cos(['heartbeat', '--sprint', 's1', '--agent', 'dev-a'], { cwd: repo.main, now: at('2026-03-01T10:05:00Z') });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/latest entry on sprint "s1" is 001-.*-dev-a\.md in worktree wt1 \(\.\.\/wt1\/\.agent\/status\/current\/001-.*\), not in this one: heartbeat from there \(cos heartbeat --dir \.\.\/wt1 /);
    const here = await cos(['heartbeat', '--sprint', 's1', '--agent', 'dev-a'], { cwd: wt1, now: at('2026-03-01T10:05:00Z') });
    expect(here.code).toBe(0);
    expect(readStore(repo.main).entries[0]!.heartbeat).toBe('2026-03-01T10:05:00Z');
    // Dispatched on main, working in wt1: main's older DISPATCHED entry is not refreshed behind its back.
    expect((await cos(['dispatch', 'developer', 's2', '--agent', 'dev-b'], { cwd: repo.main, now })).code).toBe(0);
    expect((await cos(['post', '--sprint', 's2', '--agent', 'dev-b', '--status', 'IN_PROGRESS'], { cwd: wt1, now: at('2026-03-01T10:01:00Z') })).code).toBe(0);
    const stale = await cos(['heartbeat', '--sprint', 's2', '--agent', 'dev-b'], { cwd: repo.main, now: at('2026-03-01T10:06:00Z') });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('in worktree wt1');
    expect((await cos(['heartbeat', '--sprint', 's2', '--agent', 'dev-b'], { cwd: wt1, now: at('2026-03-01T10:06:00Z') })).code).toBe(0);
  });

  it('a worktree nested in the main one (.claude/worktrees/<name>) without .agent/ yet gets its own entries, not the main worktree\'s', async () => {
    const repo = await worktreeRepo(0);
    // A branch without .agent/ (as one from before cos init), checked out inside the main worktree.
    const nested = join(repo.main, '.claude', 'worktrees', 'bg');
    git(repo.main, 'worktree', 'add', '-q', nested, '-b', 'bg');
    git(nested, 'rm', '-r', '-q', '.agent');
    git(nested, 'commit', '-q', '-m', 'no .agent on this branch');
    expect(existsSync(join(nested, '.agent'))).toBe(false);
    const posted = await cos(['post', '--sprint', 's1', '--agent', 'dev-bg', '--status', 'IN_PROGRESS'], { cwd: nested });
    expect(posted.stderr).toBe('');
    const name = posted.stdout.trim().split('/').pop()!;
    expect(existsSync(join(nested, '.agent/status/current', name))).toBe(true);
    expect(readdirSync(join(repo.main, '.agent/status/current')).filter((n) => n.endsWith('.md'))).toEqual([]);
    // Seen from the main worktree, named by its worktree.
    expect(readStore(repo.main).entries.map((e) => [e.file, e.worktree])).toEqual([[name, 'bg']]);
  });

  it('a NOTE-like entry refers to another worktree\'s entry by name: verify a COMPLETE made elsewhere', async () => {
    const repo = await worktreeRepo(1);
    const [wt1] = repo.worktrees as [string];
    const done = await cos(['post', '--sprint', 's1', '--agent', 'dev-a', '--status', 'COMPLETE', '--json'], { cwd: wt1 });
    const name = JSON.parse(done.stdout).entry.name as string;
    const verified = await cos(['post', '--sprint', 's1', '--agent', 'qa', '--status', 'VERIFIED', '--verifies', name, '--json'], { cwd: repo.main });
    expect(verified.stderr).toBe('');
    expect(JSON.parse(verified.stdout).entry.verifies).toBe(name);
    expect((await scanJson(wt1)).findings).toEqual([]);
  });

  it('archive moves each worktree\'s own files; the sprint is finished by entries across worktrees', async () => {
    const repo = await worktreeRepo(1);
    const [wt1] = repo.worktrees as [string];
    const done = await cos(['post', '--sprint', 's1', '--agent', 'dev-a', '--status', 'COMPLETE', '--json'], { cwd: wt1 });
    const name = JSON.parse(done.stdout).entry.name as string;
    await cos(['post', '--sprint', 's1', '--agent', 'qa', '--status', 'VERIFIED', '--verifies', name], { cwd: repo.main });
    const archived = await cos(['archive', '--json'], { cwd: repo.main });
    expect(archived.code).toBe(0);
    const moved = JSON.parse(archived.stdout).moved as Array<{ from: string; to: string }>;
    expect(moved.map((m) => m.from)).toEqual([expect.stringMatching(/^\.agent\/status\/current\/002-.*-qa\.md$/)]);
    expect(existsSync(join(wt1, '.agent/status/current', name))).toBe(true);
    const again = JSON.parse((await cos(['archive', '--json'], { cwd: wt1 })).stdout).moved as Array<{ from: string }>;
    expect(again.map((m) => m.from)).toEqual([`.agent/status/current/${name}`]);
    expect(existsSync(join(wt1, '.agent/status/archive/s1', name))).toBe(true);
  });

  it('the bound applies per worktree: one worktree\'s entries never push another over it', async () => {
    const repo = await worktreeRepo(1);
    const [wt1] = repo.worktrees as [string];
    writeFileSync(join(repo.main, '.agent/config/coordination.yaml'), 'version: 1\narchive:\n  max_current: 3\n');
    writeFileSync(join(wt1, '.agent/config/coordination.yaml'), 'version: 1\narchive:\n  max_current: 3\n');
    for (let i = 0; i < 3; i++) await cos(['post', '--sprint', `a${i}`, '--agent', 'dev', '--status', 'FAILED'], { cwd: repo.main });
    for (let i = 0; i < 3; i++) await cos(['post', '--sprint', `b${i}`, '--agent', 'dev', '--status', 'FAILED'], { cwd: wt1 });
    const kinds = (await scanJson(repo.main)).findings.map((f) => f.kind);
    expect(kinds).not.toContain('overflow');
    expect(JSON.parse((await cos(['archive', '--json', '--dry-run'], { cwd: repo.main })).stdout).moved).toEqual([]);
  });
});

describe('the same file in several worktrees (after a merge)', () => {
  it('is one entry: the copy with the latest heartbeat counts', async () => {
    const repo = await worktreeRepo(1);
    const [wt1] = repo.worktrees as [string];
    const posted = await cos(['post', '--sprint', 's1', '--agent', 'dev-a', '--status', 'IN_PROGRESS', '--ttl', '10', '--json'], { cwd: repo.main, now: at('2026-03-01T10:00:00Z') });
    const name = JSON.parse(posted.stdout).entry.name as string;
    git(repo.main, 'add', '-A');
    git(repo.main, 'commit', '-q', '-m', 'dev-a starts');
    git(wt1, 'merge', '-q', 'main');
    // The agent carries on in wt1 and heartbeats there; main still has the old copy.
    expect((await cos(['heartbeat', '--sprint', 's1', '--agent', 'dev-a'], { cwd: wt1, now: at('2026-03-01T10:20:00Z') })).code).toBe(0);
    const late = at('2026-03-01T10:25:00Z');
    for (const cwd of [repo.main, wt1]) {
      const snapshot = readStore(cwd);
      expect(snapshot.entries.map((e) => [e.file, e.worktree, e.heartbeat])).toEqual([[name, 'wt1', '2026-03-01T10:20:00Z']]);
      // Not stale (the fresh copy counts), no duplicate-seq (it is one entry).
      expect((await scanJson(cwd, late)).findings).toEqual([]);
    }
  });
});

describe('merging every worktree\'s branch into main', () => {
  it('never conflicts in .agent/status/, and scan on main finds what it found across the worktrees', async () => {
    const repo = await worktreeRepo(3);
    const now = at('2026-03-01T10:00:00Z');
    const [wt1, wt2, wt3] = repo.worktrees as [string, string, string];
    // A conflict across worktrees, an escalation, an unverified claim, and a stale agent.
    await cos(['post', '--sprint', 's1', '--agent', 'dev-a', '--status', 'IN_PROGRESS'], { cwd: wt1, now });
    await cos(['post', '--sprint', 's1', '--agent', 'dev-b', '--status', 'IN_PROGRESS'], { cwd: wt2, now });
    await cos(['post', '--sprint', 's2', '--agent', 'dev-c', '--status', 'BLOCKED', '--severity', 'URGENT'], { cwd: wt3, now });
    await cos(['post', '--sprint', 's3', '--agent', 'dev-d', '--status', 'COMPLETE'], { cwd: wt1, now });
    await cos(['post', '--sprint', 's4', '--agent', 'dev-e', '--status', 'IN_PROGRESS', '--ttl', '5'], { cwd: repo.main, now });
    const later = at('2026-03-01T10:30:00Z');
    const across = shape((await scanJson(repo.main, later)).findings);
    expect(across.map((line) => line.split(' ')[0])).toEqual(expect.arrayContaining(['conflict', 'escalation', 'unverified', 'stale']));
    for (const cwd of repo.worktrees) expect(shape((await scanJson(cwd, later)).findings)).toEqual(across);

    for (const dir of [repo.main, ...repo.worktrees]) {
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', `entries of ${dir.split('/').pop()}`);
    }
    for (const branch of ['wt1', 'wt2', 'wt3']) git(repo.main, 'merge', '-q', '--no-edit', branch);
    expect(git(repo.main, 'status', '--porcelain')).toBe('');
    // Every entry of every worktree is on main, each number once.
    const onMain = readdirSync(join(repo.main, '.agent/status/current')).filter((n) => n.endsWith('.md'));
    expect(onMain).toHaveLength(5);
    expect(new Set(onMain.map((n) => n.slice(0, 3))).size).toBe(5);
    // Remove the worktrees: main alone now gives the same findings.
    for (const dir of repo.worktrees) git(repo.main, 'worktree', 'remove', '--force', dir);
    expect(readStore(repo.main).worktrees).toHaveLength(1);
    expect(shape((await scanJson(repo.main, later)).findings)).toEqual(across);
    // And with the worktrees still there (merged into main), one entry per name: the same findings again.
    git(repo.main, 'worktree', 'add', '-q', join(repo.base, 'again'), 'wt1');
    expect(shape((await scanJson(repo.main, later)).findings)).toEqual(across);
  });
});
