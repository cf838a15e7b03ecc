/**
 * Plans joined with the sprint lifecycle: the ready queue (`cos ready`), the WAITING/READY rows of
 * `cos status`, the dispatch gate and the plan graph the board draws. The states come from the
 * lifecycle (state/); this module only asks it "is X finished?" and "has X started?".
 */
import { loadConfig } from '../config/load.js';
import type { CoordinationConfig } from '../config/schema.js';
import { readStore } from '../store/read.js';
import type { Entry } from '../protocol/fields.js';
import { deriveSprints, type SprintState } from '../state/lifecycle.js';
import { loadPlans, type StoredPlans } from './files.js';
import { plannedSteps, readyQueue, waitingOn, type PlannedStep, type ReadyQueue, type SprintFacts } from './ready.js';
import type { Plan } from './schema.js';

/** Finished: VERIFIED, or COMPLETE where coordination.yaml says `verification: optional`. */
export function isFinishedState(state: string, config: CoordinationConfig): boolean {
  const optional = (config as { verification?: string }).verification === 'optional';
  return state === 'VERIFIED' || (optional && state === 'COMPLETE');
}

/** The lifecycle's answers, by sprint name. */
export function sprintFacts(sprints: readonly SprintState[], config: CoordinationConfig): SprintFacts {
  const byName = new Map(sprints.map((sprint) => [sprint.sprint, sprint]));
  return {
    isFinished: (sprint) => {
      const state = byName.get(sprint)?.state;
      return state !== undefined && isFinishedState(state, config);
    },
    // A sprint with entries has a state of its own; READY and WAITING are for steps nobody took up.
    isStarted: (sprint) => {
      const state = byName.get(sprint)?.state as string | undefined;
      return state !== undefined && state !== 'READY' && state !== 'WAITING';
    },
  };
}

export interface PlanView extends ReadyQueue {
  plans: Plan[];
  /** Stored plan files that cannot be used. */
  problems: StoredPlans['problems'];
  steps: Map<string, PlannedStep>;
  facts: SprintFacts;
}

/** The ready queue over already-derived sprints (no further I/O than reading the plans). */
export function planView(root: string, sprints: readonly SprintState[], config: CoordinationConfig, stored: StoredPlans = loadPlans(root)): PlanView {
  const steps = plannedSteps(stored.plans);
  const facts = sprintFacts(sprints, config);
  return { ...readyQueue(steps, facts), plans: stored.plans, problems: stored.problems, steps, facts };
}

/** Why dispatching `sprint` now is premature: its unfinished dependencies (empty: nothing). */
export function dispatchWaiting(root: string, entries: readonly Entry[], sprint: string, config: CoordinationConfig, now: Date): { plan: string; waiting_on: string[] } | null {
  const stored = loadPlans(root);
  const step = plannedSteps(stored.plans).get(sprint);
  if (!step || step.depends_on.length === 0) return null;
  const wanted = new Set(step.depends_on);
  const sprints = deriveSprints(entries.filter((entry) => wanted.has(entry.sprint)), now);
  const open = waitingOn(step, sprintFacts(sprints, config).isFinished);
  return open.length > 0 ? { plan: step.plan, waiting_on: open } : null;
}

export interface PlanGraphStep extends PlannedStep {
  /** The lifecycle state, or WAITING / READY for a step nobody took up yet. */
  state: string;
  /** Unfinished dependencies. */
  waiting_on: string[];
}

export interface PlanGraph {
  plans: Array<{ name: string; summary: string; attempt: number; steps: PlanGraphStep[] }>;
  problems: StoredPlans['problems'];
}

/** Every plan with its steps, dependencies and states: the data of the board's plan graph. */
export function planGraph(view: PlanView, sprints: readonly SprintState[]): PlanGraph {
  const states = new Map(sprints.map((sprint) => [sprint.sprint, sprint.state as string]));
  return {
    plans: view.plans.map((plan) => ({
      name: plan.name,
      summary: plan.summary,
      attempt: plan.attempt,
      steps: plan.steps.map((step) => {
        const open = waitingOn(step, view.facts.isFinished);
        const own = states.get(step.sprint);
        const state = own !== undefined && view.facts.isStarted(step.sprint) ? own : open.length > 0 ? 'WAITING' : 'READY';
        return { ...step, plan: plan.name, state, waiting_on: open };
      }),
    })),
    problems: view.problems,
  };
}

export interface ReadyOptions {
  now?: Date;
}

/** `cos ready` as a library call: read the store and the plans, derive, queue. */
export function readReady(root: string, options: ReadyOptions = {}): PlanView & { sprints: SprintState[]; config: CoordinationConfig } {
  const now = options.now ?? new Date();
  const { config } = loadConfig(root);
  const { entries } = readStore(root);
  const sprints = deriveSprints(entries, now);
  return { ...planView(root, sprints, config), sprints, config };
}

/**
 * The plan graph for the board: every plan, its steps with their dependencies, lifecycle state
 * (WAITING / READY for a step nobody took up) and unfinished dependencies.
 */
export function readPlanGraph(root: string, options: ReadyOptions = {}): PlanGraph {
  const view = readReady(root, options);
  return planGraph(view, view.sprints);
}
