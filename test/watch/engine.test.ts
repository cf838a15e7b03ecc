import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { agentPaths } from '../../src/store/paths.js';
import { postEntry, type PostInput } from '../../src/store/write.js';
import { createEngine, findingIdentity } from '../../src/watch/engine.js';
import type { WatchEvent } from '../../src/watch/events.js';
import { listEntryFiles, readEntryFile } from '../../src/watch/files.js';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { FakeClock } from './fake-clock.js';

const START = new Date('2026-03-02T10:00:00Z');

function setup() {
  const root = testdir({ '.agent/config/coordination.yaml': 'version: 1\n' });
  const paths = agentPaths(root);
  const clock = new FakeClock(START);
  const events: WatchEvent[] = [];
  const engine = createEngine({ config: structuredClone(DEFAULT_CONFIG), now: clock.now, timers: clock, emit: (e) => events.push(e) });
  const post = (input: Omit<PostInput, 'now'>, at: Date = clock.now()) => {
    const entry = postEntry(root, { ...input, now: at });
    const record = readEntryFile(paths, join(root, entry.path), 'current');
    engine.put(record!);
    return entry;
  };
  const kinds = () => events.map((e) => `${e.event}:${'finding' in e && e.finding ? e.finding.kind : ''}`);
  return { root, paths, clock, engine, events, post, kinds };
}

