/**
 * Plans joined with the sprint lifecycle: the ready queue (`cos ready`), the WAITING/READY rows of
 * `cos status`, the dispatch gate and the plan graph the board draws. Every state here — READY,
 * WAITING, finished, held — is the lifecycle's (state/lifecycle.ts), derived with the plan as its
 * input (`deriveSprints(entries, now, { verification, plan })`); this module reads the plans and
 * passes them in, and decides nothing itself.
 */
import { loadConfig } from '../config/load.js';
import type { CoordinationConfig } from '../config/schema.js';
import { readStore } from '../store/read.js';
import type { Entry } from '../protocol/fields.js';
import { applyPlan, deriveSprints, unfinished, type SprintState } from '../state/lifecycle.js';
import { loadPlans, type StoredPlans } from './files.js';
import { planInput, plannedSteps, readyQueue, type PlannedStep, type ReadyQueue } from './ready.js';
import type { Plan } from './schema.js';

/** The ready queue with the plans it came from and their problems. */
export interface PlanView extends ReadyQueue {
  plans: Plan[];
  /** Stored plan files that cannot be used. */
  problems: StoredPlans['problems'];
  steps: Map<string, PlannedStep>;
}

/**
 * The ready queue over already-derived sprints (no further I/O than reading the plans). Derive the
 * sprints with the configuration's `verification` (with or without the plan input).
 */
export function planView(root: string, sprints: readonly SprintState[], stored: StoredPlans = loadPlans(root)): PlanView {
  const steps = plannedSteps(stored.plans);
  return { ...readyQueue(steps, sprints), plans: stored.plans, problems: stored.problems, steps };
}

/**
 * The dispatch gate, pure: `sprint` is a plan step the lifecycle states WAITING (nobody took it
 * up, a dependency is not finished): its plan and unfinished dependencies; else null.
 */
export function waitingGate(entries: readonly Entry[], sprint: string, steps: ReadonlyMap<string, PlannedStep>, config: Pick<CoordinationConfig, 'verification'>, now: Date): { plan: string; waiting_on: string[] } | null {
  const step = steps.get(sprint);
  if (!step || step.depends_on.length === 0) return null;
  const wanted = new Set([sprint, ...step.depends_on]);
  const sprints = deriveSprints(
    entries.filter((entry) => wanted.has(entry.sprint)),
    now,
    { verification: config.verification, plan: planInput(steps) },
  );
  const state = sprints.find((candidate) => candidate.sprint === sprint)!;
  return state.state === 'WAITING' ? { plan: step.plan, waiting_on: state.waitingOn } : null;
}

/** Why dispatching `sprint` now is premature: its plan and unfinished dependencies (null: nothing). */
export function dispatchWaiting(root: string, entries: readonly Entry[], sprint: string, config: CoordinationConfig, now: Date): { plan: string; waiting_on: string[] } | null {
  return waitingGate(entries, sprint, plannedSteps(loadPlans(root).plans), config, now);
}

/** A plan step in the graph: its state and what it waits on. */
export interface PlanGraphStep extends PlannedStep {
  /** The lifecycle state (WAITING / READY for a step nobody took up yet). */
  state: string;
  /** Unfinished dependencies (also of a step dispatched before they finished, by --force). */
  waiting_on: string[];
}

/** The plans as a graph: their steps with states and dependencies. */
export interface PlanGraph {
  plans: Array<{ name: string; summary: string; attempt: number; steps: PlanGraphStep[] }>;
  problems: StoredPlans['problems'];
}

/**
 * Every plan with its steps, dependencies and states: the data of the board's plan graph. The
 * sprints may be derived with or without the plan input; the states are the lifecycle's.
 */
export function planGraph(view: PlanView, sprints: readonly SprintState[]): PlanGraph {
  const derived = new Map(applyPlan(sprints, planInput(view.steps)).map((sprint) => [sprint.sprint, sprint]));
  return {
    plans: view.plans.map((plan) => ({
      name: plan.name,
      summary: plan.summary,
      attempt: plan.attempt,
      steps: plan.steps.map((step) => {
        const state = derived.get(step.sprint)!.state;
        return { ...step, plan: plan.name, state, waiting_on: unfinished(step.depends_on, derived) };
      }),
    })),
    problems: view.problems,
  };
}

/** Options of `readReady` (`cos ready`): the clock. */
export interface ReadyOptions {
  now?: Date;
}

/** `cos ready` as a library call: read the store and the plans, derive (with the plan), queue. */
export function readReady(root: string, options: ReadyOptions = {}): PlanView & { sprints: SprintState[]; config: CoordinationConfig } {
  const now = options.now ?? new Date();
  const { config } = loadConfig(root);
  const { entries } = readStore(root);
  const stored = loadPlans(root);
  const sprints = deriveSprints(entries, now, { verification: config.verification, plan: planInput(plannedSteps(stored.plans)) });
  return { ...planView(root, sprints, stored), sprints, config };
}

/**
 * The plan graph for the board: every plan, its steps with their dependencies, lifecycle state
 * (WAITING / READY for a step nobody took up) and unfinished dependencies.
 */
export function readPlanGraph(root: string, options: ReadyOptions = {}): PlanGraph {
  const view = readReady(root, options);
  return planGraph(view, view.sprints);
}
