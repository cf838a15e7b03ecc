/**
 * One rule, one place: over random histories and random plans, every reader of plan readiness —
 * the ready queue (cos ready), the dispatch gate, the plan graph (the board), the status rows, the
 * watcher's engine and the spawner's held count — agrees with the lifecycle's states
 * (deriveSprints with the plan as its input), and those states follow the rule docs/lifecycle.md
 * states (restated here independently, as the oracle).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { statusSprints } from '../../src/output/status.js';
import { planInput, plannedSteps, readyQueue, type PlannedStep } from '../../src/plans/ready.js';
import type { Plan } from '../../src/plans/schema.js';
import { planGraph, waitingGate, type PlanView } from '../../src/plans/view.js';
import type { Entry } from '../../src/protocol/fields.js';
import { deriveSprints, type SprintState } from '../../src/state/lifecycle.js';
import { createEngine } from '../../src/watch/engine.js';
import { heldBySpawned, type SpawnRecord } from '../../src/watch/spawn.js';
import { FakeClock } from '../watch/fake-clock.js';
import { build, NOW, step } from '../state/history.js';

/** a–e can be plan steps; x is never one (a dependency outside every plan, or a sprint of remarks). */
const SPRINTS = ['a', 'b', 'c', 'd', 'e', 'x'] as const;
const STEP_SPRINTS = ['a', 'b', 'c', 'd', 'e'] as const;

/** Entries on any of the sprints, with the lifecycle's random-history shapes (supersedes, verifies, NOTEs...). */
const entries = fc
  .array(fc.tuple(step, fc.constantFrom(...SPRINTS)), { maxLength: 40 })
  .map((pairs) => build(pairs.map(([s, sprint]) => ({ ...s, sprint }))));

/**
 * One or two plans over a–e: each step may depend on earlier steps (of either plan) and on x; a
 * sprint named by two plans (a merge) stays with the plan first by name.
 */
const plans = fc
  .array(fc.record({ plan: fc.constantFrom('p1', 'p2'), deps: fc.array(fc.nat(5), { maxLength: 3 }), outside: fc.boolean() }), { minLength: 5, maxLength: 5 })
  .chain((specs) => fc.subarray([...STEP_SPRINTS.keys()], { minLength: 1 }).map((picked) => ({ specs, picked })))
  .map(({ specs, picked }) => {
    const byPlan = new Map<string, Plan>();
    for (const index of picked) {
      const spec = specs[index]!;
      const earlier = picked.filter((other) => other < index);
      const depends_on: string[] = [...new Set(spec.deps.map((n) => earlier[n % Math.max(1, earlier.length)]).filter((n) => n !== undefined).map((n) => STEP_SPRINTS[n]!))];
      if (spec.outside) depends_on.push('x');
      const plan = byPlan.get(spec.plan) ?? { name: spec.plan, summary: spec.plan, attempt: 1, steps: [] };
      plan.steps.push({ sprint: STEP_SPRINTS[index]!, title: `step ${index}`, role: 'developer', done_when: 'done', depends_on, skills: [] });
      byPlan.set(spec.plan, plan);
    }
    return [...byPlan.values()];
  });

const verification = fc.constantFrom<'required' | 'optional'>('required', 'optional');

function byName(sprints: readonly SprintState[]): Map<string, SprintState> {
  return new Map(sprints.map((sprint) => [sprint.sprint, sprint]));
}

/** The engine of cos watch and cos board, fed the same entries as records (no files). */
function engineSprints(list: readonly Entry[], stored: readonly Plan[], mode: 'required' | 'optional') {
  const clock = new FakeClock(NOW);
  const engine = createEngine({ config: { ...structuredClone(DEFAULT_CONFIG), verification: mode }, now: clock.now, timers: clock, emit: () => {}, plans: stored });
  for (const entry of list) engine.put({ rel: entry.path, location: entry.location, signature: entry.file, entry, problem: null });
  engine.evaluate({ announce: false });
  const result = { sprints: engine.sprints(), queue: engine.queue() };
  engine.close();
  return result;
}

