/**
 * The sprint lifecycle (PRODUCT.md version 2, "The sprint lifecycle"; docs/lifecycle.md): each
 * sprint's state as a function of its whole history. This is the one place that decides who holds
 * a sprint, which entries are superseded, which claim stands, whether it was verified or rejected,
 * which failures count as attempts and whether the sprint is finished. Every reader (status, scan,
 * brief, dispatch, archive, watch, Notion, MCP, hooks) takes these answers from here. Pure: `now`
 * is an argument, and the result does not depend on the order entries are given in (they are
 * ordered by seq, timestamp, file name first).
 *
 * Scope: a sprint's lifecycle reads only that sprint's entries. A `supersedes`, `resolves` or
 * `verifies` naming an entry of another sprint does not change this sprint (cos writes them on the
 * sprint of the entry they name; `cos resolve` and `cos ack` do too).
 */
import { compareEntries } from '../protocol/order.js';
import { parseTimestamp } from '../protocol/time.js';
import { fileList, isHolding, type Entry, type Status } from '../protocol/fields.js';
import { checkReview, type ReviewProblem } from './review.js';
import type { SprintStateName } from './table.js';

export type { SprintStateName } from './table.js';

/**
 * Plan dependencies, fed by the plans feature (issue 13) so that WAITING and READY come from here
 * (the ready queue, the dispatch gate, the plan graph and the spawner all read these states).
 * - `dependsOn`: sprint → the sprints it depends on (any sprint, in a plan or not).
 * - `sprints`: every sprint that is a step of a plan; a plan step is listed (READY or WAITING)
 *   before its first entry.
 * A plan step with no holder and no outcome yet (no entry, or only NOTEs) is WAITING while one of
 * its dependencies is not finished, else READY. A sprint that is not a plan step and has neither
 * is NOTED: only remarks, nothing to dispatch. Dependencies never change a sprint that is held or
 * has an outcome (a forced dispatch of a WAITING sprint is DISPATCHED).
 */
export interface PlanInput {
  dependsOn: ReadonlyMap<string, readonly string[]>;
  sprints: ReadonlySet<string>;
}

/** Options of the lifecycle derivation: the verification rule and the plans. */
export interface LifecycleOptions {
  /** `coordination.yaml` `verification`: whether a COMPLETE needs a VERIFIED to be finished (default required). */
  verification?: 'required' | 'optional';
  plan?: PlanInput;
}

/** One agent's latest entry on a sprint and what it means (holding, stale, finished). */
export interface AgentState {
  agent: string;
  /** The status of the agent's latest entry on the sprint (NOTEs do not count). */
  status: Status;
  heartbeat: string;
  /** When the heartbeat runs out (ms since epoch). */
  expiresAt: number;
  /** Holds the sprint: latest entry DISPATCHED, IN_PROGRESS or BLOCKED and not superseded. */
  holding: boolean;
  /** Its latest entry was named in a later forced dispatch's `supersedes`. */
  superseded: boolean;
  /** A holder whose heartbeat + ttl is in the past, or whose heartbeat is past now + ttl. Never true for a non-holder. */
  stale: boolean;
  /** The agent's latest entry on the sprint (NOTEs do not count). */
  entry: Entry;
}

/** A VERIFIED (or reviewer FAILED) that does not count, and why. */
export interface InvalidVerification {
  entry: Entry;
  /** Why it counts for nothing, as a clause: "it verifies its own COMPLETE". */
  reason: ReviewProblem;
}

