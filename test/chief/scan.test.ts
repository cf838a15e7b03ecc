/** cos scan: exit codes 0 / 1 / 2 with --fail-on and scan.fail_on, the health alias, human output. */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cos, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { NOW, writeEntry } from './fixture.js';

function staleRepo(): string {
  const root = testdir();
  writeEntry(root, { seq: 1, sprint: 's1', agent: 'dev', status: 'IN_PROGRESS', at: 120 }); // WARN
  return root;
}

describe('cos scan exit codes', () => {
  it('exits 0 when nothing reaches the default threshold (URGENT), 2 when something does', async () => {
    const root = staleRepo();
    expect((await cos(['scan', '--dir', root], { now: NOW })).code).toBe(0);
    writeEntry(root, { seq: 2, sprint: 's2', agent: 'dev', status: 'BLOCKED', severity: 'URGENT' });
    const result = await cos(['scan', '--dir', root], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('exit 2');
  });

  it('--fail-on moves the threshold; never always exits 0; lower case is accepted', async () => {
    const root = staleRepo();
    expect((await cos(['scan', '--fail-on', 'WARN', '--dir', root], { now: NOW })).code).toBe(2);
    expect((await cos(['scan', '--fail-on', 'warn', '--dir', root], { now: NOW })).code).toBe(2);
    expect((await cos(['scan', '--fail-on', 'BLOCKER', '--dir', root], { now: NOW })).code).toBe(0);
    expect((await cos(['scan', '--fail-on', 'never', '--json', '--dir', root], { now: NOW })).code).toBe(0);
    writeEntry(root, { seq: 1, sprint: 's2', agent: 'other', status: 'IN_PROGRESS', at: 1 }); // duplicate seq: INFO
    expect((await cos(['scan', '--fail-on', 'INFO', '--dir', root], { now: NOW })).code).toBe(2);
  });

  it('takes its default from scan.fail_on in coordination.yaml', async () => {
    const root = staleRepo();
    mkdirSync(join(root, '.agent/config'), { recursive: true });
    writeFileSync(join(root, '.agent/config/coordination.yaml'), 'version: 1\nscan:\n  fail_on: WARN\n');
    expect((await cos(['scan', '--dir', root], { now: NOW })).code).toBe(2);
    expect((await cos(['scan', '--fail-on', 'URGENT', '--dir', root], { now: NOW })).code).toBe(0);
  });

  it('a bad --fail-on exits 1 naming the value', async () => {
    const result = await cos(['scan', '--fail-on', 'LOUD', '--dir', staleRepo()], { now: NOW });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"LOUD"');
  });

  it('the built CLI exits 2 as a process too, and cos health is the same command', async () => {
    const root = testdir();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'a', status: 'IN_PROGRESS', at: 1 });
    writeEntry(root, { seq: 2, sprint: 's1', agent: 'b', status: 'IN_PROGRESS', at: 1 });
    const scan = await runCli(['scan', '--json', '--dir', root]);
    expect(scan.code).toBe(2);
    const health = await runCli(['health', '--json', '--dir', root]);
    expect(health.code).toBe(2);
    expect(JSON.parse(health.stdout).findings).toEqual(JSON.parse(scan.stdout).findings);
    expect(JSON.parse(scan.stdout).findings[0].kind).toBe('conflict');
  });
});

describe('cos scan output', () => {
  it('groups by severity, most severe first, with the action and files, and a summary line', async () => {
    const root = staleRepo();
    const u = writeEntry(root, { seq: 2, sprint: 's2', agent: 'dev', status: 'BLOCKED', severity: 'URGENT' });
    const { stdout } = await cos(['scan', '--dir', root], { now: NOW });
    const urgent = stdout.indexOf('URGENT (1)');
    const warn = stdout.indexOf('WARN (1)');
    expect(urgent).toBeGreaterThanOrEqual(0);
    expect(warn).toBeGreaterThan(urgent);
    expect(stdout).toContain('escalation s2:');
    expect(stdout).toContain(`→ cos resolve ${u.file}\n`);
    expect(stdout).toContain(u.path);
    expect(stdout).toMatch(/2 findings \(1 URGENT, 1 WARN\) over 2 entries; fail-on URGENT: 1 at or above URGENT: exit 2\.\n$/);
  });

  it('says all clear on an empty or missing store', async () => {
    const empty = await cos(['scan', '--dir', testdir()], { now: NOW });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('All clear: no findings over 0 entries');
    const json = await cos(['scan', '--json', '--dir', testdir()], { now: NOW });
    expect(JSON.parse(json.stdout)).toEqual({ version: 1, findings: [], entries: 0, problems: 0 });
  });
});

describe('claim lock', () => {
  it('a lock left by a holder killed mid-claim is taken over once stale', async () => {
    const root = testdir();
    expect((await cos(['init', '--dir', root])).code).toBe(0);
    const lock = join(root, '.agent/status/.claims/sprint-s1.lock');
    mkdirSync(lock, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const result = await cos(['dispatch', 'developer', 's1', '--dir', root], { now: NOW });
    expect(result.code, result.stderr).toBe(0);
  });
});
