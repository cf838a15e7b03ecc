import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveStore } from '../../src/archive/move.js';
import { withLock } from '../../src/store/lock.js';
import { postEntry } from '../../src/store/write.js';
import { AGENT_GITIGNORE } from '../../src/templates/config.js';
import { cos, runCli } from '../helpers/cli.js';
import { git, gitdir, testdir } from '../helpers/tmp.js';

const T0 = new Date('2026-01-10T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const CURRENT = '.agent/status/current';

function names(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.md')).sort();
  } catch {
    return [];
  }
}

function seedStore(root: string) {
  const post = (sprint: string, agent: string, status: string, minute: number) => postEntry(root, { sprint, agent, status, now: at(minute) });
  return {
    a1: post('alpha', 'dev', 'IN_PROGRESS', 0),
    a2: post('alpha', 'dev', 'COMPLETE', 10),
    a3: post('alpha', 'qa', 'VERIFIED', 20),
    b1: post('beta', 'dev', 'IN_PROGRESS', 30),
  };
}

describe('cos archive', () => {
  it('moves a finished sprint by rename (byte-identical), keeps the open one, and --json lists the moves', async () => {
    const root = testdir({ [`${CURRENT}/.gitkeep`]: '' });
    const e = seedStore(root);
    const before = Object.fromEntries([e.a1, e.a2, e.a3].map((x) => [x.file, readFileSync(join(root, x.path))]));
    const result = await cos(['archive', '--json'], { cwd: root, now: at(60) });
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.version).toBe(1);
    expect(out.dry_run).toBe(false);
    expect(out.moved).toEqual([e.a1, e.a2, e.a3].map((x) => ({ from: x.path, to: `.agent/status/archive/alpha/${x.file}`, reason: 'finished-sprint' })));
    expect(out.current).toBe(1);
    expect(out.overflow).toBeNull();
    expect(names(join(root, CURRENT))).toEqual([e.b1.file]);
    for (const [file, bytes] of Object.entries(before)) expect(readFileSync(join(root, '.agent/status/archive/alpha', file)).equals(bytes)).toBe(true);
  });

  it('--dry-run changes nothing and reports the same moves', async () => {
    const root = testdir({ [`${CURRENT}/.gitkeep`]: '' });
    seedStore(root);
    const before = names(join(root, CURRENT));
    const dry = await cos(['archive', '--dry-run', '--json'], { cwd: root, now: at(60) });
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).moved).toHaveLength(3);
    expect(JSON.parse(dry.stdout).dry_run).toBe(true);
    expect(names(join(root, CURRENT))).toEqual(before);
    expect(existsSync(join(root, '.agent/status/archive'))).toBe(false);
    const text = await cos(['archive', '--dry-run'], { cwd: root, now: at(60) });
    expect(text.stdout).toMatch(/^Would archive 3 entries:/);
  });

  it('more than 20 moves are summed up per sprint and reason, in words that count entries', async () => {
    const root = testdir({ [`${CURRENT}/.gitkeep`]: '' });
    for (let i = 0; i < 11; i++) postEntry(root, { sprint: 'alpha', agent: `dev-${i}`, status: 'COMPLETE', now: at(i) });
    for (let i = 0; i < 11; i++) postEntry(root, { sprint: 'alpha', agent: `qa-${i}`, status: 'VERIFIED', now: at(20 + i) });
    postEntry(root, { sprint: 'beta', agent: 'dev', status: 'COMPLETE', now: at(40) });
    postEntry(root, { sprint: 'beta', agent: 'qa', status: 'VERIFIED', now: at(41) });
    const result = await cos(['archive', '--dry-run'], { cwd: root, now: at(60) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Would archive 24 entries:\n  alpha: 22 entries of a finished sprint -> .agent/status/archive/alpha/\n  beta: 2 entries of a finished sprint -> .agent/status/archive/beta/\n');
  });

  it('sequence numbers keep growing after archiving, even with the claims folder gone', async () => {
    const root = testdir({ [`${CURRENT}/.gitkeep`]: '' });
    seedStore(root);
    postEntry(root, { sprint: 'beta', agent: 'dev', status: 'COMPLETE', now: at(40) });
    postEntry(root, { sprint: 'beta', agent: 'qa', status: 'VERIFIED', now: at(45) });
    await cos(['archive'], { cwd: root, now: at(60) });
    expect(names(join(root, CURRENT))).toEqual([]);
    rmSync(join(root, '.agent/status/.claims'), { recursive: true, force: true });
    const next = await cos(['post', '--sprint', 'gamma', '--agent', 'dev', '--status', 'IN_PROGRESS', '--json'], { cwd: root, now: at(61) });
    expect(JSON.parse(next.stdout).entry.seq).toBe(7);
  });

  it('never moves a malformed file, and says when open entries alone exceed max_current', async () => {
    const root = testdir({
      '.agent/config/coordination.yaml': 'version: 1\narchive:\n  max_current: 2\n',
      [`${CURRENT}/900-2026-01-01T00-00-00Z-broken.md`]: 'not an entry\n',
    });
    postEntry(root, { sprint: 'x', agent: 'dev', status: 'COMPLETE', now: at(0) });
    postEntry(root, { sprint: 'x', agent: 'qa', status: 'VERIFIED', now: at(0) });
    postEntry(root, { sprint: 'y', agent: 'dev', status: 'IN_PROGRESS', now: at(1) });
    postEntry(root, { sprint: 'z', agent: 'dev', status: 'IN_PROGRESS', now: at(2) });
    const result = await cos(['archive', '--json'], { cwd: root, now: at(10) });
    const out = JSON.parse(result.stdout);
    expect(out.moved.map((m: { reason: string }) => m.reason)).toEqual(['finished-sprint', 'finished-sprint']);
    expect(out.malformed).toEqual([`${CURRENT}/900-2026-01-01T00-00-00Z-broken.md`]);
    expect(out.overflow).toEqual({ remaining: 3, max_current: 2, open: 2, malformed: 1 });
    expect(readFileSync(join(root, CURRENT, '900-2026-01-01T00-00-00Z-broken.md'), 'utf8')).toBe('not an entry\n');
    const text = await cos(['archive'], { cwd: root, now: at(10) });
    expect(text.stdout).toMatch(/Over the bound: 3 entry files stay in current\/ \(max_current 2\); 2 are agents' open entries and 1 malformed files/);
  });

  it('--commit commits exactly the moves (git sees renames) with unrelated staged and unstaged changes present', async () => {
    const root = gitdir({ '.agent/.gitignore': AGENT_GITIGNORE, [`${CURRENT}/.gitkeep`]: '', 'notes.txt': 'n\n', 'other.txt': 'o\n' });
    const e = seedStore(root);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'entries');
    // One entry never committed: its move is an addition in the archive.
    const fresh = postEntry(root, { sprint: 'alpha', agent: 'qa', status: 'VERIFIED', verifies: e.a2.file, now: at(50) });
    writeFileSync(join(root, 'notes.txt'), 'unstaged edit\n');
    writeFileSync(join(root, 'other.txt'), 'staged edit\n');
    git(root, 'add', 'other.txt');
    const result = await cos(['archive', '--commit', '--json'], { cwd: root, now: at(60) });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout);
    expect(out.commit).toBe(git(root, 'rev-parse', 'HEAD').trim());
    const show = git(root, 'show', '-M', '--name-status', '--format=', 'HEAD').trim().split('\n').sort();
    expect(show).toEqual(
      [
        ...[e.a1, e.a2, e.a3].map((x) => `R100\t${x.path}\t.agent/status/archive/alpha/${x.file}`),
        `A\t.agent/status/archive/alpha/${fresh.file}`,
      ].sort(),
    );
    expect(git(root, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([' M notes.txt', 'M  other.txt']);
  });

  it('--commit that git refuses (a pre-commit hook): exit 5, the moves done and printed with "commit": null and the error (built CLI)', async () => {
    const root = gitdir({ '.agent/.gitignore': AGENT_GITIGNORE, [`${CURRENT}/.gitkeep`]: '' });
    const e = seedStore(root);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'entries');
    writeFileSync(join(root, '.git/hooks/pre-commit'), '#!/bin/sh\necho "hook says no" >&2\nexit 1\n', { mode: 0o755 });
    const result = await runCli(['archive', '--commit', '--json', '--dir', root]);
    expect(result.code).toBe(5);
    const out = JSON.parse(result.stdout);
    expect(out.moved.map((move: { from: string }) => move.from).sort()).toEqual([e.a1.path, e.a2.path, e.a3.path].sort());
    expect(out).toMatchObject({ commit: null, ok: false, error: { code: 'external', exit_code: 5 } });
    expect(out.error.message).toMatch(/^git commit failed \(hook says no\); 6 paths are written but not committed — commit them by hand/);
    expect(result.stderr).toBe(`cos archive: ${out.error.message}\n`);
    for (const x of [e.a1, e.a2, e.a3]) expect(existsSync(join(root, '.agent/status/archive/alpha', x.file))).toBe(true);
    expect(git(root, 'log', '--format=%s').trim().split('\n')).toEqual(['entries', 'fixture']);
  });

  it('takes the heartbeat lock of an open entry it moves: a heartbeat in flight lands first and moves with it', async () => {
    const root = testdir({ [`${CURRENT}/.gitkeep`]: '' });
    const old = postEntry(root, { sprint: 'alpha', agent: 'dev', status: 'IN_PROGRESS', now: at(0) });
    postEntry(root, { sprint: 'alpha', agent: 'dev', status: 'COMPLETE', now: at(5) });
    postEntry(root, { sprint: 'alpha', agent: 'qa', status: 'VERIFIED', now: at(6) });
    const path = join(root, old.path);
    let archived: ReturnType<typeof archiveStore> | undefined;
    await withLock(path, async () => {
      archived = archiveStore(root, { now: at(60) });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // What a heartbeat does under this lock: temp + rename over the entry.
      const text = readFileSync(path, 'utf8').replace(/^heartbeat: .*$/m, 'heartbeat: 2026-01-10T08:03:00Z');
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
    });
    const result = await archived!;
    expect(result.moved).toHaveLength(3);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(join(root, '.agent/status/archive/alpha', old.file), 'utf8')).toMatch(/^heartbeat: 2026-01-10T08:03:00Z$/m);
  });

  it('never overwrites an archived file: identical duplicate is dropped from current/, a different one is skipped', async () => {
    const root = testdir({ [`${CURRENT}/.gitkeep`]: '' });
    const a = postEntry(root, { sprint: 'alpha', agent: 'dev', status: 'COMPLETE', now: at(0) });
    const b = postEntry(root, { sprint: 'alpha', agent: 'qa', status: 'VERIFIED', now: at(1) });
    const dest = join(root, '.agent/status/archive/alpha');
    const result1 = await cos(['archive'], { cwd: root, now: at(60) });
    expect(result1.code).toBe(0);
    // Bring both back as a merge from another clone could: one identical, one edited.
    writeFileSync(join(root, a.path), readFileSync(join(dest, a.file)));
    writeFileSync(join(root, b.path), `${readFileSync(join(dest, b.file), 'utf8')}\nedited\n`);
    const result = await cos(['archive', '--json'], { cwd: root, now: at(60) });
    const out = JSON.parse(result.stdout);
    expect(out.moved.map((m: { from: string }) => m.from)).toEqual([a.path]);
    expect(out.skipped).toEqual([{ from: b.path, to: `.agent/status/archive/alpha/${b.file}`, why: `.agent/status/archive/alpha/${b.file} already exists with different content` }]);
    expect(existsSync(join(root, a.path))).toBe(false);
    expect(readFileSync(join(root, b.path), 'utf8')).toMatch(/edited/);
  });

  it('--commit outside a git repository exits 1 naming the folder and moves nothing', async () => {
    const root = testdir({ [`${CURRENT}/.gitkeep`]: '' });
    const done = postEntry(root, { sprint: 'alpha', agent: 'dev', status: 'COMPLETE', now: at(0) });
    const result = await cos(['archive', '--commit'], { cwd: root, now: at(60) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not inside a git repository');
    expect(result.stdout).toBe('');
    expect(existsSync(join(root, done.path))).toBe(true);
    expect(existsSync(join(root, '.agent/status/archive/alpha'))).toBe(false);
  });

  it('in a folder without .agent/ it is exit 1 with one sentence and creates nothing', async () => {
    const dir = testdir();
    const result = await cos(['archive'], { cwd: dir, now: at(60) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('cos archive: No .agent/ here (or above); run cos init first.\n');
    expect(result.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses --dry-run with --commit', async () => {
    const root = testdir({ [`${CURRENT}/.gitkeep`]: '' });
    const result = await cos(['archive', '--dry-run', '--commit'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/either --dry-run or --commit/);
  });
  describe('a destination git ignores (a rule of the repository matches archive/<sprint>/)', () => {
    function ignoringRepo(rootIgnore: string) {
      const root = gitdir({ '.gitignore': rootIgnore, '.agent/.gitignore': AGENT_GITIGNORE, [`${CURRENT}/.gitkeep`]: '' });
      const done = postEntry(root, { sprint: 'alpha', agent: 'dev', status: 'COMPLETE', now: at(0) });
      postEntry(root, { sprint: 'alpha', agent: 'qa', status: 'VERIFIED', verifies: done.file, now: at(5) });
      git(root, 'add', '-A');
      git(root, 'commit', '-q', '-m', 'entries');
      return { root, done };
    }

    it('--commit refuses before moving anything, naming the destination and the rule (exit 1)', async () => {
      const { root, done } = ignoringRepo('node_modules/\narchive/\n');
      const head = git(root, 'rev-parse', 'HEAD');
      const result = await cos(['archive', '--commit'], { cwd: root, now: at(60) });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`git ignores .agent/status/archive/alpha/${done.file} (and 1 more) (rule .gitignore:2: archive/)`);
      expect(result.stderr).toContain('nothing moved');
      expect(existsSync(join(root, done.path))).toBe(true);
      expect(existsSync(join(root, '.agent/status/archive'))).toBe(false);
      expect(git(root, 'rev-parse', 'HEAD')).toBe(head);
      expect(git(root, 'status', '--porcelain')).toBe('');
    });

    it('a plain run moves and says the archive is not versioned, by folder and rule; --json lists each move', async () => {
      const { root } = ignoringRepo('archive/\n');
      const text = await cos(['archive', '--dry-run'], { cwd: root, now: at(60) });
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('Not versioned: git ignores .agent/status/archive/alpha/ (rule .gitignore:1: archive/), so 2 archived entries leave the shared history');
      const result = await cos(['archive', '--json'], { cwd: root, now: at(60) });
      expect(result.code).toBe(0);
      const out = JSON.parse(result.stdout);
      expect(out.moved).toHaveLength(2);
      expect(out.unversioned).toEqual(out.moved.map((move: { from: string; to: string }) => ({ from: move.from, to: move.to, rule: '.gitignore:1: archive/' })));
    });

    it('says nothing when a later ! rule keeps the archive versioned, and --commit commits it', async () => {
      const { root, done } = ignoringRepo('archive/\n!.agent/status/archive/\n');
      const result = await cos(['archive', '--commit', '--json'], { cwd: root, now: at(60) });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).unversioned).toEqual([]);
      expect(git(root, 'show', '--name-only', '--format=', 'HEAD')).toContain(`.agent/status/archive/alpha/${done.file}`);
    });

    it('a sprint named state under a root rule state (no slash) is refused too; the old .agent/.gitignore line alone is rewritten and committed', async () => {
      const root = gitdir({ '.gitignore': 'state\n', '.agent/.gitignore': AGENT_GITIGNORE, [`${CURRENT}/.gitkeep`]: '' });
      const done = postEntry(root, { sprint: 'state', agent: 'dev', status: 'COMPLETE', now: at(0) });
      postEntry(root, { sprint: 'state', agent: 'qa', status: 'VERIFIED', verifies: done.file, now: at(5) });
      git(root, 'add', '-A');
      git(root, 'commit', '-q', '-m', 'entries');
      const refused = await cos(['archive', '--commit'], { cwd: root, now: at(60) });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('(rule .gitignore:1: state)');
      expect(existsSync(join(root, done.path))).toBe(true);
      // Without the root rule, only the old unanchored line of .agent/.gitignore matches: archive rewrites it and commits.
      writeFileSync(join(root, '.gitignore'), '');
      writeFileSync(join(root, '.agent/.gitignore'), 'state/\n');
      git(root, 'commit', '-qam', 'old agent gitignore');
      const result = await cos(['archive', '--commit', '--json'], { cwd: root, now: at(60) });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout).updated).toEqual(['.agent/.gitignore']);
      expect(git(root, 'show', '--name-only', '--format=', 'HEAD')).toContain(`.agent/status/archive/state/${done.file}`);
    });
  });
});
