/**
 * The ready queue: which plan steps may be dispatched now. The rule is the sprint lifecycle's
 * (state/lifecycle.ts, with the plan as its input): a step nobody took up is READY or WAITING on
 * its unfinished dependencies; a step that has a state of its own (dispatched, in progress,
 * complete...) keeps it and leaves the queue. This module only lists the lifecycle's READY and
 * WAITING plan steps in plan order; it never decides a state. Pure.
 */
import { applyPlan, type PlanInput, type SprintState } from '../state/lifecycle.js';
import type { Plan, PlanStep } from './schema.js';

/** A plan step with the plan it belongs to. */
export interface PlannedStep extends PlanStep {
  plan: string;
}

/** A plan step ready to dispatch. */
export interface ReadyItem {
  sprint: string;
  role: string;
  plan: string;
  title: string;
}

/** A plan step waiting, and what it waits on. */
export interface WaitingItem {
  sprint: string;
  /** Its dependencies that are not finished, in the plan's order. */
  waiting_on: string[];
  role: string;
  plan: string;
  title: string;
}

/** The steps ready to dispatch and the ones waiting, with what they wait on. */
export interface ReadyQueue {
  ready: ReadyItem[];
  waiting: WaitingItem[];
}

/**
 * Every step of every plan by sprint. Plans are taken in name order and a sprint claimed by an
 * earlier plan stays with it (`cos plan apply` refuses such a plan, but files arrive by merge too).
 */
export function plannedSteps(plans: readonly Plan[]): Map<string, PlannedStep> {
  const steps = new Map<string, PlannedStep>();
  for (const plan of [...plans].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    for (const step of plan.steps) if (!steps.has(step.sprint)) steps.set(step.sprint, { ...step, plan: plan.name });
  }
  return steps;
}

/** The dependencies of every planned sprint, for the lifecycle and the board. */
export function dependencyMap(steps: ReadonlyMap<string, PlannedStep>): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const [sprint, step] of steps) map.set(sprint, step.depends_on);
  return map;
}

/** The lifecycle's plan input (state/lifecycle.ts PlanInput) from the plan steps. */
export function planInput(steps: ReadonlyMap<string, PlannedStep>): PlanInput {
  return { dependsOn: dependencyMap(steps), sprints: new Set(steps.keys()) };
}

/**
 * READY and WAITING plan steps, in plan order (plans by name, steps as written), as the lifecycle
 * states them. `sprints` may be derived with the plan input or without it (the plan is then
 * applied here, through the lifecycle's own applyPlan); derive them with the configuration's
 * `verification`, which decides what "finished" means.
 */
export function readyQueue(steps: ReadonlyMap<string, PlannedStep>, sprints: readonly SprintState[]): ReadyQueue {
  const byName = new Map(applyPlan(sprints, planInput(steps)).map((sprint) => [sprint.sprint, sprint]));
  const queue: ReadyQueue = { ready: [], waiting: [] };
  for (const step of steps.values()) {
    const sprint = byName.get(step.sprint)!;
    if (sprint.state === 'READY') queue.ready.push({ sprint: step.sprint, role: step.role, plan: step.plan, title: step.title });
    else if (sprint.state === 'WAITING') queue.waiting.push({ sprint: step.sprint, waiting_on: sprint.waitingOn, role: step.role, plan: step.plan, title: step.title });
  }
  return queue;
}
