/**
 * The plan data the board shows (`ready`, `waiting`), taken from the plans library. Until a
 * repository has plans there is nothing to wait on: both lists are empty, in the shape
 * `cos ready --json` uses, and the page says so.
 */
import type { SprintState } from '../state/sprints.js';
import type { PlanView } from './state.js';

export function planView(_root: string, _sprints: readonly SprintState[]): PlanView {
  return { ready: [], waiting: [] };
}