/** A sprint as the lifecycle derives it: state, agents, attempts, verification. */
export interface SprintState {
  sprint: string;
  state: SprintStateName;
  /** Every agent with a non-NOTE entry on the sprint, in order of first appearance. */
  agents: AgentState[];
  /** The agents holding the sprint (a subset of `agents`). */
  holders: AgentState[];
  /** Finished: VERIFIED, or COMPLETE where verification is optional. */
  finished: boolean;
  /** Timestamp of the latest entry (NOTEs included). */
  updated: string;
  /** The latest entry (NOTEs included). */
  latest: Entry;
  /** Every entry of the sprint, in protocol order (NOTEs included). */
  entries: Entry[];
  /** Whether any of the sprint's entries is in `current/`. */
  active: boolean;
  /** The latest COMPLETE: the claim that stands, or null. */
  claim: Entry | null;
  /** The VERIFIED entry that makes the state VERIFIED, or null. */
  verification: Entry | null;
  /** The FAILED --verifies entry that rejected the latest claim (when it is the latest outcome), or null. */
  rejection: Entry | null;
  /** COMPLETE file name → its latest valid review (a VERIFIED, or a FAILED --verifies rejection). */
  reviews: ReadonlyMap<string, Entry>;
  /** A claim awaiting review: the claim when the state is COMPLETE, else null. */
  unverified: Entry | null;
  /** FAILED entries counting as attempts (not resolved or superseded, since the last verification); empty when COMPLETE or VERIFIED. */
  failures: Entry[];
  /** File names superseded by a forced dispatch on this sprint. */
  superseded: ReadonlySet<string>;
  /** File names a NOTE or other entry of this sprint resolves. */
  resolved: ReadonlySet<string>;
  /** File names an entry of this sprint acknowledges. */
  acknowledged: ReadonlySet<string>;
  /** The NOTEs of the sprint, in order. */
  notes: Entry[];
  /** VERIFIED entries that break the verification rules: they count for nothing. */
  invalidVerifications: InvalidVerification[];
  /** Plan dependencies not yet finished (empty unless the plan input names some). */
  waitingOn: string[];
}

export function expiresAt(entry: Entry): number {
  return parseTimestamp(entry.heartbeat) + entry.ttl_minutes * 60_000;
}

/**
 * A heartbeat further in the future than its own ttl (a machine with a wrong clock, or an entry
 * written by hand to look alive for years) proves nothing: it is reported, never proof of life.
 */
export function isFromTheFuture(entry: Entry, now: Date): boolean {
  return parseTimestamp(entry.heartbeat) > now.getTime() + entry.ttl_minutes * 60_000;
}

/**
 * A holding status (DISPATCHED, IN_PROGRESS, BLOCKED) whose heartbeat + ttl is in the past — or
 * whose heartbeat is past now + ttl (no proof of life).
 */
export function isStale(entry: Entry, now: Date): boolean {
  return isHolding(entry.status) && (expiresAt(entry) < now.getTime() || isFromTheFuture(entry, now));
}

/** Group entries by sprint, each list in protocol order. */
export function groupBySprint(entries: readonly Entry[]): Map<string, Entry[]> {
  const groups = new Map<string, Entry[]>();
  for (const entry of entries) {
    let list = groups.get(entry.sprint);
    if (!list) groups.set(entry.sprint, (list = []));
    list.push(entry);
  }
  for (const list of groups.values()) if (!isSorted(list)) list.sort(compareEntries);
  return groups;
}

