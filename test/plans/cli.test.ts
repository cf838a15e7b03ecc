/** Plans through the built CLI (dist/cli.js) as child processes: a diamond, invalid plans, replans. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git, gitdir, testdir } from '../helpers/tmp.js';

const DIAMOND = `summary: Ship the results page
steps:
  - sprint: root
    title: Lay the schema
    role: developer
    done_when: the schema migrates
  - sprint: left
    title: The API
    role: developer
    done_when: the API tests pass
    depends_on: [root]
  - sprint: right
    title: The page
    role: developer
    done_when: the page renders
    depends_on: [root]
  - sprint: join
    title: Wire them
    role: developer
    done_when: the end-to-end test passes
    depends_on: [left, right]
  - sprint: ship
    title: Release
    role: developer
    done_when: it is deployed
    depends_on: [join]
`;

async function cli(dir: string, ...args: string[]) {
  return runCli(['--dir', dir, ...args]);
}

async function readyJson(dir: string): Promise<{ ready: Array<{ sprint: string; role: string; plan: string }>; waiting: Array<{ sprint: string; waiting_on: string[] }> }> {
  const result = await cli(dir, 'ready', '--json');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

async function states(dir: string): Promise<Record<string, string>> {
  const result = await cli(dir, 'status', '--json');
  expect(result.code).toBe(0);
  return Object.fromEntries((JSON.parse(result.stdout).sprints as Array<{ sprint: string; state: string }>).map((row) => [row.sprint, row.state]));
}

/** Dispatch, claim done, verify by another agent: the sprint is finished. */
async function finish(dir: string, sprint: string): Promise<void> {
  expect((await cli(dir, 'dispatch', 'developer', sprint, '--agent', `dev-${sprint}`, '--json')).code).toBe(0);
  expect((await cli(dir, 'post', '--sprint', sprint, '--agent', `dev-${sprint}`, '--status', 'COMPLETE', '--message', 'done')).code).toBe(0);
  const verified = await cli(dir, 'post', '--sprint', sprint, '--agent', 'qa', '--status', 'VERIFIED', '--verifies', await completeOf(dir, sprint));
  expect(verified.code, verified.stderr).toBe(0);
}

/** The file name of the sprint's COMPLETE entry. */
async function completeOf(dir: string, sprint: string): Promise<string> {
  const current = join(dir, '.agent/status/current');
  return readdirSync(current).find((name) => name.endsWith(`-dev-${sprint}.md`) && /status: COMPLETE/.test(readFileSync(join(current, name), 'utf8')))!;
}

