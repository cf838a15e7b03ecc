/**
 * cos watch and plans, through the built CLI: `ready` events as a diamond's steps are VERIFIED, and
 * `--spawn` with `--max-parallel 2` over four independent steps, across a restart of the watcher.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { gitdir } from '../helpers/tmp.js';
import { running, track, until } from './procs.js';
import { startWatcher, type Line } from './watcher.js';

const step = (sprint: string, deps: string[] = []) =>
  `  - sprint: ${sprint}\n    title: Step ${sprint}\n    role: developer\n    done_when: it works\n    depends_on: [${deps.join(', ')}]\n`;

async function cli(dir: string, ...args: string[]) {
  const result = await runCli(['--dir', dir, ...args]);
  expect(result.code, `cos ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

async function applyPlan(dir: string, name: string, steps: string): Promise<void> {
  writeFileSync(join(dir, `${name}.yaml`), `summary: ${name}\nsteps:\n${steps}`);
  await cli(dir, 'plan', 'apply', `${name}.yaml`);
}

async function finish(dir: string, sprint: string): Promise<void> {
  await cli(dir, 'dispatch', 'developer', sprint, '--agent', `dev-${sprint}`);
  const complete = JSON.parse((await cli(dir, 'post', '--sprint', sprint, '--agent', `dev-${sprint}`, '--status', 'COMPLETE', '--json')).stdout);
  await cli(dir, 'post', '--sprint', sprint, '--agent', 'qa', '--status', 'VERIFIED', '--verifies', complete.entry.file);
}

describe('cos watch ready events', () => {
  it('a diamond: the root is READY at start; each VERIFIED step makes its dependents READY, once each', async () => {
    const dir = gitdir();
    await cli(dir, 'init');
    await applyPlan(dir, 'diamond', step('root') + step('left', ['root']) + step('right', ['root']) + step('join', ['left', 'right']) + step('ship', ['join']));
    const watcher = startWatcher(dir, ['--no-notion']);
    const ready = (sprint: string) => watcher.waitFor((l) => l.event === 'ready' && l.sprint === sprint, `ready ${sprint}`, 60_000);
    expect(await ready('root')).toMatchObject({ version: 1, event: 'ready', sprint: 'root', role: 'developer', plan: 'diamond', title: 'Step root', initial: true });
    await watcher.waitFor((l) => l.event === 'watching', 'watching');
    await finish(dir, 'root');
    await Promise.all([ready('left'), ready('right')]);
    await finish(dir, 'left');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watcher.lines.some((l) => l.event === 'ready' && l.sprint === 'join')).toBe(false);
    await finish(dir, 'right');
    expect((await ready('join')).initial).toBeUndefined();
    await finish(dir, 'join');
    await ready('ship');
    const order = watcher.lines.filter((l) => l.event === 'ready').map((l: Line) => l.sprint);
    expect(order.slice(0, 1)).toEqual(['root']);
    expect(order.slice(1, 3).sort()).toEqual(['left', 'right']);
    expect(order.slice(3)).toEqual(['join', 'ship']);
    watcher.child.kill('SIGTERM');
    expect((await watcher.exited).code).toBe(0);
  }, 240_000);
});

/** The spawned agent: posts IN_PROGRESS, waits for its go file, posts COMPLETE. */
const AGENT = `
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const { COS_SPRINT: sprint, COS_AGENT: agent, COS_ROLE: role, COS_BRIEFING: briefing, COS_DIR: dir, COS_CLI: cli } = process.env;
appendFileSync(dir + '/starts.log', JSON.stringify({ sprint, agent, role, briefing: existsSync(briefing), pid: process.pid }) + '\\n');
const post = (status) => execFileSync(process.execPath, [cli, 'post', '--dir', dir, '--sprint', sprint, '--agent', agent, '--status', status]);
post('IN_PROGRESS');
const timer = setInterval(() => {
  if (!existsSync(dir + '/go-' + sprint)) return;
  clearInterval(timer);
  post('COMPLETE');
  writeFileSync(dir + '/done-' + sprint, '');
}, 100);
`;

interface Start {
  sprint: string;
  agent: string;
  role: string;
  briefing: boolean;
  pid: number;
}