describe('the ready queue and the lifecycle', () => {
  it('never disagree, over random histories and plans, in any reader', () => {
    fc.assert(
      fc.property(entries, plans, verification, (list, stored, mode) => {
        const steps: Map<string, PlannedStep> = plannedSteps(stored);
        const lifecycle = byName(deriveSprints(list, NOW, { verification: mode, plan: planInput(steps) }));
        const plain = deriveSprints(list, NOW, { verification: mode });

        // The oracle: docs/lifecycle.md's rule, restated. Finished = VERIFIED, or COMPLETE when optional.
        const finished = (name: string) => {
          const state = lifecycle.get(name)?.state;
          return state === 'VERIFIED' || (mode === 'optional' && state === 'COMPLETE');
        };
        for (const [name, sprint] of lifecycle) {
          const started = sprint.holders.length > 0 || sprint.claim !== null || sprint.entries.some((entry) => entry.status === 'FAILED');
          const step = steps.get(name);
          if (started) expect(['READY', 'WAITING', 'NOTED']).not.toContain(sprint.state);
          else if (!step) expect(sprint.state).toBe('NOTED');
          else {
            const open = [...new Set(step.depends_on.filter((dependency) => !finished(dependency)))];
            expect(sprint.state).toBe(open.length > 0 ? 'WAITING' : 'READY');
            expect(sprint.waitingOn).toEqual(open);
          }
        }
        for (const name of steps.keys()) expect(lifecycle.has(name)).toBe(true);

        // The ready queue (cos ready, brief), from sprints derived with or without the plan.
        const queue = readyQueue(steps, [...lifecycle.values()]);
        expect(readyQueue(steps, plain)).toEqual(queue);
        const planOrder = [...steps.keys()];
        expect(queue.ready.map((item) => item.sprint)).toEqual(planOrder.filter((name) => lifecycle.get(name)!.state === 'READY'));
        expect(queue.waiting.map((item) => [item.sprint, item.waiting_on])).toEqual(
          planOrder.filter((name) => lifecycle.get(name)!.state === 'WAITING').map((name) => [name, lifecycle.get(name)!.waitingOn]),
        );

        // The dispatch gate: refused exactly when the lifecycle says WAITING, naming the same dependencies.
        for (const name of SPRINTS) {
          const gate = waitingGate(list, name, steps, { verification: mode }, NOW);
          const sprint = lifecycle.get(name);
          expect(gate === null ? null : gate.waiting_on).toEqual(sprint?.state === 'WAITING' ? sprint.waitingOn : null);
        }

        // The plan graph (board) and the status rows (cos status, board columns).
        const view: PlanView = { ...queue, plans: stored, problems: [], steps };
        for (const plan of planGraph(view, plain).plans) {
          for (const graphStep of plan.steps) expect(graphStep.state).toBe(lifecycle.get(graphStep.sprint)!.state);
        }
        for (const row of statusSprints(plain, [], view, true)) {
          expect(row.state).toBe(lifecycle.get(row.sprint)!.state);
          expect(row.waiting_on).toEqual(lifecycle.get(row.sprint)!.waitingOn);
        }

        // The watcher's engine (incremental derivation): the same states and the same queue.
        const engine = engineSprints(list, stored, mode);
        expect(new Map(engine.sprints.map((sprint) => [sprint.sprint, [sprint.state, sprint.waitingOn]]))).toEqual(
          new Map([...lifecycle.values()].map((sprint) => [sprint.sprint, [sprint.state, sprint.waitingOn]])),
        );
        expect(engine.queue).toEqual(queue);

        // The spawner: a spawned agent's sprint is held exactly while the lifecycle counts it a holder.
        const agents = [...new Set(list.map((entry) => entry.agent))];
        const records: SpawnRecord[] = [...steps.keys()].map((name, i) => ({ sprint: name, role: 'developer', agent: agents[i % Math.max(1, agents.length)] ?? 'nobody', plan: 'p', entry: '', pid: 1, at: '', log: '' }));
        const held = heldBySpawned(records, [...lifecycle.values()]);
        for (const record of records) {
          const sprint = lifecycle.get(record.sprint)!;
          const seen = sprint.agents.some((agent) => agent.agent === record.agent);
          expect(held.includes(record.sprint)).toBe(!seen || sprint.holders.some((holder) => holder.agent === record.agent));
        }
      }),
      { numRuns: 300 },
    );
  });
});