describe('watch engine', () => {
  it('reports a new finding once, keeps quiet when only its entries change, and reports its resolution', () => {
    const { root, paths, clock, engine, events, post, kinds } = setup();
    engine.evaluate({ initial: true });
    expect(events).toEqual([]);
    const a = post({ sprint: 'alpha', agent: 'ann', status: 'IN_PROGRESS' });
    post({ sprint: 'alpha', agent: 'bob', status: 'IN_PROGRESS' });
    expect(events).toEqual([]); // settling
    clock.advance(1_000);
    expect(kinds()).toEqual(['finding:conflict']);
    // A heartbeat-like rewrite of ann's entry (new inode, same identity of the finding).
    const file = join(root, a.path);
    const text = readFileSync(file, 'utf8').replace(/heartbeat: .*/, 'heartbeat: 2026-03-02T10:00:30Z');
    writeFileSync(`${file}.new`, text);
    renameSync(`${file}.new`, file);
    expect(engine.put(readEntryFile(paths, file, 'current')!)).toBe(true);
    clock.advance(1_000);
    expect(kinds()).toEqual(['finding:conflict']);
    post({ sprint: 'alpha', agent: 'bob', status: 'FAILED', message: 'leaving it to ann' });
    clock.advance(1_000);
    expect(kinds()).toEqual(['finding:conflict', 'resolved:conflict']);
    expect(engine.findings()).toEqual([]);
  });

  it('keeps a conflict while its holders post progress, and a repeated failure as it grows; a new holder is a new conflict', () => {
    const { clock, engine, post, kinds } = setup();
    engine.evaluate({ initial: true });
    post({ sprint: 'alpha', agent: 'ann', status: 'IN_PROGRESS' });
    post({ sprint: 'alpha', agent: 'bob', status: 'DISPATCHED' });
    clock.advance(1_000);
    expect(kinds()).toEqual(['finding:conflict']);
    // ann reports progress in a new entry: the same two agents still hold the sprint.
    post({ sprint: 'alpha', agent: 'ann', status: 'IN_PROGRESS', message: 'half done' }, new Date(START.getTime() + 1_000));
    clock.advance(1_000);
    expect(kinds()).toEqual(['finding:conflict']);
    expect(engine.findings()[0]!.files).toHaveLength(2);
    // A third agent joins: a different conflict.
    post({ sprint: 'alpha', agent: 'cid', status: 'DISPATCHED' }, new Date(START.getTime() + 2_000));
    clock.advance(1_000);
    expect(kinds()).toEqual(['finding:conflict', 'resolved:conflict', 'finding:conflict']);

    post({ sprint: 'beta', agent: 'dee', status: 'FAILED', error: 'E1' });
    post({ sprint: 'beta', agent: 'dee', status: 'FAILED', error: 'E1' });
    clock.advance(1_000);
    expect(kinds().slice(3)).toEqual(['finding:repeated-failure']);
    // A third failure reaches the attempt cap: the same problem, worse, not a resolution.
    post({ sprint: 'beta', agent: 'dee', status: 'FAILED', error: 'E1' });
    clock.advance(1_000);
    expect(kinds().slice(3)).toEqual(['finding:repeated-failure']);
    expect(engine.findings().find((f) => f.kind === 'repeated-failure')!.files).toHaveLength(3);
  });

  it('reports a stale agent when its heartbeat + ttl runs out, from the timer alone', () => {
    const { clock, engine, events, post, kinds } = setup();
    post({ sprint: 'beta', agent: 'cid', status: 'IN_PROGRESS', ttl_minutes: 1 });
    clock.advance(1_000);
    expect(events).toEqual([]);
    expect(engine.nextDeadline()).toBe(START.getTime() + 60_000);
    clock.advance(59_000);
    expect(events).toEqual([]);
    clock.advance(2_000);
    expect(kinds()).toEqual(['finding:stale']);
    expect(events[0]!.at.getTime()).toBeGreaterThan(START.getTime() + 60_000);
    // The stale agent's message changes with its age; that is not a new finding.
    clock.advance(600_000);
    engine.evaluate();
    expect(kinds()).toEqual(['finding:stale']);
  });

  it('settles a burst into few evaluations and holds every record', () => {
    const { root, paths, clock, engine, events } = setup();
    for (let i = 0; i < 300; i++) postEntry(root, { sprint: `s-${i}`, agent: 'dee', status: 'BLOCKED', severity: 'URGENT', now: clock.now() });
    for (const file of listEntryFiles(paths)) engine.put(readEntryFile(paths, file.abs, file.location)!);
    expect(clock.size).toBe(1); // one settle timer for the whole burst
    clock.advance(1_000);
    expect(events.filter((e) => e.event === 'finding' && e.finding.kind === 'escalation')).toHaveLength(300);
    expect(engine.summary()).toMatchObject({ entries: 300, current: 300, archive: 0, problems: 0, maxSeq: 300 });
  });

  it('records the findings open at start without announcing them when told to', () => {
    const { clock, engine, events, post, kinds } = setup();
    post({ sprint: 'gamma', agent: 'eve', status: 'BLOCKED', severity: 'BLOCKER' });
    engine.evaluate({ announce: false, initial: true });
    expect(events).toEqual([]);
    expect(engine.findings().map((f) => f.kind)).toEqual(['escalation']);
    post({ sprint: 'delta', agent: 'fay', status: 'FAILED', severity: 'URGENT' });
    clock.advance(1_000);
    expect(kinds()).toEqual(['finding:escalation']);
    expect(events[0]!.event === 'finding' && events[0]!.finding.sprint).toBe('delta');
  });

  it('marks the findings printed at start as initial', () => {
    const { engine, events, post } = setup();
    post({ sprint: 'gamma', agent: 'eve', status: 'BLOCKED', severity: 'BLOCKER' });
    engine.evaluate({ initial: true });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'finding', initial: true });
  });

  it('keeps the same findings as a full analysis through adds, rewrites and removals in any order', () => {
    const { root, paths, clock, engine } = setup();
    const statuses = ['DISPATCHED', 'IN_PROGRESS', 'BLOCKED', 'FAILED', 'COMPLETE', 'VERIFIED'] as const;
    const severities = ['INFO', 'WARN', 'URGENT', 'BLOCKER'] as const;
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 160; i++) {
      const at = new Date(START.getTime() - rand(7_200_000));
      postEntry(root, { sprint: `s-${rand(12)}`, agent: `a-${rand(5)}`, status: statuses[rand(6)]!, severity: severities[rand(4)]!, ttl_minutes: 1 + rand(90), error: rand(3) === 0 ? 'E' : undefined, now: at });
    }
    const files = listEntryFiles(paths).sort(() => rand(3) - 1);
    for (const file of files) engine.put(readEntryFile(paths, file.abs, file.location)!);
    for (const file of files.slice(0, 30)) {
      rmSync(file.abs);
      engine.remove(paths.rel(file.abs));
    }
    for (const file of files.slice(30, 60)) {
      const text = readFileSync(file.abs, 'utf8').replace(/heartbeat: .*/, `heartbeat: ${START.toISOString().replace(/\.\d{3}Z$/, 'Z')}`);
      writeFileSync(`${file.abs}.new`, text);
      renameSync(`${file.abs}.new`, file.abs);
      engine.put(readEntryFile(paths, file.abs, file.location)!);
    }
    for (const advance of [0, 90_000, 3_600_000]) {
      clock.advance(advance);
      const expected = analyze(root, { now: clock.now() }).findings;
      expect(expected.length).toBeGreaterThan(5);
      expect(engine.evaluate()).toEqual(expected);
    }
  });

  it('identifies a finding by kind, sprint and files (a conflict by its agents, a per-sprint finding by its sprint), not by message or file order', () => {
    const base = { kind: 'escalation' as const, severity: 'URGENT' as const, sprint: 's', files: ['a', 'b'], message: 'x', action: 'y' };
    expect(findingIdentity(base)).toBe(findingIdentity({ ...base, files: ['b', 'a'], message: 'other' }));
    expect(findingIdentity(base)).not.toBe(findingIdentity({ ...base, files: ['a'] }));
    expect(findingIdentity(base)).not.toBe(findingIdentity({ ...base, sprint: 't' }));
    expect(findingIdentity(base)).not.toBe(findingIdentity({ ...base, kind: 'stale' }));
    const dir = '.agent/status/current/';
    const conflict = { ...base, kind: 'conflict' as const, files: [`${dir}001-2026-01-01T00-00-00Z-ann.md`, `${dir}002-2026-01-01T00-00-00Z-bob.md`] };
    expect(findingIdentity(conflict)).toBe(findingIdentity({ ...conflict, files: [`${dir}002-2026-01-01T00-00-00Z-bob.md`, `${dir}007-2026-01-01T00-05-00Z-ann.md`] }));
    expect(findingIdentity(conflict)).not.toBe(findingIdentity({ ...conflict, files: [...conflict.files, `${dir}003-2026-01-01T00-00-00Z-cid.md`] }));
    for (const kind of ['repeated-failure', 'over-budget', 'unsynced'] as const) {
      expect(findingIdentity({ ...base, kind })).toBe(findingIdentity({ ...base, kind, files: ['a', 'b', 'c'] }));
      expect(findingIdentity({ ...base, kind })).not.toBe(findingIdentity({ ...base, kind, sprint: 't' }));
    }
  });
});

