/** cos init / post / status: behaviour and JSON shapes (PRODUCT.md, "JSON shapes"). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initFiles } from '../../src/store/init.js';
import { postEntry } from '../../src/store/write.js';
import { readStore } from '../../src/store/read.js';
import { parseRole } from '../../src/protocol/role.js';
import { statusReport } from '../../src/output/status.js';
import { cos, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { tree } from '../helpers/tree.js';

const T0 = new Date('2026-01-14T04:30:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('cos init', () => {
  it('creates the tree, and a second run changes nothing at all', async () => {
    const root = testdir();
    const first = await cos(['init', '--dir', root, '--json']);
    expect(first.code).toBe(0);
    const created = JSON.parse(first.stdout);
    expect(created.version).toBe(1);
    expect(created.created).toEqual(initFiles().map(([path]) => path));
    expect(created.existing).toEqual([]);
    for (const role of ['chief-of-staff', 'sprintmaster', 'developer', 'qa-reviewer', 'mine-sweeper']) {
      const parsed = parseRole(readFileSync(join(root, '.agent', 'roles', `${role}.md`), 'utf8'), role);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.role.standing_orders.length).toBeGreaterThan(0);
    }
    const before = tree(root);
    const second = await cos(['init', '--dir', root]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Nothing to do: \.agent\/ is already set up/);
    expect(tree(root)).toEqual(before);
    const again = JSON.parse((await runCli(['init', '--dir', root, '--json'])).stdout);
    expect(again.created).toEqual([]);
    expect(tree(root)).toEqual(before);
  });

  it('never overwrites a file that is already there, even an empty one, and fills in what is missing', async () => {
    const root = testdir({ '.agent/config/coordination.yaml': '', 'runbook.md': '# ours\n' });
    const result = JSON.parse((await cos(['init', '--dir', root, '--json'])).stdout);
    expect(result.existing).toEqual(['.agent/config/coordination.yaml', 'runbook.md']);
    expect(readFileSync(join(root, 'runbook.md'), 'utf8')).toBe('# ours\n');
    expect(readFileSync(join(root, '.agent/config/coordination.yaml'), 'utf8')).toBe('');
  });
});

describe('cos post', () => {
  it('prints the path, or the entry as JSON with file (relative), name, seq and every field', async () => {
    const root = testdir();
    const plain = await cos(['post', '--dir', root, '--sprint', 'results-wiring-v1', '--agent', 'developer', '--status', 'in_progress', '--message', 'Wiring'], { now: T0 });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe('.agent/status/current/001-2026-01-14T04-30-00Z-developer.md\n');
    const json = await cos(
      ['post', '--json', '--dir', root, '--sprint', 'results-wiring-v1', '--agent', 'developer', '--status', 'COMPLETE', '--severity', 'warn', '--ttl', '45', '--phase', 'Implementation', '--title', 'Results Wiring v1', '--role', 'developer', '--cost', '1.25', '--error', 'none', '--resolves', '001-2026-01-14T04-30-00Z-developer.md'],
      { now: at(1) },
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      version: 1,
      entry: {
        file: '.agent/status/current/002-2026-01-14T04-31-00Z-developer.md',
        name: '002-2026-01-14T04-31-00Z-developer.md',
        seq: 2,
        timestamp: '2026-01-14T04:31:00Z',
        sprint: 'results-wiring-v1',
        agent: 'developer',
        status: 'COMPLETE',
        severity: 'WARN',
        heartbeat: '2026-01-14T04:31:00Z',
        ttl_minutes: 45,
        phase: 'Implementation',
        title: 'Results Wiring v1',
        role: 'developer',
        error: 'none',
        resolves: '001-2026-01-14T04-30-00Z-developer.md',
        cost_usd: 1.25,
        body: '## 2026-01-14T04:31:00Z | Results Wiring v1 | Implementation\n**Agent:** developer\n**Status:** COMPLETE\n**Severity:** WARN\n**Error:** none\n',
      },
    });
    const text = readFileSync(join(root, '.agent/status/current/002-2026-01-14T04-31-00Z-developer.md'), 'utf8');
    expect(text).toBe(
      [
        '---',
        'timestamp: 2026-01-14T04:31:00Z',
        'sprint: results-wiring-v1',
        'agent: developer',
        'status: COMPLETE',
        'severity: WARN',
        'heartbeat: 2026-01-14T04:31:00Z',
        'ttl_minutes: 45',
        'phase: Implementation',
        'title: Results Wiring v1',
        'role: developer',
        'error: none',
        'resolves: 001-2026-01-14T04-30-00Z-developer.md',
        'cost_usd: 1.25',
        '---',
        '## 2026-01-14T04:31:00Z | Results Wiring v1 | Implementation',
        '**Agent:** developer',
        '**Status:** COMPLETE',
        '**Severity:** WARN',
        '**Error:** none',
        '',
      ].join('\n'),
    );
    // A different agent verifies it, naming it by the path cos post --json printed.
    const verified = await cos(['post', '--json', '--dir', root, '--sprint', 'results-wiring-v1', '--agent', 'qa', '--status', 'VERIFIED', '--verifies', '.agent/status/current/002-2026-01-14T04-31-00Z-developer.md'], { now: at(2) });
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout).entry.verifies).toBe('002-2026-01-14T04-31-00Z-developer.md');
  });

  it('cos heartbeat says why it wrote nothing: already current, or younger than --if-due allows', async () => {
    const root = testdir();
    expect((await cos(['post', '--dir', root, '--sprint', 's', '--agent', 'a', '--status', 'IN_PROGRESS'], { now: T0 })).code).toBe(0);
    const file = '.agent/status/current/001-2026-01-14T04-30-00Z-a.md';
    const same = await cos(['heartbeat', '--dir', root, '--sprint', 's', '--agent', 'a'], { now: T0 });
    expect(same.stdout).toBe(`${file} heartbeat 2026-01-14T04:30:00Z (already current; nothing written)\n`);
    const young = await cos(['heartbeat', '--dir', root, '--sprint', 's', '--agent', 'a', '--if-due'], { now: new Date(T0.getTime() + 20_000) });
    expect(young.stdout).toBe(`${file} heartbeat 2026-01-14T04:30:00Z (younger than 60s; nothing written)\n`);
    const due = await cos(['heartbeat', '--dir', root, '--sprint', 's', '--agent', 'a', '--if-due'], { now: new Date(T0.getTime() + 61_000) });
    expect(due.stdout).toBe(`${file} heartbeat 2026-01-14T04:31:01Z\n`);
  });

  it('cos heartbeat with a broken coordination.yaml is exit 1 naming the file and key, and writes nothing', async () => {
    const root = testdir();
    expect((await cos(['post', '--dir', root, '--sprint', 's', '--agent', 'a', '--status', 'IN_PROGRESS'], { now: T0 })).code).toBe(0);
    const file = join(root, '.agent/status/current/001-2026-01-14T04-30-00Z-a.md');
    const before = readFileSync(file, 'utf8');
    mkdirSync(join(root, '.agent/config'), { recursive: true });
    writeFileSync(join(root, '.agent/config/coordination.yaml'), 'ttl_minutes: 600000\n');
    for (const extra of [[], ['--if-due'], ['--ttl', '60']]) {
      const result = await cos(['heartbeat', '--dir', root, '--sprint', 's', '--agent', 'a', ...extra], { now: new Date(T0.getTime() + 3_600_000) });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/coordination\.yaml.*ttl_minutes/);
      expect(readFileSync(file, 'utf8')).toBe(before);
    }
  });

  it('--body-file - takes the body verbatim from stdin', async () => {
    const root = testdir();
    const body = '# Report\n\n- item: with colon\n---\nnot front matter\n';
    const result = await cos(['post', '--dir', root, '--sprint', 's', '--agent', 'a', '--status', 'BLOCKED', '--body-file', '-', '--json'], { input: body, now: T0 });
    expect(result.code).toBe(0);
    const [entry] = readStore(root).entries;
    expect(entry!.body).toBe(body);
  });

  it('keeps numbering past archived entries and past files that do not parse', () => {
    const root = testdir({
      '.agent/status/archive/old/040-2026-01-01T00-00-00Z-dev.md': '---\ntimestamp: 2026-01-01T00:00:00Z\nsprint: old\nagent: dev\nstatus: COMPLETE\nseverity: INFO\nheartbeat: 2026-01-01T00:00:00Z\nttl_minutes: 30\n---\n',
      '.agent/status/current/041-2026-01-01T00-00-00Z-dev.md': 'garbage',
    });
    expect(postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS', now: T0 }).seq).toBe(42);
    expect(postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS', now: T0 }).file).toBe('043-2026-01-14T04-30-00Z-a.md');
  });

  it('grows past 999 and past a crashed writer’s claim, leaving a gap rather than a duplicate', () => {
    const root = testdir({ '.agent/status/current/999-2026-01-01T00-00-00Z-dev.md': 'x', '.agent/status/.claims/1000': '' });
    const entry = postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS', now: T0 });
    expect(entry.seq).toBe(1001);
    expect(entry.file).toBe('1001-2026-01-14T04-30-00Z-a.md');
  });

  it('writes .agent/.gitignore for claims, temp files and locks when init never ran, and never overwrites one', () => {
    const root = testdir();
    postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS' });
    expect(readFileSync(join(root, '.agent/.gitignore'), 'utf8')).toContain('status/.claims/');
    writeFileSync(join(root, '.agent/.gitignore'), '# mine\n');
    postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS' });
    expect(readFileSync(join(root, '.agent/.gitignore'), 'utf8')).toBe('# mine\n');
  });

  it('library: extra fields are kept; protocol fields and non-data values are refused', () => {
    const root = testdir();
    const entry = postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS', extra: { ticket: 'ABC-1', links: ['x', 'y'], meta: { n: 1 } } });
    expect(readStore(root).entries[0]!.extra).toEqual({ ticket: 'ABC-1', links: ['x', 'y'], meta: { n: 1 } });
    expect(entry.extra).toEqual({ ticket: 'ABC-1', links: ['x', 'y'], meta: { n: 1 } });
    expect(() => postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS', extra: { status: 'x' } })).toThrow(/field of the protocol/);
    expect(() => postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS', extra: { when: new Date() } })).toThrow(/Invalid extra field "when"/);
    expect(() => postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS', extra: { n: Number.NaN } })).toThrow(/Invalid extra field "n"/);
    expect(() => postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS', now: new Date('nope') })).toThrow(/Invalid now/);
    expect(readStore(root).entries).toHaveLength(1);
  });

  it('never writes an entry it could not read back: a title past the front matter limit is refused', () => {
    const root = testdir();
    expect(() => postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS', title: 't'.repeat(70_000) })).toThrow(/could not be read back \(its front matter is \d+ characters long/);
    expect(() => postEntry(root, { sprint: 's', agent: 'a', status: 'IN_PROGRESS', body: 'x'.repeat(17 * 1024 * 1024) })).toThrow(/at most 16777216/);
    expect(readStore(root).entries).toHaveLength(0);
  });
});

describe('cos status', () => {
  it('one row per sprint: state is the latest entry’s status, agents with stale flags, severity, updated, flags', async () => {
    const root = testdir();
    postEntry(root, { sprint: 'alpha', agent: 'dev', status: 'IN_PROGRESS', now: at(0), ttl_minutes: 30 });
    postEntry(root, { sprint: 'alpha', agent: 'qa', status: 'BLOCKED', severity: 'URGENT', now: at(10), ttl_minutes: 60 });
    postEntry(root, { sprint: 'beta', agent: 'dev2', status: 'COMPLETE', now: at(20) });
    const result = await cos(['status', '--dir', root, '--json'], { now: at(45) });
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.version).toBe(1);
    expect(document.entries).toBe(3);
    expect(document.problems).toBe(0);
    const [beta, alpha] = document.sprints;
    // SEVERITY is the highest open finding: beta's claim awaits review (unverified, WARN).
    expect(beta).toMatchObject({ sprint: 'beta', state: 'COMPLETE', severity: 'WARN', flags: ['unverified'], updated: '2026-01-14T04:50:00Z', agents: [{ agent: 'dev2', status: 'COMPLETE', heartbeat: '2026-01-14T04:50:00Z', stale: false, holding: false }] });
    expect(alpha).toMatchObject({
      sprint: 'alpha',
      state: 'BLOCKED',
      severity: 'URGENT',
      updated: '2026-01-14T04:40:00Z',
      agents: [
        { agent: 'dev', status: 'IN_PROGRESS', heartbeat: '2026-01-14T04:30:00Z', stale: true, holding: true },
        { agent: 'qa', status: 'BLOCKED', heartbeat: '2026-01-14T04:40:00Z', stale: false, holding: true },
      ],
    });
    expect(alpha.flags).toEqual(expect.arrayContaining(['stale']));
    for (const row of document.sprints) expect(Object.keys(row)).toEqual(['sprint', 'state', 'agents', 'severity', 'updated', 'flags', 'waiting_on']);

    // The library call behind it gives the same document.
    const { analysis, ...report } = statusReport(root, { now: at(45) });
    expect({ version: 1, ...report }).toEqual(document);
    expect(analysis.snapshot.entries).toHaveLength(3);

    const human = await cos(['status', '--dir', root], { now: at(45) });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^SPRINT\s+STATE\s+AGENTS\s+AGE\s+SEVERITY\s+FLAGS$/m);
    expect(human.stdout).toMatch(/^alpha\s+BLOCKED\s+dev:IN_PROGRESS\(stale\) qa:BLOCKED\s+35m\s+URGENT\s+\S*stale/m);
    expect(human.stdout).not.toMatch(/\u001b\[/);
  });

  it('hides sprints whose entries are all archived unless --all — but never one with an open finding', async () => {
    const root = testdir();
    postEntry(root, { sprint: 'live', agent: 'dev', status: 'IN_PROGRESS', now: at(0) });
    const old = postEntry(root, { sprint: 'old', agent: 'dev', status: 'COMPLETE', now: at(1) });
    const { rmSync } = await import('node:fs');
    const archive = (entry: { file: string; path: string }) => {
      mkdirSync(join(root, '.agent/status/archive/old'), { recursive: true });
      writeFileSync(join(root, '.agent/status/archive/old', entry.file), readFileSync(join(root, entry.path)));
      rmSync(join(root, entry.path));
    };
    archive(old);
    // Archived by hand while unverified: the open finding keeps it in view.
    let live = JSON.parse((await cos(['status', '--dir', root, '--json'], { now: at(2) })).stdout);
    expect(live.sprints.map((s: { sprint: string; flags: string[] }) => [s.sprint, s.flags])).toEqual([['old', ['unverified']], ['live', []]]);
    archive(postEntry(root, { sprint: 'old', agent: 'qa', status: 'VERIFIED', now: at(1) }));
    live = JSON.parse((await cos(['status', '--dir', root, '--json'], { now: at(2) })).stdout);
    expect(live.sprints.map((s: { sprint: string }) => s.sprint)).toEqual(['live']);
    const all = JSON.parse((await cos(['status', '--dir', root, '--json', '--all'], { now: at(2) })).stdout);
    expect(all.sprints.map((s: { sprint: string; state: string }) => [s.sprint, s.state])).toEqual([['old', 'VERIFIED'], ['live', 'IN_PROGRESS']]);
  });

  it('an empty repository: a hint, exit 0; --help teaches usage', async () => {
    const root = testdir();
    const empty = await cos(['status', '--dir', root]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/^No sprints yet/);
    for (const command of ['init', 'post', 'heartbeat', 'status']) {
      const help = await cos([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: cos ${command}`));
      expect(help.stdout).toMatch(/Exit codes/);
    }
  });
});
