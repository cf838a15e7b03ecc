/**
 * The states of a sprint and how it moves between them: one declaration, which docs/lifecycle.md
 * shows verbatim (a test renders this table and finds it in the doc) and which lifecycle.ts
 * implements. Order is precedence: the first row whose condition holds is the state.
 */
export const SPRINT_STATES = ['WAITING', 'READY', 'DISPATCHED', 'IN_PROGRESS', 'STALE', 'BLOCKED', 'FAILED', 'COMPLETE', 'VERIFIED', 'NOTED'] as const;
/** The name of a sprint state (SPRINT_STATES). */
export type SprintStateName = (typeof SPRINT_STATES)[number];

/** One row of the lifecycle table: a state, what leads to it and what it means. */
export interface StateRow {
  state: SprintStateName;
  /** When the sprint is in this state (checked in the order of LIFECYCLE_TABLE). */
  when: string;
  /** What moves it on. */
  next: string;
}

/** Rows in precedence order: holders decide first, then the latest outcome, then the plan (READY, WAITING), and NOTED for the rest. */
export const LIFECYCLE_TABLE: readonly StateRow[] = [
  {
    state: 'STALE',
    when: 'someone holds the sprint and every holder is stale (heartbeat + ttl in the past), a silent BLOCKED holder too',
    next: 'a heartbeat or new entry from a holder → its state; `cos dispatch ROLE SPRINT --force` supersedes the silent entries → DISPATCHED',
  },
  {
    state: 'BLOCKED',
    when: 'a holder’s latest entry is BLOCKED (and not every holder is stale)',
    next: 'the holder posts IN_PROGRESS → IN_PROGRESS; COMPLETE → COMPLETE; FAILED → FAILED; a forced dispatch → DISPATCHED',
  },
  {
    state: 'IN_PROGRESS',
    when: 'a live holder’s latest entry is IN_PROGRESS (none BLOCKED)',
    next: 'the last holder posts COMPLETE → COMPLETE, FAILED → FAILED, BLOCKED → BLOCKED; silence past its ttl → STALE',
  },
  {
    state: 'DISPATCHED',
    when: 'every live holder’s latest entry is DISPATCHED',
    next: 'the agent posts IN_PROGRESS → IN_PROGRESS (or COMPLETE, FAILED, BLOCKED); silence → STALE',
  },
  {
    state: 'VERIFIED',
    when: 'nobody holds it, and the latest claim (COMPLETE) was verified by a valid VERIFIED of another agent with no holding entry since',
    next: 'finished (archived by `cos archive`); a new DISPATCHED/IN_PROGRESS reopens it → that state, then COMPLETE again',
  },
  {
    state: 'COMPLETE',
    when: 'nobody holds it, and the latest outcome is a COMPLETE (a claim awaiting review)',
    next: '`cos dispatch REVIEWER SPRINT` (not a conflict) → DISPATCHED; VERIFIED of the claim → VERIFIED; `FAILED --verifies CLAIM --error SIG` → FAILED',
  },
  {
    state: 'FAILED',
    when: 'nobody holds it, and the latest outcome is a FAILED entry (a failed attempt, or a reviewer’s rejection of the claim)',
    next: '`cos dispatch ROLE SPRINT` → DISPATCHED (refused after a repeated failure or at the attempt cap, unless --force)',
  },
  {
    state: 'WAITING',
    when: 'a plan step nobody holds and with no outcome yet, one of whose `depends_on` sprints is not finished',
    next: 'its dependencies finish → READY; `cos dispatch --force` → DISPATCHED',
  },
  {
    state: 'READY',
    when: 'a plan step nobody holds, with no outcome yet (no entry, only NOTEs, or only superseded or invalid entries), and nothing it depends on is unfinished',
    next: '`cos dispatch ROLE SPRINT` or a first entry → that entry’s state',
  },
  {
    state: 'NOTED',
    when: 'not a plan step, nobody holds it and it has no outcome: only NOTEs (a refused replan’s `plan-<name>`, a lease, a remark) or only superseded or invalid entries; nobody asked for work there, so it is not offered for dispatch',
    next: 'a first entry that holds it or has an outcome (`cos dispatch ROLE SPRINT`, `cos post`) → that entry’s state; a plan that makes it a step → READY or WAITING; its open escalations are settled with `cos resolve FILE`',
  },
];

/** The table as markdown, exactly as docs/lifecycle.md shows it. */
export function renderLifecycleTable(): string {
  const rows = LIFECYCLE_TABLE.map((row) => `| \`${row.state}\` | ${row.when} | ${row.next} |`);
  return ['| state | when (first match wins) | what moves it on |', '|---|---|---|', ...rows].join('\n');
}