describe('cos watch --once', () => {
  it('finds exactly what analyze() finds over the same folders (hidden, lock and stray files ignored, links reported)', async () => {
    const root = testdir({ '.agent/config/coordination.yaml': 'version: 1\narchive:\n  max_current: 5\n' });
    const out = testdir();
    const now = new Date();
    const old = new Date(now.getTime() - 3 * 3_600_000);
    postEntry(root, { sprint: 'one', agent: 'ann', status: 'IN_PROGRESS', ttl_minutes: 5, now: old });
    postEntry(root, { sprint: 'one', agent: 'bob', status: 'DISPATCHED', now });
    postEntry(root, { sprint: 'two', agent: 'cid', status: 'BLOCKED', severity: 'BLOCKER', now });
    postEntry(root, { sprint: 'three', agent: 'dee', status: 'COMPLETE', now });
    postEntry(root, { sprint: 'four', agent: 'eve', status: 'FAILED', error: 'E1', now });
    postEntry(root, { sprint: 'four', agent: 'eve', status: 'FAILED', error: 'E1', now });
    const paths = agentPaths(root);
    writeFileSync(join(paths.current, '090-2026-01-01T00-00-00Z-zed.md'), 'not an entry\n');
    writeFileSync(join(paths.current, '.091-2026-01-01T00-00-00Z-zed.md.1.abcd.tmp'), 'temp\n');
    mkdirSync(join(paths.current, '005-2026-01-01T00-00-00Z-eve.md.lock'));
    writeFileSync(join(paths.current, 'notes.txt'), 'stray\n');
    // A symbolic link is reported (never followed), as readStore does.
    writeFileSync(join(out, 'outside.md'), 'not an entry\n');
    symlinkSync(join(out, 'outside.md'), join(paths.current, '093-2026-01-01T00-00-00Z-lnk.md'));
    mkdirSync(join(paths.archive, 'old'), { recursive: true });
    postEntry(root, { sprint: 'old', agent: 'fay', status: 'COMPLETE', now: old });
    const [archived] = listEntryFiles(paths).filter((f) => f.abs.endsWith('-fay.md'));
    renameSync(archived!.abs, join(paths.archive, 'old', archived!.abs.split('/').pop()!));
    writeFileSync(join(paths.archive, 'old', '092-2026-01-01T00-00-00Z-zed.md'), '---\nsprint: x\n---\n');

    const result = await cos(['watch', '--once', '--json', '--dir', root], { now });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const expected = analyze(root, { now }).findings;
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(lines.filter((l) => l.event === 'finding').map((l) => l.finding)).toEqual(expected);
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ version: 1, event: 'summary', reason: 'once', summary: { entries: 7, current: 7, archive: 2, problems: 3, findings: expected.length } });
  });

  it('prints human lines (time, severity, kind, message, action) and runs --exec for each finding at or above --exec-on', async () => {
    const root = testdir({ '.agent/config/coordination.yaml': 'version: 1\n' });
    const out = testdir();
    const now = new Date('2026-03-02T10:00:00Z');
    postEntry(root, { sprint: 'ops', agent: 'ann', status: 'BLOCKED', severity: 'BLOCKER', now });
    postEntry(root, { sprint: 'docs', agent: 'bob', status: 'COMPLETE', now });
    const result = await cos(['watch', '--once', '--dir', root, '--exec', 'printf "%s\\n" "$COS_KIND" >> "$OUT/ran"', '--exec-on', 'BLOCKER'], { now, env: { OUT: out } });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^2026-03-02T10:00:00Z  BLOCKER  escalation  ann escalated ops/);
    expect(lines[1]).toMatch(/^ +→ cos resolve 001-2026-03-02T10-00-00Z-ann\.md$/);
    expect(result.stdout).toMatch(/summary: 2 entries \(2 files in current\/, 0 in archive\/\), 0 malformed, \d+ open findings?, highest seq 2/);
    expect(readFileSync(join(out, 'ran'), 'utf8')).toBe('escalation\n');
  });

  it('refuses a bad --exec-on and a directory without .agent/', async () => {
    const root = testdir({ '.agent/config/coordination.yaml': 'version: 1\n' });
    const bad = await cos(['watch', '--once', '--exec', 'true', '--exec-on', 'LOUD', '--dir', root]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Invalid --exec-on "LOUD"/);
    const empty = testdir({ 'x.txt': '' });
    const none = await cos(['watch', '--once', '--dir', empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No \.agent\/ directory/);
  });
});
