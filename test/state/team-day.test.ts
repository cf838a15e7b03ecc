/**
 * A whole day of a team, end to end through the built CLI (dist/cli.js as a child process): two
 * sprints, a stale agent replaced by force, an URGENT raised, acknowledged and resolved, a claim
 * rejected and a second attempt, verification, archive. After each step the expected
 * `cos status --json` is kept in a readable fixture (test/state/fixtures/team-day.json), with
 * times and entry file names normalised. `UPDATE_FIXTURES=1` rewrites it (then read the diff).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const FIXTURE = new URL('./fixtures/team-day.json', import.meta.url);
const ENV = { COS_AGENT: '', COLUMNS: '200' };

interface Step {
  step: string;
  /** What the team ran (cos …), for the reader. */
  commands: string[];
  status: unknown;
}

/**
 * ISO times → "<time>"; entry file names → "<NNN>-<agent>.md", so the fixture reads as a story;
 * sprints by name (two sprints updated in the same second would otherwise swap places).
 */
function normalise(value: unknown): unknown {
  const document = value as { sprints?: Array<{ sprint: string }> };
  if (Array.isArray(document.sprints)) document.sprints = [...document.sprints].sort((a, b) => (a.sprint < b.sprint ? -1 : 1));
  return JSON.parse(
    JSON.stringify(value)
      .replace(/(\d{3,})-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-/g, '$1-')
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/g, '<time>'),
  );
}

