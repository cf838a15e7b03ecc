/**
 * The plan data the board shows, from the plans library over the sprints the engine derived: the
 * ready queue (`ready`, `waiting`, as `cos ready --json`), the plan steps `cos status` marks, and
 * every plan with its steps, dependencies and states for the graph. This module only asks; the
 * states come from the lifecycle through the plans library.
 */
import { planGraph, planView, type PlanGraph, type PlanView } from '../plans/view.js';
import type { SprintState } from '../state/lifecycle.js';

/** The plans as the board draws them: the ready queue and the plan graph. */
export interface BoardPlan {
  view: PlanView;
  graph: PlanGraph;
}

export function boardPlan(root: string, sprints: readonly SprintState[]): BoardPlan {
  const view = planView(root, sprints);
  return { view, graph: planGraph(view, sprints) };
}
