/**
 * The ready queue: which plan steps may be dispatched now. A step whose sprint has no state of
 * its own yet (nobody dispatched it) is WAITING while any of its dependencies is not finished and
 * READY once all are; a step that has a state (dispatched, in progress, complete...) keeps it.
 * Pure: "is this sprint finished?" and "does it have a state?" are questions the caller answers
 * from the sprint lifecycle, so this module never derives a sprint's state itself.
 */
import type { Plan, PlanStep } from './schema.js';

/** A plan step with the plan it belongs to. */
export interface PlannedStep extends PlanStep {
  plan: string;
}

export interface ReadyItem {
  sprint: string;
  role: string;
  plan: string;
  title: string;
}

export interface WaitingItem {
  sprint: string;
  /** Its dependencies that are not finished, in the plan's order. */
  waiting_on: string[];
  role: string;
  plan: string;
  title: string;
}

export interface ReadyQueue {
  ready: ReadyItem[];
  waiting: WaitingItem[];
}

/** What the lifecycle knows about a sprint, asked of it by name. */
export interface SprintFacts {
  /** VERIFIED (or COMPLETE where verification is optional). */
  isFinished(sprint: string): boolean;
  /** It has a state of its own (an entry that holds it, a claim, a failure): not READY/WAITING. */
  isStarted(sprint: string): boolean;
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

/** The sprint's dependencies that are not finished (empty: nothing blocks it). */
export function waitingOn(step: Pick<PlanStep, 'depends_on'>, isFinished: (sprint: string) => boolean): string[] {
  return step.depends_on.filter((dependency) => !isFinished(dependency));
}

/** The dependencies of every planned sprint, for the lifecycle and the board. */
export function dependencyMap(steps: ReadonlyMap<string, PlannedStep>): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const [sprint, step] of steps) map.set(sprint, step.depends_on);
  return map;
}

/** READY and WAITING plan steps, in plan order (plans by name, steps as written). */
export function readyQueue(steps: ReadonlyMap<string, PlannedStep>, facts: SprintFacts): ReadyQueue {
  const queue: ReadyQueue = { ready: [], waiting: [] };
  for (const step of steps.values()) {
    if (facts.isStarted(step.sprint) || facts.isFinished(step.sprint)) continue;
    const open = waitingOn(step, facts.isFinished);
    if (open.length === 0) queue.ready.push({ sprint: step.sprint, role: step.role, plan: step.plan, title: step.title });
    else queue.waiting.push({ sprint: step.sprint, waiting_on: open, role: step.role, plan: step.plan, title: step.title });
  }
  return queue;
}