describe('a 5-step diamond plan', () => {
  it('only the root is READY; a WAITING step is refused; each VERIFIED step makes its dependents READY', async () => {
    const dir = gitdir();
    expect((await cli(dir, 'init')).code).toBe(0);
    writeFileSync(join(dir, 'diamond.yaml'), DIAMOND);
    expect((await cli(dir, 'plan', 'check', 'diamond.yaml')).code).toBe(0);
    const applied = await cli(dir, 'plan', 'apply', join(dir, 'diamond.yaml'), '--json');
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ version: 1, outcome: 'created', file: '.agent/plans/diamond.yaml', attempt: 1, attempt_cap: 3 });

    let queue = await readyJson(dir);
    expect(queue.ready).toEqual([{ sprint: 'root', role: 'developer', plan: 'diamond', title: 'Lay the schema' }]);
    expect(queue.waiting.map((w) => [w.sprint, w.waiting_on])).toEqual([
      ['left', ['root']],
      ['right', ['root']],
      ['join', ['left', 'right']],
      ['ship', ['join']],
    ]);
    expect(await states(dir)).toEqual({ root: 'READY', left: 'WAITING', right: 'WAITING', join: 'WAITING', ship: 'WAITING' });
    const text = await cli(dir, 'status');
    expect(text.stdout).toMatch(/join\s+WAITING\s+-\s+-\s+-\s+waits on left,right/);

    const refused = await cli(dir, 'dispatch', 'developer', 'join');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('join is WAITING on left, right (plan diamond)');
    expect(existsSync(join(dir, '.agent/status/current'))).toBe(true);
    expect(readdirSync(join(dir, '.agent/status/current')).filter((n) => n.endsWith('.md'))).toEqual([]);
    // A NOTE on the step (a lease taken ahead of the work) leaves it WAITING, and still refused.
    expect((await cli(dir, 'lease', '--sprint', 'join', '--agent', 'dev-join', 'src/join/**')).code).toBe(0);
    expect((await states(dir)).join).toBe('WAITING');
    const stillRefused = await cli(dir, 'dispatch', 'developer', 'join');
    expect(stillRefused.code, stillRefused.stdout).toBe(3);
    expect(stillRefused.stderr).toContain('join is WAITING on left, right (plan diamond)');
    // --json: the refusal is a document on stdout as well.
    const refusedJson = await cli(dir, 'dispatch', 'developer', 'join', '--json');
    expect(refusedJson.code).toBe(3);
    expect(JSON.parse(refusedJson.stdout)).toMatchObject({ version: 1, ok: false, error: { exit_code: 3, message: expect.stringContaining('join is WAITING on left, right (plan diamond)') } });
    const unknownRole = await cli(dir, 'dispatch', 'wizard', 'join', '--json');
    expect(unknownRole.code).toBe(1);
    expect(JSON.parse(unknownRole.stdout)).toMatchObject({ version: 1, ok: false, error: { code: expect.any(String), exit_code: 1 } });

    await finish(dir, 'root');
    queue = await readyJson(dir);
    expect(queue.ready.map((r) => r.sprint)).toEqual(['left', 'right']);
    expect(queue.waiting.map((w) => [w.sprint, w.waiting_on])).toEqual([
      ['join', ['left', 'right']],
      ['ship', ['join']],
    ]);
    expect(await states(dir)).toMatchObject({ root: 'VERIFIED', left: 'READY', right: 'READY', join: 'WAITING' });
    // The briefing's "What to dispatch next" takes the ready queue first.
    const brief = JSON.parse((await cli(dir, 'brief', '--json')).stdout);
    expect(brief.next.slice(0, 2).map((step: { action: string; command: string }) => [step.action, step.command])).toEqual([
      ['dispatch', 'cos dispatch developer left'],
      ['dispatch', 'cos dispatch developer right'],
    ]);
    expect(brief.waiting.map((w: { sprint: string }) => w.sprint)).toEqual(['join', 'ship']);
    expect((await cli(dir, 'brief')).stdout).toMatch(/## What to dispatch next\n\n- `left`: `cos dispatch developer left` — READY in plan diamond: The API/);

    await finish(dir, 'left');
    queue = await readyJson(dir);
    expect(queue.ready.map((r) => r.sprint)).toEqual(['right']);
    expect(queue.waiting.find((w) => w.sprint === 'join')!.waiting_on).toEqual(['right']);

    await finish(dir, 'right');
    expect((await readyJson(dir)).ready.map((r) => r.sprint)).toEqual(['join']);
    expect(await states(dir)).toMatchObject({ join: 'READY', ship: 'WAITING' });

    // --force overrides a WAITING step, and the entry says so.
    const forced = await cli(dir, 'dispatch', 'developer', 'ship', '--force', '--json');
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).entry.file).toMatch(/-developer\.md$/);
    const body = readFileSync(join(dir, JSON.parse(forced.stdout).entry.file), 'utf8');
    expect(body).toContain('Forced over: ship was WAITING on join (plan diamond), not finished.');
    expect((await states(dir)).ship).toBe('DISPATCHED');
  }, 300_000);
});

describe('invalid plans', () => {
  it('exit 1 with every problem listed at once on stderr, and nothing written', async () => {
    const dir = testdir();
    expect((await cli(dir, 'init')).code).toBe(0);
    writeFileSync(
      join(dir, 'bad.yaml'),
      `summary: bad
steps:
  - {sprint: a, title: t, role: developer, done_when: x, depends_on: [c]}
  - {sprint: b, title: t, role: wizard, done_when: x, depends_on: [a]}
  - {sprint: c, title: t, role: developer, done_when: x, depends_on: [b]}
  - {sprint: c, title: t, role: developer, done_when: x}
  - {sprint: d, title: t, role: developer, depends_on: [nope]}
  - {sprint: e, title: t, role: developer, done_when: x}
  - {sprint: f, title: t, role: developer, done_when: x}
`,
    );
    for (const sub of ['check', 'apply']) {
      const result = await cli(dir, 'plan', sub, 'bad.yaml');
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('is not valid (6 problems)');
      for (const line of [
        'steps: has 7 steps; a plan has at most 6',
        'step "a", depends_on: circular dependency: a → c → b → a',
        'step "b", role: unknown role "wizard"',
        'step "d", depends_on: "nope" is neither a step of this plan nor an existing sprint',
        'step "c", sprint: duplicate sprint: steps[2] and steps[3] are both "c"',
        'step "d", done_when: is required',
      ]) {
        expect(result.stderr).toContain(line);
      }
    }
    expect(readdirSync(join(dir, '.agent/plans'))).toEqual(['example.yaml.sample']);
    const json = await cli(dir, 'plan', 'check', 'bad.yaml', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).problems).toHaveLength(6);
  }, 60_000);

  it('a missing file, a folder, a YAML error and no .agent/ are one sentence each', async () => {
    const dir = testdir({ 'broken.yaml': 'summary: [unclosed\n', 'plans/x.yaml/.keep': '' });
    expect((await cli(dir, 'plan', 'check', 'broken.yaml')).stderr).toBe('cos plan: No .agent/ here (or above); run cos init first.\n');
    await cli(dir, 'init');
    const missing = await cli(dir, 'plan', 'check', 'nope.yaml');
    expect([missing.code, missing.stderr]).toEqual([1, 'cos plan: Cannot read the plan nope.yaml: no such file.\n']);
    expect((await cli(dir, 'plan', 'check', 'plans/x.yaml')).stderr).toBe('cos plan: Cannot read the plan plans/x.yaml: it is not a regular file.\n');
    const yaml = await cli(dir, 'plan', 'apply', 'broken.yaml');
    expect(yaml.code).toBe(1);
    expect(yaml.stderr).toMatch(/^cos plan: The plan broken.yaml is not valid YAML: .+\.\n$/);
  }, 60_000);
});