function isSorted(list: readonly Entry[]): boolean {
  for (let i = 1; i < list.length; i++) if (compareEntries(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}

type Outcome = 'none' | 'claim' | 'verified' | 'failed';

/** The shared empty set of file names: `named` replaces it before anything is added. */
const NONE: Set<string> = new Set();

/** `set` (a new one in place of NONE) with the files `value` names, but not `entry` itself. */
function named(set: Set<string>, entry: Entry, value: string | readonly string[]): Set<string> {
  for (const name of fileList(value)) {
    if (name === entry.file) continue;
    if (set === NONE) set = new Set();
    set.add(name);
  }
  return set;
}

/**
 * One sprint's lifecycle from its entries (any order). WAITING needs the plan input: without it a
 * sprint with no holder and no outcome is READY.
 */
export function deriveSprint(sprint: string, entries: readonly Entry[], now: Date, options: LifecycleOptions = {}): SprintState {
  const ordered = isSorted(entries) ? [...entries] : [...entries].sort(compareEntries);
  const notes: Entry[] = [];
  const work: Entry[] = [];
  // Most sprints name no other entry: their sets stay the one shared empty set (never written to).
  let superseded: Set<string> = NONE;
  let resolved: Set<string> = NONE;
  let acknowledged: Set<string> = NONE;
  for (const entry of ordered) {
    if (entry.status === 'NOTE') notes.push(entry);
    else work.push(entry);
    // A NOTE supersedes nothing: it never changes who holds the sprint.
    if (entry.status !== 'NOTE' && entry.supersedes !== undefined) superseded = named(superseded, entry, entry.supersedes);
    if (entry.resolves !== undefined) resolved = named(resolved, entry, entry.resolves);
    if (entry.acknowledges !== undefined) acknowledged = named(acknowledged, entry, entry.acknowledges);
  }

  const latestByAgent = new Map<string, Entry>();
  for (const entry of work) latestByAgent.set(entry.agent, entry);
  const agents: AgentState[] = [...latestByAgent.values()].map((entry) => {
    const isSuperseded = superseded.has(entry.file);
    const holding = isHolding(entry.status) && !isSuperseded;
    const expiry = expiresAt(entry);
    return {
      agent: entry.agent,
      status: entry.status,
      heartbeat: entry.heartbeat,
      expiresAt: expiry,
      holding,
      superseded: isSuperseded,
      stale: holding && (expiry < now.getTime() || isFromTheFuture(entry, now)),
      entry,
    };
  });
  const holders = agents.filter((agent) => agent.holding);

  // The outcome of the work so far: a fold over the sprint's non-NOTE entries.
  const completes = new Map<string, Entry>();
  const reviews = new Map<string, Entry>();
  let outcome: Outcome = 'none';
  let claim: Entry | null = null;
  let verification: Entry | null = null;
  let rejection: Entry | null = null;
  let failures: Entry[] = [];
  const invalidVerifications: InvalidVerification[] = [];
  for (const entry of work) {
    switch (entry.status) {
      case 'COMPLETE':
        completes.set(entry.file, entry);
        claim = entry;
        outcome = 'claim';
        verification = null;
        rejection = null;
        break;
      case 'FAILED': {
        outcome = 'failed';
        verification = null;
        const target = entry.verifies !== undefined ? (completes.get(entry.verifies) ?? null) : null;
        const valid = target !== null && checkReview(entry, target, sprint) === null;
        if (valid) reviews.set(target.file, entry);
        rejection = valid && target === claim ? entry : null;
        if (!resolved.has(entry.file) && !superseded.has(entry.file)) failures.push(entry);
        break;
      }
      case 'VERIFIED': {
        const problem = checkReview(entry, entry.verifies !== undefined ? (completes.get(entry.verifies) ?? null) : claim, sprint);
        if (problem) {
          invalidVerifications.push({ entry, reason: problem });
          break;
        }
        const target: Entry = entry.verifies !== undefined ? completes.get(entry.verifies)! : claim!;
        reviews.set(target.file, entry);
        if (target === claim) {
          outcome = 'verified';
          verification = entry;
          rejection = null;
          failures = [];
        }
        break;
      }
      default:
        // DISPATCHED, IN_PROGRESS, BLOCKED: someone holds the sprint since the verification.
        if (outcome === 'verified') {
          outcome = 'claim';
          verification = null;
        }
    }
  }

  let state: SprintStateName;
  if (holders.length > 0) {
    if (holders.every((holder) => holder.stale)) state = 'STALE';
    else if (holders.some((holder) => holder.status === 'BLOCKED')) state = 'BLOCKED';
    else if (holders.some((holder) => holder.status === 'IN_PROGRESS')) state = 'IN_PROGRESS';
    else state = 'DISPATCHED';
  } else if (outcome === 'verified') state = 'VERIFIED';
  else if (outcome === 'claim') state = 'COMPLETE';
  else if (outcome === 'failed') state = 'FAILED';
  // Nobody holds it and nothing came of it: a plan step is READY (applyPlan makes it WAITING on
  // unfinished dependencies); any other sprint holds only remarks, and nobody asked for the work.
  else state = options.plan?.sprints.has(sprint) ? 'READY' : 'NOTED';

  if (state === 'COMPLETE' || state === 'VERIFIED') failures = [];
  if (state !== 'VERIFIED') verification = null;
  if (state !== 'FAILED') rejection = null;
  const finished = state === 'VERIFIED' || (state === 'COMPLETE' && options.verification === 'optional');
  const latest = ordered[ordered.length - 1]!;
  return {
    sprint,
    state,
    agents,
    holders,
    finished,
    updated: latest?.timestamp ?? '',
    latest,
    entries: ordered,
    active: ordered.some((entry) => entry.location === 'current'),
    claim,
    verification,
    rejection,
    reviews,
    unverified: state === 'COMPLETE' ? claim : null,
    failures,
    superseded,
    resolved,
    acknowledged,
    notes,
    invalidVerifications,
    waitingOn: [],
  };
}

/** A plan step with no entry yet: nothing happened, so it is READY or WAITING. */
function emptySprint(sprint: string): SprintState {
  return {
    sprint,
    state: 'READY',
    agents: [],
    holders: [],
    finished: false,
    updated: '',
    latest: undefined as unknown as Entry,
    entries: [],
    active: false,
    claim: null,
    verification: null,
    rejection: null,
    reviews: new Map(),
    unverified: null,
    failures: [],
    superseded: new Set(),
    resolved: new Set(),
    acknowledged: new Set(),
    notes: [],
    invalidVerifications: [],
    waitingOn: [],
  };
}

/** Whether nobody holds the sprint and nothing came of it yet (READY, WAITING or NOTED). */
export function notTakenUp(sprint: Pick<SprintState, 'state'>): boolean {
  return sprint.state === 'READY' || sprint.state === 'WAITING' || sprint.state === 'NOTED';
}

/**
 * The dependencies of a sprint that are not finished, in the order given (each once). A
 * dependency the sprints do not list has no entry: it is not finished.
 */
export function unfinished(dependencies: readonly string[], sprints: ReadonlyMap<string, Pick<SprintState, 'finished'>>): string[] {
  return [...new Set(dependencies.filter((dependency) => !sprints.get(dependency)?.finished))];
}

/**
 * Apply plan dependencies to sprints derived with or without the plan: a plan step nobody took
 * up is WAITING on its unfinished dependencies (`waitingOn`), else READY, and every plan step
 * appears, even before its first entry. Sprints already derived with the same plan come back as
 * they are. Returns new objects for the sprints it changes; the others are returned as they are.
 */
export function applyPlan(sprints: readonly SprintState[], plan: PlanInput | undefined): SprintState[] {
  if (!plan) return [...sprints];
  const byName = new Map(sprints.map((sprint) => [sprint.sprint, sprint]));
  const out = [...sprints];
  for (const name of [...plan.sprints].sort()) {
    if (!byName.has(name)) {
      const empty = emptySprint(name);
      byName.set(name, empty);
      out.push(empty);
    }
  }
  return out.map((sprint) => {
    if (!plan.sprints.has(sprint.sprint) || !notTakenUp(sprint)) return sprint;
    const waitingOn = unfinished(plan.dependsOn.get(sprint.sprint) ?? [], byName);
    const state: SprintStateName = waitingOn.length > 0 ? 'WAITING' : 'READY';
    return state === sprint.state && waitingOn.length === sprint.waitingOn.length && waitingOn.every((name, i) => sprint.waitingOn[i] === name)
      ? sprint
      : { ...sprint, state, waitingOn };
  });
}

/** Most recently updated first; plan steps with no entry last, by name. */
export function compareSprints(a: SprintState, b: SprintState): number {
  const ta = a.updated === '' ? -Infinity : parseTimestamp(a.updated);
  const tb = b.updated === '' ? -Infinity : parseTimestamp(b.updated);
  if (ta !== tb) return tb > ta ? 1 : -1;
  return a.sprint < b.sprint ? -1 : a.sprint > b.sprint ? 1 : 0;
}

/** Every sprint's lifecycle, most recently updated first. Entries may come in any order. */
export function deriveSprints(entries: readonly Entry[], now: Date, options: LifecycleOptions = {}): SprintState[] {
  const sprints: SprintState[] = [];
  for (const [sprint, list] of groupBySprint(entries)) sprints.push(deriveSprint(sprint, list, now, options));
  return applyPlan(sprints, options.plan).sort(compareSprints);
}
