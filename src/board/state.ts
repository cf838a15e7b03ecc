/**
 * What the board shows, assembled from state the library derived (sprints, findings, ready and
 * waiting sprints): this module formats, it never decides a state. Pure.
 *
 * `GET /api/state` is `{ version: 1, sprints, findings, ready, waiting }` as the contract pins it
 * (sprints as in `cos status --json`, findings as in `cos scan --json`); the page also needs the
 * fields added after them: the time, the agents with their heartbeat and ttl, each shown
 * sprint's latest entries with their bodies rendered (escaped) by ./markdown.ts, and the live
 * path leases (as `cos status --json` has them, from the leases library).
 */
import type { Finding } from '../checks/types.js';
import { defaultBody, entryFields, entryToJson } from '../protocol/entry.js';
import type { Entry } from '../protocol/fields.js';
import { isoSeconds } from '../protocol/time.js';
import { leaseConflicts, liveLeases, type Lease } from '../leases/leases.js';
import { statusSprints, type StatusRow } from '../output/status.js';
import type { SprintState } from '../state/lifecycle.js';
import type { ReadyItem, WaitingItem } from '../plans/ready.js';
import { renderMarkdown } from './markdown.js';
import type { BoardPlan } from './plan.js';

/** Entries per sprint in the state's timeline (the newest); older ones are in the files. */
export const TIMELINE_LIMIT = 50;

/** A plan step on the graph: its plan, dependencies and state (from the plans library). */
export interface GraphStep {
  sprint: string;
  title: string;
  role: string;
  depends_on: string[];
  state: string;
  waiting_on: string[];
}

/** A plan as the board draws it: its steps with their states and dependencies. */
export interface GraphPlan {
  name: string;
  summary: string;
  attempt: number;
  steps: GraphStep[];
}

/** An agent as the board shows it: its latest open entry, heartbeat, expiry and whether it is stale. */
export interface AgentView {
  agent: string;
  sprint: string;
  status: string;
  heartbeat: string;
  ttl_minutes: number;
  /** When the heartbeat runs out (ISO time). */
  expires: string;
  stale: boolean;
}

/** An entry on the page: its JSON (as `cos post --json`) and its body as safe HTML. */
export type EntryView = Record<string, unknown> & { body_html: string };

/** Everything the board page shows (`GET /api/state`): sprints, findings, agents, plans, leases. */
export interface BoardState {
  version: 1;
  sprints: StatusRow[];
  findings: Finding[];
  ready: ReadyItem[];
  waiting: WaitingItem[];
  /** Every plan with its steps, for the dependency graph. */
  plans: GraphPlan[];
  generated_at: string;
  repository: string;
  agents: AgentView[];
  /** Sprint → its latest entries (at most TIMELINE_LIMIT), oldest first. */
  timeline: Record<string, EntryView[]>;
  /** Valid entries read, current and archive. */
  entries: number;
  /** Live path leases (`cos lease`), as `cos status --json` lists them: who holds which paths, until when. */
  leases: Lease[];
  /** Pairs of those leases that can match one path (each an open `lease-conflict` finding). */
  lease_conflicts: Array<{ a: LeaseRef; b: LeaseRef }>;
}

/** A lease named in a conflict: its holder, pattern and NOTE. */
export interface LeaseRef {
  agent: string;
  sprint: string;
  pattern: string;
  file: string;
}

/** What `boardState` builds the board from: sprint states, findings, plans, the entry count and the clock. */
export interface BoardInput {
  sprints: readonly SprintState[];
  findings: readonly Finding[];
  plan: BoardPlan;
  entries: number;
  now: Date;
  repository: string;
  /** Leave the timelines empty (the `state` events after the first do not carry them). */
  withoutTimeline?: boolean;
}

// A body is rendered once per entry object (the engine keeps entry objects until their file changes).
const rendered = new WeakMap<Entry, EntryView>();

/**
 * The part of a body worth showing under the timeline's own line (time, agent, status): the
 * heading cos post writes by default repeats those fields, so only what follows it is shown.
 */
export function bodyToShow(entry: Entry): string {
  const head = defaultBody(entryFields(entry));
  return entry.body.startsWith(head) ? entry.body.slice(head.length).replace(/^\s+/, '') : entry.body;
}

/** An entry as the board shows it in a timeline. */
export function entryView(entry: Entry): EntryView {
  let view = rendered.get(entry);
  if (!view) {
    view = { ...entryToJson(entry), body_html: renderMarkdown(bodyToShow(entry)) };
    rendered.set(entry, view);
  }
  return view;
}

/** The board's document (/api/state): sprints, findings, ready and waiting steps, timelines. Pure. */
export function boardState(input: BoardInput): BoardState {
  const rows = statusSprints(input.sprints, input.findings, input.plan.view);
  // Each sprint's entries are in protocol order, and a lease is taken and released per sprint
  // and agent, so the sprints' entries give the same leases as the whole store in order.
  // Only sprints where a lease was ever taken can hold one.
  const leased = input.sprints.filter((sprint) => sprint.entries.some((entry) => entry.lease !== undefined));
  const leases = leased.length === 0 ? [] : liveLeases(leased.flatMap((sprint) => sprint.entries), input.now);
  const ref = (lease: Lease): LeaseRef => ({ agent: lease.agent, sprint: lease.sprint, pattern: lease.pattern, file: lease.file });
  const shown = new Set(rows.map((row) => row.sprint));
  const stale = new Map(rows.flatMap((row) => row.agents.map((agent) => [`${row.sprint}\u0000${agent.agent}`, agent.stale] as const)));
  const agents: AgentView[] = [];
  const timeline: Record<string, EntryView[]> = {};
  for (const sprint of input.sprints) {
    if (!shown.has(sprint.sprint)) continue;
    for (const agent of sprint.agents) {
      agents.push({
        agent: agent.agent,
        sprint: sprint.sprint,
        status: agent.status,
        heartbeat: agent.heartbeat,
        ttl_minutes: agent.entry.ttl_minutes,
        expires: Number.isFinite(agent.expiresAt) ? new Date(agent.expiresAt).toISOString() : agent.heartbeat,
        stale: stale.get(`${sprint.sprint}\u0000${agent.agent}`) ?? false,
      });
    }
    if (!input.withoutTimeline) timeline[sprint.sprint] = sprint.entries.slice(-TIMELINE_LIMIT).map(entryView);
  }
  return {
    version: 1,
    sprints: rows,
    findings: [...input.findings],
    ready: input.plan.view.ready,
    waiting: input.plan.view.waiting,
    plans: input.plan.graph.plans.map((plan) => ({
      name: plan.name,
      summary: plan.summary,
      attempt: plan.attempt,
      steps: plan.steps.map((step) => ({ sprint: step.sprint, title: step.title, role: step.role, depends_on: [...step.depends_on], state: step.state, waiting_on: step.waiting_on })),
    })),
    generated_at: isoSeconds(input.now),
    repository: input.repository,
    agents,
    timeline,
    entries: input.entries,
    leases,
    lease_conflicts: leaseConflicts(leases).map(([a, b]) => ({ a: ref(a), b: ref(b) })),
  };
}
