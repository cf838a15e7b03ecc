/**
 * Each repro of issue 10, through the built CLI (dist/cli.js as a child process), with the
 * behaviour the version 2 contract asks for.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const ENV = { COS_AGENT: '', COLUMNS: '100' };

async function run(root: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli([...args, '--dir', root], { env: { ...ENV, ...env } });
}

async function ok(root: string, args: string[]): Promise<string> {
  const result = await run(root, args);
  if (result.code !== 0) throw new Error(`cos ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

async function post(root: string, ...args: string[]): Promise<{ file: string; name: string }> {
  return JSON.parse(await ok(root, ['post', '--json', ...args])).entry;
}

async function project(): Promise<string> {
  const root = testdir();
  await ok(root, ['init']);
  return root;
}

const entryNames = (root: string) => readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md')).sort();
const status = async (root: string) => JSON.parse(await ok(root, ['status', '--json'])).sprints as Array<{ sprint: string; state: string; severity: string | null; flags: string[]; agents: Array<{ agent: string; holding: boolean }> }>;
const scan = async (root: string) => JSON.parse((await run(root, ['scan', '--json', '--fail-on', 'never'])).stdout).findings as Array<{ kind: string; sprint: string; action: string; files: string[] }>;
const row = async (root: string, sprint: string) => (await status(root)).find((s) => s.sprint === sprint)!;

describe('issue 10 repros, through the built CLI', { timeout: 120_000 }, () => {
  it('a rejection (FAILED --verifies) without --error is exit 1 naming --error, nothing written; with --error it rejects the claim', async () => {
    const root = await project();
    const claim = await post(root, '--sprint', 'a', '--agent', 'dev', '--status', 'COMPLETE');
    const before = entryNames(root);
    const bare = await run(root, ['post', '--sprint', 'a', '--agent', 'qa', '--status', 'FAILED', '--verifies', claim.file]);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toBe('');
    expect(bare.stderr.trim().split('\n')).toHaveLength(1);
    expect(bare.stderr).toContain(`A rejection (--status FAILED --verifies ${claim.name}) needs --error SIG saying what failed`);
    const empty = await run(root, ['post', '--sprint', 'a', '--agent', 'qa', '--status', 'FAILED', '--verifies', claim.file, '--error', '']);
    expect(empty.code).toBe(1);
    expect(entryNames(root)).toEqual(before);
    // A FAILED that reviews nothing keeps --error optional (an attempt that failed, as in version 1).
    await post(root, '--sprint', 'b', '--agent', 'dev', '--status', 'FAILED');
    await post(root, '--sprint', 'a', '--agent', 'qa', '--status', 'FAILED', '--verifies', claim.file, '--error', 'results.spec fails');
    expect(await row(root, 'a')).toMatchObject({ state: 'FAILED' });
  });

  it('a VERIFIED naming another sprint’s COMPLETE, its own COMPLETE, or on a sprint with no COMPLETE is exit 1, one sentence, nothing written', async () => {
    const root = await project();
    const a = await post(root, '--sprint', 'a', '--agent', 'dev1', '--status', 'COMPLETE');
    await post(root, '--sprint', 'b', '--agent', 'dev2', '--status', 'IN_PROGRESS');
    const before = entryNames(root);

    const other = await run(root, ['post', '--sprint', 'b', '--agent', 'qa', '--status', 'VERIFIED', '--verifies', a.file]);
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(`cos post: Invalid verifies "${a.name}": it is an entry of sprint a, not b; a review checks a COMPLETE of its own sprint.\n`);
    const own = await run(root, ['post', '--sprint', 'a', '--agent', 'dev1', '--status', 'VERIFIED', '--verifies', a.name]);
    expect(own.code).toBe(1);
    expect(own.stderr).toMatch(/^cos post: Invalid verifies "[^"]+": it is dev1's own COMPLETE; a different agent reviews a claim\.\n$/);
    const none = await run(root, ['post', '--sprint', 'b', '--agent', 'qa', '--status', 'VERIFIED']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('cos post: Nothing to verify on sprint b: it has no unverified COMPLETE by another agent; name one with --verifies FILE.\n');
    const notComplete = await run(root, ['post', '--sprint', 'b', '--agent', 'qa', '--status', 'VERIFIED', '--verifies', before[1]!]);
    expect(notComplete.code).toBe(1);
    expect(notComplete.stderr).toContain('is IN_PROGRESS, not COMPLETE');
    expect(entryNames(root)).toEqual(before);

    // b stays with its real holder; scan does not say all clear about a.
    expect(await row(root, 'b')).toMatchObject({ state: 'IN_PROGRESS' });
    expect((await scan(root)).map((f) => `${f.kind}:${f.sprint}`)).toEqual(['unverified:a']);
    // Without --verifies, another agent's VERIFIED picks the latest unverified COMPLETE, by file name.
    const picked = JSON.parse(await ok(root, ['post', '--json', '--sprint', 'a', '--agent', 'qa', '--status', 'VERIFIED'])).entry;
    expect(picked.verifies).toBe(a.name);
    expect(await row(root, 'a')).toMatchObject({ state: 'VERIFIED', severity: null });
  });

  it('a VERIFIED that breaks the rules and arrives by hand counts for nothing and is an invalid-verification finding', async () => {
    const root = await project();
    const claim = await post(root, '--sprint', 'a', '--agent', 'dev', '--status', 'COMPLETE');
    // The agent's own VERIFIED, written by hand (as a merge could bring it).
    const text = readFileSync(join(root, claim.file), 'utf8').replace('status: COMPLETE', `status: VERIFIED\nverifies: ${claim.name}`);
    const forged = claim.name.replace(/^001-/, '900-');
    writeFileSync(join(root, '.agent/status/current', forged), text);
    expect(await row(root, 'a')).toMatchObject({ state: 'COMPLETE' });
    const findings = await scan(root);
    expect(findings.map((f) => f.kind).sort()).toEqual(['invalid-verification', 'unverified']);
    const invalid = findings.find((f) => f.kind === 'invalid-verification')!;
    expect(invalid.action).toBe(`cos resolve ${forged}`);
    await ok(root, invalid.action.split(' ').slice(1));
    expect((await scan(root)).map((f) => f.kind)).toEqual(['unverified']);
  });

  it('a stale agent replaced with --force: the superseded agent holds nothing; the sprint finishes and archives', async () => {
    const root = await project();
    await ok(root, ['dispatch', 'developer', 'search-ui', '--agent', 'dev-c']);
    const silent = await post(root, '--sprint', 'search-ui', '--agent', 'dev-c', '--status', 'IN_PROGRESS', '--ttl', '1');
    const path = join(root, silent.file);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^heartbeat: .*$/m, 'heartbeat: 2026-01-01T00:00:00Z'));
    expect(await row(root, 'search-ui')).toMatchObject({ state: 'STALE' });
    await ok(root, ['dispatch', 'developer', 'search-ui', '--agent', 'dev-d', '--force']);
    await post(root, '--sprint', 'search-ui', '--agent', 'dev-d', '--status', 'COMPLETE');
    await ok(root, ['dispatch', 'qa-reviewer', 'search-ui']);
    await post(root, '--sprint', 'search-ui', '--agent', 'qa-reviewer', '--status', 'VERIFIED');
    const done = await row(root, 'search-ui');
    expect(done.state).toBe('VERIFIED');
    expect(done.agents.find((a) => a.agent === 'dev-c')).toMatchObject({ holding: false });
    expect(await scan(root)).toEqual([]);
    const archived = JSON.parse(await ok(root, ['archive', '--json']));
    expect(archived.moved).toHaveLength(6);
    expect(await status(root)).toEqual([]);
  });

  it('resolving an escalation as cos advises makes nobody a holder, and the unverified finding’s action works as printed', async () => {
    const root = await project();
    await ok(root, ['dispatch', 'developer', 'wiring', '--agent', 'dev']);
    const urgent = await post(root, '--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS', '--severity', 'URGENT', '--message', 'which database?');
    const escalation = (await scan(root)).find((f) => f.kind === 'escalation')!;
    expect(escalation.action).toBe(`cos resolve ${urgent.name}`);
    const resolved = await run(root, escalation.action.split(' ').slice(1), { COS_AGENT: 'lead' });
    expect(resolved.code).toBe(0);
    const note = readFileSync(join(root, resolved.stdout.trim()), 'utf8');
    expect(note).toMatch(/^status: NOTE$/m);
    expect(note).toMatch(/^agent: lead$/m);
    expect(note).toContain(`resolves: ${urgent.name}`);
    expect(await scan(root)).toEqual([]);
    expect(await row(root, 'wiring')).toMatchObject({ state: 'IN_PROGRESS', severity: null, agents: [{ agent: 'dev', holding: true }] });
    await post(root, '--sprint', 'wiring', '--agent', 'dev', '--status', 'COMPLETE');
    const unverified = (await scan(root)).find((f) => f.kind === 'unverified')!;
    expect(unverified.action).toBe('cos dispatch qa-reviewer wiring');
    const dispatched = await run(root, unverified.action.split(' ').slice(1));
    expect(dispatched.code).toBe(0);
    // Following it created no finding by itself.
    expect(await scan(root)).toEqual([]);
  });

  it('STATE comes from the lifecycle, not the latest entry; SEVERITY is the highest open finding; AGENTS fits the terminal', { timeout: 360_000 }, async () => {
    const root = await project();
    await post(root, '--sprint', 's', '--agent', 'dev', '--status', 'IN_PROGRESS');
    await post(root, '--sprint', 's', '--agent', 'lead', '--status', 'NOTE', '--message', 'looks good so far');
    expect(await row(root, 's')).toMatchObject({ state: 'IN_PROGRESS', severity: null });
    const urgent = await post(root, '--sprint', 's', '--agent', 'lead', '--status', 'NOTE', '--severity', 'URGENT', '--message', 'customer waiting');
    expect(await row(root, 's')).toMatchObject({ state: 'IN_PROGRESS', severity: 'URGENT', flags: ['escalation'] });
    await ok(root, ['resolve', urgent.name, '--agent', 'lead']);
    expect(await row(root, 's')).toMatchObject({ state: 'IN_PROGRESS', severity: null, flags: [] });
    for (let i = 0; i < 25; i++) await post(root, '--sprint', 'crowd', '--agent', `reviewer-with-a-long-name-${i}`, '--status', 'COMPLETE');
    const text = await run(root, ['status'], { COLUMNS: '100' });
    const lines = text.stdout.split('\n').filter(Boolean);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(text.stdout).toMatch(/^crowd\s+COMPLETE\s+.*\+\d+ more/m);
    expect(text.stdout).toMatch(/^s\s+IN_PROGRESS\s+dev:IN_PROGRESS\s+\S+\s+-\s+-$/m);
  });

  it('cos archive never moves an unverified COMPLETE as finished; a sprint with an open finding stays in cos status', async () => {
    const root = await project();
    const claim = await post(root, '--sprint', 'a', '--agent', 'dev', '--status', 'COMPLETE');
    const archived = JSON.parse(await ok(root, ['archive', '--json']));
    expect(archived.moved).toEqual([]);
    expect(existsSync(join(root, claim.file))).toBe(true);
    expect(await status(root)).toEqual([expect.objectContaining({ sprint: 'a', state: 'COMPLETE', severity: 'WARN', flags: ['unverified'] })]);
    // With verification: optional, a COMPLETE is finished.
    const config = join(root, '.agent/config/coordination.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('verification: required', 'verification: optional'));
    expect(JSON.parse(await ok(root, ['archive', '--json'])).moved).toHaveLength(1);
    expect(await status(root)).toEqual([]);
  });

  it('outside a project: exit 1 with one sentence (hook exits 0 silently), and cos post creates nothing', async () => {
    const dir = testdir();
    for (const command of [['status'], ['scan'], ['brief'], ['post', '--sprint', 's', '--agent', 'a', '--status', 'IN_PROGRESS'], ['resolve', 'x.md'], ['archive'], ['dispatch', 'developer', 's']]) {
      const result = await runCli(command, { cwd: dir, env: ENV });
      expect(result.code, command.join(' ')).toBe(1);
      expect(result.stderr).toBe(`cos ${command[0]}: No .agent/ here (or above); run cos init first.\n`);
      expect(result.stdout).toBe('');
    }
    const hook = await runCli(['hook', 'post-tool-use'], { cwd: dir, env: ENV, input: JSON.stringify({ session_id: 's', cwd: dir, hook_event_name: 'PostToolUse' }) });
    expect(hook).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect((await runCli(['status', '--help'], { cwd: dir, env: ENV })).code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a newer protocol is one sentence naming the agent-cos it needs; init writes protocol 2', async () => {
    const root = await project();
    const config = join(root, '.agent/config/coordination.yaml');
    expect(readFileSync(config, 'utf8')).toMatch(/^protocol: 2$/m);
    writeFileSync(config, readFileSync(config, 'utf8').replace('protocol: 2', 'protocol: 3'));
    const result = await run(root, ['status']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cos status: \.agent\/config\/coordination\.yaml says protocol 3, which this agent-cos \([\d.]+, protocol 2\) does not know; this repository needs agent-cos 0\.3\.0 or later \(npm install agent-cos@latest\)\.\n$/);
  });

  it('JSON: post --json carries the body; timestamps have whole seconds; cos ack writes acknowledges', async () => {
    const root = await project();
    const posted = JSON.parse(await ok(root, ['post', '--json', '--sprint', 's', '--agent', 'dev', '--status', 'BLOCKED', '--severity', 'BLOCKER', '--message', 'no disk']));
    expect(posted.entry.body).toContain('no disk');
    expect(posted.entry.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const ack = JSON.parse(await ok(root, ['ack', posted.entry.file, '--agent', 'lead', '--json']));
    expect(ack.entry).toMatchObject({ status: 'NOTE', agent: 'lead', acknowledges: posted.entry.name, sprint: 's' });
    expect((await scan(root)).map((f) => f.kind)).toEqual(['escalation']);
    const notEscalation = await run(root, ['ack', ack.entry.name]);
    expect(notEscalation.code).toBe(1);
    expect(notEscalation.stderr).toContain('not an escalation');
  });
});