async function cos(root: string, args: string[], input?: string): Promise<string> {
  const result = await runCli([...args, '--dir', root], { env: ENV, ...(input !== undefined ? { input } : {}) });
  if (result.code !== 0) throw new Error(`cos ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** Rewind an entry's heartbeat by `minutes`: the agent went silent that long ago. */
function silence(root: string, path: string, minutes: number): void {
  const file = join(root, path);
  const text = readFileSync(file, 'utf8');
  const old = new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  writeFileSync(file, text.replace(/^heartbeat: .*$/m, `heartbeat: ${old}`));
}

describe('a team day through the CLI', () => {
  it('matches the status after every step', { timeout: 600_000 }, async () => {
    const root = testdir();
    const steps: Step[] = [];
    const post = async (args: string[]) => JSON.parse(await cos(root, ['post', '--json', ...args])).entry as { file: string; name: string };
    const record = async (step: string, commands: string[][]) => {
      const status = JSON.parse(await cos(root, ['status', '--json']));
      steps.push({ step, commands: commands.map((words) => (words[0]!.startsWith('(') ? words.join(' ') : `cos ${words.join(' ')}`)), status: normalise(status) });
    };

    await cos(root, ['init']);
    await cos(root, ['dispatch', 'developer', 'search-ui', '--agent', 'dev-c']);
    await post(['--sprint', 'search-ui', '--agent', 'dev-c', '--status', 'IN_PROGRESS', '--message', 'starting the search box']);
    await cos(root, ['dispatch', 'developer', 'results-api', '--agent', 'dev-a']);
    const devA = await post(['--sprint', 'results-api', '--agent', 'dev-a', '--status', 'IN_PROGRESS']);
    await record('morning: two sprints dispatched, both agents at work', [
      ['dispatch', 'developer', 'search-ui', '--agent', 'dev-c'],
      ['post', '--sprint', 'search-ui', '--agent', 'dev-c', '--status', 'IN_PROGRESS'],
      ['dispatch', 'developer', 'results-api', '--agent', 'dev-a'],
      ['post', '--sprint', 'results-api', '--agent', 'dev-a', '--status', 'IN_PROGRESS'],
    ]);

    // dev-c goes silent: its latest entry's heartbeat is two hours old.
    const devCFile = readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('-dev-c.md')).sort().pop()!;
    silence(root, `.agent/status/current/${devCFile}`, 120);
    await record('dev-c went silent: search-ui is STALE', [['(two hours pass without a heartbeat from dev-c)']]);

    const stale = JSON.parse((await runCli(['scan', '--json', '--dir', root], { env: ENV })).stdout).findings.find((f: { kind: string }) => f.kind === 'stale');
    expect(stale.action).toBe('cos dispatch developer search-ui --agent dev-c --force');
    await cos(root, ['dispatch', 'developer', 'search-ui', '--agent', 'dev-d', '--force']);
    await record('dev-d replaces dev-c by force: dev-c is superseded and holds nothing', [['dispatch', 'developer', 'search-ui', '--agent', 'dev-d', '--force']]);

    await post(['--sprint', 'search-ui', '--agent', 'dev-d', '--status', 'IN_PROGRESS']);
    const urgent = await post(['--sprint', 'results-api', '--agent', 'dev-a', '--status', 'BLOCKED', '--severity', 'URGENT', '--message', 'need the API key']);
    await record('dev-a raises an URGENT: results-api is BLOCKED', [
      ['post', '--sprint', 'search-ui', '--agent', 'dev-d', '--status', 'IN_PROGRESS'],
      ['post', '--sprint', 'results-api', '--agent', 'dev-a', '--status', 'BLOCKED', '--severity', 'URGENT'],
    ]);

    await cos(root, ['ack', urgent.file, '--agent', 'lead']);
    await record('the lead acknowledges it: a NOTE, nothing changes state', [['ack', '<the URGENT entry>', '--agent', 'lead']]);

    const escalation = JSON.parse((await runCli(['scan', '--json', '--dir', root], { env: ENV })).stdout).findings.find((f: { kind: string }) => f.kind === 'escalation');
    expect(escalation.action).toBe(`cos resolve ${urgent.name}`);
    await cos(root, ['resolve', urgent.name, '--agent', 'lead', '--message', 'key is in the vault']);
    await record('the lead resolves it as the finding says: no open finding, the lead holds nothing', [['resolve', '<the URGENT entry>', '--agent', 'lead']]);

    await post(['--sprint', 'results-api', '--agent', 'dev-a', '--status', 'IN_PROGRESS', '--message', 'unblocked']);
    const claim1 = await post(['--sprint', 'search-ui', '--agent', 'dev-d', '--status', 'COMPLETE', '--message', 'search box done']);
    await record('dev-a carries on; dev-d claims search-ui COMPLETE (awaiting review)', [
      ['post', '--sprint', 'results-api', '--agent', 'dev-a', '--status', 'IN_PROGRESS'],
      ['post', '--sprint', 'search-ui', '--agent', 'dev-d', '--status', 'COMPLETE'],
    ]);

    const unverified = JSON.parse((await runCli(['scan', '--json', '--dir', root], { env: ENV })).stdout).findings.find((f: { kind: string }) => f.kind === 'unverified');
    expect(unverified.action).toBe('cos dispatch qa-reviewer search-ui');
    await cos(root, ['dispatch', 'qa-reviewer', 'search-ui']);
    await post(['--sprint', 'search-ui', '--agent', 'qa-reviewer', '--status', 'FAILED', '--verifies', claim1.file, '--error', 'stale results after typing']);
    await record('qa rejects the claim: search-ui FAILED (attempt 1)', [
      ['dispatch', 'qa-reviewer', 'search-ui'],
      ['post', '--sprint', 'search-ui', '--agent', 'qa-reviewer', '--status', 'FAILED', '--verifies', '<the COMPLETE>', '--error', 'stale results after typing'],
    ]);

    await cos(root, ['dispatch', 'developer', 'search-ui', '--agent', 'dev-d']);
    await post(['--sprint', 'search-ui', '--agent', 'dev-d', '--status', 'IN_PROGRESS', '--message', 'second attempt']);
    await post(['--sprint', 'search-ui', '--agent', 'dev-d', '--status', 'COMPLETE', '--message', 'debounced the query']);
    await cos(root, ['dispatch', 'qa-reviewer', 'search-ui']);
    await post(['--sprint', 'search-ui', '--agent', 'qa-reviewer', '--status', 'VERIFIED', '--message', 'typed, waited, results fresh']);
    await record('a second attempt, verified: search-ui VERIFIED', [
      ['dispatch', 'developer', 'search-ui', '--agent', 'dev-d'],
      ['post', '--sprint', 'search-ui', '--agent', 'dev-d', '--status', 'IN_PROGRESS'],
      ['post', '--sprint', 'search-ui', '--agent', 'dev-d', '--status', 'COMPLETE'],
      ['dispatch', 'qa-reviewer', 'search-ui'],
      ['post', '--sprint', 'search-ui', '--agent', 'qa-reviewer', '--status', 'VERIFIED'],
    ]);

    await post(['--sprint', 'results-api', '--agent', 'dev-a', '--status', 'COMPLETE']);
    const archivedEarly = JSON.parse(await cos(root, ['archive', '--json']));
    // search-ui's 12 entries move as a finished sprint; results-api's unverified claim stays.
    expect(archivedEarly.moved.map((move: { to: string; reason: string }) => `${move.to.split('/')[3]} ${move.reason}`)).toEqual(Array(12).fill('search-ui finished-sprint'));
    expect(readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md'))).toContain(devA.name);
    await record('dev-a claims results-api; archive moves only the finished sprint (search-ui)', [
      ['post', '--sprint', 'results-api', '--agent', 'dev-a', '--status', 'COMPLETE'],
      ['archive'],
    ]);

    await cos(root, ['dispatch', 'qa-reviewer', 'results-api']);
    await post(['--sprint', 'results-api', '--agent', 'qa-reviewer', '--status', 'VERIFIED']);
    await cos(root, ['archive']);
    await record('results-api verified and archived: nothing left in view', [
      ['dispatch', 'qa-reviewer', 'results-api'],
      ['post', '--sprint', 'results-api', '--agent', 'qa-reviewer', '--status', 'VERIFIED'],
      ['archive'],
    ]);
    const all = JSON.parse(await cos(root, ['status', '--json', '--all']));
    steps.push({ step: 'the day in cos status --all', commands: ['cos status --all'], status: normalise(all) });

    const text = `${JSON.stringify(steps, null, 2)}\n`;
    if (process.env.UPDATE_FIXTURES === '1') writeFileSync(FIXTURE, text);
    expect(steps).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });
});