describe('the example plan of cos init', () => {
  it('is written as a sample (not read as a plan) and, copied, is a valid plan', async () => {
    const dir = testdir();
    expect((await cli(dir, 'init')).code).toBe(0);
    const sample = readFileSync(join(dir, '.agent/plans/example.yaml.sample'), 'utf8');
    expect(JSON.parse((await cli(dir, 'ready', '--json')).stdout)).toMatchObject({ ready: [], waiting: [], problems: [] });
    writeFileSync(join(dir, 'results.yaml'), sample);
    const checked = await cli(dir, 'plan', 'check', 'results.yaml');
    expect([checked.code, checked.stdout]).toEqual([0, 'results.yaml: a valid plan "results" of 3 steps.\n']);
  }, 60_000);
});

describe('replans', () => {
  it('with the default cap of 3: the plan and two replans are applied, the fourth is refused with a BLOCKER; git keeps every version', async () => {
    const dir = gitdir({ 'README.md': 'x\n' });
    expect((await cli(dir, 'init')).code).toBe(0);
    const plan = (n: number) => `summary: version ${n}\nsteps:\n  - sprint: only\n    title: Do it, take ${n}\n    role: developer\n    done_when: it works\n`;
    const file = join(dir, 'work.yaml');
    const outcomes: string[] = [];
    for (let n = 1; n <= 3; n++) {
      writeFileSync(file, plan(n));
      const result = await cli(dir, 'plan', 'apply', 'work.yaml', '--commit', '--json');
      expect(result.code, result.stderr).toBe(0);
      const out = JSON.parse(result.stdout);
      expect(out.attempt).toBe(n);
      expect(out.commit).toMatch(/^[0-9a-f]{40}$/);
      outcomes.push(out.outcome);
      // The same plan again changes nothing and counts nothing.
      const again = await cli(dir, 'plan', 'apply', 'work.yaml', '--json');
      expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'unchanged', attempt: n });
    }
    expect(outcomes).toEqual(['created', 'replanned', 'replanned']);
    writeFileSync(file, plan(4));
    const refused = await cli(dir, 'plan', 'apply', 'work.yaml', '--commit');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/Refused: the plan work was applied 3 times \(dispatch.attempt_cap 3\); a BLOCKER NOTE asks a human/);
    expect(readFileSync(join(dir, '.agent/plans/work.yaml'), 'utf8')).toContain('version 3');
    const scan = JSON.parse((await cli(dir, 'scan', '--json')).stdout);
    const escalation = scan.findings.find((f: { kind: string; sprint: string }) => f.kind === 'escalation' && f.sprint === 'plan-work');
    expect(escalation).toMatchObject({ severity: 'BLOCKER' });
    const note = readFileSync(join(dir, escalation.files[0]), 'utf8');
    expect(note).toContain('Replan of **work** refused');
    expect(note).toContain('Do it, take 4');
    // plan-work holds only the refusal NOTE: it is not a step, so it is NOTED (with its BLOCKER),
    // never READY; cos ready and the briefing do not offer it for dispatch.
    const rows = JSON.parse((await cli(dir, 'status', '--json')).stdout).sprints as Array<{ sprint: string; state: string; severity: string | null; flags: string[] }>;
    expect(rows.find((row) => row.sprint === 'plan-work')).toMatchObject({ state: 'NOTED', severity: 'BLOCKER', flags: ['escalation'] });
    expect(rows.find((row) => row.sprint === 'only')).toMatchObject({ state: 'READY' });
    expect((await cli(dir, 'status')).stdout).toMatch(/plan-work\s+NOTED\s+-\s+\S+\s+BLOCKER\s+escalation/);
    expect((await readyJson(dir)).ready.map((item) => item.sprint)).toEqual(['only']);
    const next = JSON.parse((await cli(dir, 'brief', '--json')).stdout).next as Array<{ sprint: string; action: string }>;
    expect(next.filter((item) => item.sprint === 'plan-work').map((item) => item.action)).toEqual(['hold']);
    expect(next.filter((item) => item.action === 'dispatch').map((item) => item.sprint)).toEqual(['only']);
    const log = git(dir, 'log', '--format=%s', '--', '.agent/plans/work.yaml').trim().split('\n');
    expect(log).toEqual(['cos plan apply: work attempt 3 of 3', 'cos plan apply: work attempt 2 of 3', 'cos plan apply: work attempt 1 of 3']);
    for (const [i, rev] of ['HEAD~3', 'HEAD~2', 'HEAD~1'].entries()) {
      expect(git(dir, 'show', `${rev}:.agent/plans/work.yaml`)).toContain(`version ${i + 1}`);
    }
    expect(git(dir, 'log', '-1', '--format=%s')).toContain('refused');
  }, 300_000);
});