function starts(dir: string): Start[] {
  if (!existsSync(join(dir, 'starts.log'))) return [];
  return readFileSync(join(dir, 'starts.log'), 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Start);
}

/** The most plan sprints held at once, replaying the entries in order: DISPATCHED holds, COMPLETE frees. */
function maxHeld(dir: string): number {
  const current = join(dir, '.agent/status/current');
  const held = new Set<string>();
  let max = 0;
  for (const name of readdirSync(current).filter((n) => n.endsWith('.md')).sort()) {
    const text = readFileSync(join(current, name), 'utf8');
    const sprint = /^sprint: (.+)$/m.exec(text)![1]!;
    const status = /^status: (.+)$/m.exec(text)![1]!;
    if (status === 'DISPATCHED') held.add(sprint);
    if (status === 'COMPLETE') held.delete(sprint);
    max = Math.max(max, held.size);
  }
  return max;
}

describe('cos watch --spawn', () => {
  it('--max-parallel 2 over 4 independent steps: never more than 2 held, each spawned once, across a restart that leaves the agents running', async () => {
    const dir = gitdir();
    await cli(dir, 'init');
    writeFileSync(join(dir, 'agent.mjs'), AGENT);
    await applyPlan(dir, 'four', step('s1') + step('s2') + step('s3') + step('s4'));
    const args = ['--no-notion', '--spawn', `"${process.execPath}" agent.mjs`, '--max-parallel', '2'];
    const env = { COS_CLI: CLI };
    const go = (sprint: string) => writeFileSync(join(dir, `go-${sprint}`), '');
    const done = (sprint: string) => until(() => existsSync(join(dir, `done-${sprint}`)), `${sprint}'s agent did not finish`, 60_000);

    let watcher = startWatcher(dir, args, env);
    await until(() => starts(dir).length === 2, 'two agents did not start', 60_000);
    for (const start of starts(dir)) track(start.pid);
    // The two agents are separate processes started one after the other: under load the second
    // may write its start line first, so the order of the lines is not asserted.
    const first = starts(dir).map((s) => s.sprint);
    expect([...first].sort()).toEqual(['s1', 's2']);
    expect(starts(dir).find((s) => s.sprint === 's1')).toMatchObject({ agent: 'developer-s1', role: 'developer', briefing: true });
    const spawned = await watcher.waitFor((l) => l.event === 'spawned' && l.sprint === 's2', 'spawned s2');
    expect(spawned).toMatchObject({ role: 'developer', agent: 'developer-s2' });
    // Both slots are held: nothing more starts.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(starts(dir)).toHaveLength(2);

    // A restart: the watcher stops, its agents run on.
    watcher.child.kill('SIGTERM');
    expect((await watcher.exited).code).toBe(0);
    for (const start of starts(dir)) expect(running(start.pid)).toBe(true);
    go('s1');
    await done('s1');
    watcher = startWatcher(dir, args, env);
    await until(() => starts(dir).length === 3, 'the third agent did not start after the restart', 60_000);
    expect(starts(dir)[2]!.sprint).toBe('s3');
    track(starts(dir)[2]!.pid);
    // s2's agent (started before the restart, in either order with s1's) is still running.
    expect(running(starts(dir).find((s) => s.sprint === 's2')!.pid)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(starts(dir)).toHaveLength(3);

    go('s2');
    await done('s2');
    await until(() => starts(dir).length === 4, 'the fourth agent did not start', 60_000);
    track(starts(dir)[3]!.pid);
    go('s3');
    go('s4');
    await Promise.all([done('s3'), done('s4')]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(starts(dir).map((s) => s.sprint).sort()).toEqual(['s1', 's2', 's3', 's4']);
    expect(maxHeld(dir)).toBe(2);
    const ledger = readFileSync(join(dir, '.git/cos/spawned.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect([...new Set(ledger.map((r: { sprint: string }) => r.sprint))].sort()).toEqual(['s1', 's2', 's3', 's4']);
    watcher.child.kill('SIGTERM');
    expect((await watcher.exited).code).toBe(0);
    // Nothing left to spawn, nothing spawned twice.
    expect(starts(dir)).toHaveLength(4);
  }, 300_000);
});
