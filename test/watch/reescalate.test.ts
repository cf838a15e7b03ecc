/**
 * Re-escalation with an injected clock (the engine's `now` and timers): an unacknowledged URGENT
 * finding is raised at 0, 30 and 60 minutes, once per interval however many evaluations run in
 * between, and no more once it is acknowledged; notify routes run for new findings of their
 * severity with the same environment as --exec.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { agentPaths } from '../../src/store/paths.js';
import { postEntry, type PostInput } from '../../src/store/write.js';
import { createEngine } from '../../src/watch/engine.js';
import type { WatchEvent } from '../../src/watch/events.js';
import { readEntryFile } from '../../src/watch/files.js';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { FakeClock } from './fake-clock.js';

const START = new Date('2026-03-02T10:00:00Z');
const MIN = 60_000;

function setup(repeatMinutes = 30) {
  const root = testdir({ '.agent/config/coordination.yaml': 'version: 1\n' });
  const paths = agentPaths(root);
  const clock = new FakeClock(START);
  const events: WatchEvent[] = [];
  const config = structuredClone(DEFAULT_CONFIG);
  config.escalation.repeat_minutes = repeatMinutes;
  const engine = createEngine({ config, now: clock.now, timers: clock, emit: (e) => events.push(e) });
  const post = (input: Omit<PostInput, 'now'>) => {
    const entry = postEntry(root, { ...input, now: clock.now() });
    engine.put(readEntryFile(paths, join(root, entry.path), 'current')!);
    return entry;
  };
  /** [minutes since start, event, kind] of every finding-related event. */
  const raised = () =>
    events.filter((e) => e.event === 'finding' || e.event === 'reescalated' || e.event === 'resolved').map((e) => [Math.round((e.at.getTime() - START.getTime()) / MIN), e.event, 'finding' in e && e.finding ? e.finding.kind : '']);
  return { root, clock, engine, events, post, raised };
}

describe('re-escalation (escalation.repeat_minutes)', () => {
  it('raises an unacknowledged URGENT finding at 0, 30 and 60 minutes; none after cos ack', () => {
    const { clock, engine, post, raised } = setup();
    engine.evaluate({ initial: true });
    const blocked = post({ sprint: 'alpha', agent: 'ann', status: 'BLOCKED', severity: 'URGENT', message: 'need the API key' });
    clock.advance(1_000);
    expect(raised()).toEqual([[0, 'finding', 'escalation']]);
    // Other activity in between evaluates again and again: no extra re-escalation.
    for (let minute = 5; minute < 30; minute += 5) {
      clock.advance(5 * MIN - (minute === 5 ? 1_000 : 0));
      post({ sprint: 'beta', agent: 'bob', status: 'IN_PROGRESS', message: `step ${minute}` });
    }
    clock.advance(5 * MIN + 1_000);
    expect(raised().filter(([, , kind]) => kind === 'escalation')).toEqual([
      [0, 'finding', 'escalation'],
      [30, 'reescalated', 'escalation'],
    ]);
    clock.advance(30 * MIN);
    expect(raised().filter(([, , kind]) => kind === 'escalation').map(([m, e]) => `${m}:${e}`)).toEqual(['0:finding', '30:reescalated', '60:reescalated']);
    // cos ack FILE (a NOTE with acknowledges: FILE) stops it without resolving it.
    post({ sprint: 'alpha', agent: 'lead', status: 'NOTE', acknowledges: blocked.file, message: 'on it' });
    clock.advance(90 * MIN);
    expect(raised().filter(([, , kind]) => kind === 'escalation').map(([m, e]) => `${m}:${e}`)).toEqual(['0:finding', '30:reescalated', '60:reescalated']);
    expect(engine.findings().map((f) => f.kind)).toContain('escalation');
  });

  it('its own timer raises it each interval without any file event; resolving it stops it', () => {
    const { clock, engine, post, raised } = setup(10);
    engine.evaluate({ initial: true });
    const urgent = post({ sprint: 'alpha', agent: 'ann', status: 'BLOCKED', severity: 'BLOCKER', message: 'prod is down' });
    clock.advance(25 * MIN);
    expect(raised().map(([m, e]) => `${m}:${e}`)).toEqual(['0:finding', '10:reescalated', '20:reescalated']);
    post({ sprint: 'alpha', agent: 'lead', status: 'IN_PROGRESS', resolves: urgent.file, message: 'rolled back' });
    clock.advance(60 * MIN);
    const escalation = raised().filter(([, , kind]) => kind === 'escalation');
    expect(escalation.map(([m, e]) => `${m}:${e}`)).toEqual(['0:finding', '10:reescalated', '20:reescalated', '25:resolved']);
  });

  it('a watcher that missed several intervals (suspended) raises it once, not once per missed interval', () => {
    const { clock, engine, post, events } = setup(10);
    engine.evaluate({ initial: true });
    post({ sprint: 'alpha', agent: 'ann', status: 'BLOCKED', severity: 'URGENT' });
    engine.evaluate();
    // Jump the clock without firing timers, then evaluate once.
    (clock as unknown as { time: number }).time += 45 * MIN;
    engine.evaluate();
    expect(events.filter((e) => e.event === 'reescalated')).toHaveLength(1);
  });

  it('shows needs-human at once (no settle beyond the engine\'s 5 ms), and its resolution when the agent is back', () => {
    const { clock, engine, post, raised } = setup();
    engine.evaluate({ initial: true });
    post({ sprint: 'alpha', agent: 'ann', status: 'IN_PROGRESS' });
    const waiting = post({ sprint: 'alpha', agent: 'ann', status: 'NOTE', severity: 'URGENT', needs_human: 'permission_prompt' });
    clock.advance(10);
    expect(raised()).toEqual([[0, 'finding', 'needs-human']]);
    post({ sprint: 'alpha', agent: 'ann', status: 'NOTE', resolves: waiting.file });
    clock.advance(10);
    expect(raised()).toEqual([
      [0, 'finding', 'needs-human'],
      [0, 'resolved', 'needs-human'],
    ]);
  });

  it('INFO and WARN findings are never re-escalated', () => {
    const { clock, engine, post, raised } = setup(1);
    engine.evaluate({ initial: true });
    post({ sprint: 'alpha', agent: 'ann', status: 'COMPLETE' }); // unverified: WARN
    clock.advance(10 * MIN);
    expect(raised().filter(([, e]) => e === 'reescalated')).toEqual([]);
  });

  it('notify routes in coordination.yaml run for new findings of their severity, with the --exec environment', { timeout: 60_000 }, async () => {
    const root = testdir({
      '.agent/config/coordination.yaml': 'version: 1\nnotify:\n  URGENT: \'echo "urgent $COS_KIND $COS_SPRINT" >> notified.txt\'\n  BLOCKER: \'echo "blocker $COS_KIND" >> notified.txt\'\n',
    });
    await cos(['post', '--dir', root, '--sprint', 'alpha', '--agent', 'ann', '--status', 'BLOCKED', '--severity', 'URGENT']);
    await cos(['post', '--dir', root, '--sprint', 'beta', '--agent', 'bob', '--status', 'COMPLETE']);
    // The repository chooses these commands: they run once approved on this machine (routes.test.ts).
    const env = { XDG_STATE_HOME: testdir() };
    expect((await cos(['notify', 'allow', '--dir', root], { env })).code).toBe(0);
    const result = await cos(['watch', '--once', '--no-notion', '--dir', root], { env });
    expect(result.code).toBe(0);
    expect(readFileSync(join(root, 'notified.txt'), 'utf8')).toBe('urgent escalation alpha\n');
  });
});
