/**
 * The daily briefing (seed 000: "record everything, present the highlights"): a pure model built
 * from an analysis, rendered as markdown or returned as JSON (shape in docs/chief.md).
 */
import type { Analysis } from '../analyze.js';
import { liveLeases, type Lease } from '../leases/leases.js';
import type { CoordinationConfig } from '../config/schema.js';
import { handledIn } from '../checks/handled.js';
import { failureState } from '../checks/repeated-failure.js';
import { isPresent } from '../checks/scope.js';
import type { Finding, FindingKind } from '../checks/types.js';
import { summaryLine } from '../dispatch/history.js';
import { nextSteps, type NextStep } from '../dispatch/next.js';
import type { ReadyItem, ReadyQueue, WaitingItem } from '../plans/ready.js';
import type { Entry, Severity, Status } from '../protocol/fields.js';
import { formatAge, isoSeconds, parseTimestamp } from '../protocol/time.js';
import type { SprintState } from '../state/lifecycle.js';
import type { Worktree } from '../store/worktrees.js';
import { countOf } from './count.js';
import { visibleLines } from './visible.js';

/** Finding kinds that lead the briefing; the rest have their own sections or belong to cos scan. */
const HIGHLIGHT_KINDS: readonly FindingKind[] = ['needs-human', 'escalation', 'lease-conflict', 'conflict', 'repeated-failure', 'over-budget', 'stale', 'overflow', 'malformed'];
/** Kinds only a person can settle. */
const HUMAN_KINDS: readonly FindingKind[] = ['needs-human', 'escalation', 'lease-conflict', 'conflict', 'repeated-failure', 'over-budget'];

/** A finding the brief puts first (an escalation, a stale holder, a repeated failure). */
export interface BriefHighlight extends Finding {
  needs_human: boolean;
}

/** A sprint completed within the brief window, with its verification. */
export interface BriefCompleted {
  sprint: string;
  agent: string;
  /** The worktree the entry lives in, when the repository has several (as in cos status). */
  worktree?: string;
  status: Status;
  file: string;
  timestamp: string;
  summary: string;
  /** For a COMPLETE: the VERIFIED entry (path) from another agent that checked it, or null. */
  verified_by: string | null;
  /** For a COMPLETE not verified: a later FAILED (path) by another agent on the sprint that refuted it, or null. */
  refuted_by: string | null;
  /** For a VERIFIED: the COMPLETE entry it names, or null. */
  verifies: string | null;
}

/** A sprint being worked on: its holder, phase and last heartbeat. */
export interface BriefInProgress {
  sprint: string;
  agent: string;
  /** The worktree the entry lives in, when the repository has several (as in cos status). */
  worktree?: string;
  status: Status;
  file: string;
  heartbeat: string;
  heartbeat_age_seconds: number;
  ttl_minutes: number;
  stale: boolean;
  summary: string;
}

/** A file the brief could not read, and why. */
export interface BriefProblem {
  sprint: string;
  agent: string;
  /** The worktree the entry lives in, when the repository has several (as in cos status). */
  worktree?: string;
  status: Status;
  severity: Severity;
  file: string;
  timestamp: string;
  error: string | null;
  /** Counting FAILED attempts on the sprint, and the cap. */
  attempts: number;
  attempt_cap: number;
  summary: string;
}

/** A COMPLETE that still waits for a VERIFIED from another agent. */
export interface BriefUnverified {
  sprint: string;
  agent: string;
  /** The worktree the entry lives in, when the repository has several (as in cos status). */
  worktree?: string;
  file: string;
  timestamp: string;
}

/** The chief of staff's brief (`cos brief`): highlights, work in progress, completions, problems. */
export interface Brief {
  generated: string;
  /** The worktree the briefing was made in, when the repository has several (null otherwise): items with another `worktree` come from elsewhere. */
  worktree: string | null;
  since: string;
  initialised: boolean;
  counts: {
    entries: number;
    problems: number;
    sprints_active: number;
    completed: number;
    verified: number;
    in_progress: number;
    stale: number;
    blocked: number;
    failed: number;
    unverified: number;
    findings: number;
  };
  highlights: BriefHighlight[];
  completed: BriefCompleted[];
  in_progress: BriefInProgress[];
  blocked: BriefProblem[];
  unverified: BriefUnverified[];
  /** READY plan steps first (`cos dispatch` them), then what moves each present sprint on. */
  next: NextStep[];
  /** Plan steps WAITING on unfinished dependencies. */
  waiting: WaitingItem[];
  /** Live path leases (cos lease). */
  leases: Lease[];
}

/** What `buildBrief` builds the brief from: entries, sprint states, findings, config, roles, the window and the clock. */
export interface BriefInput {
  entries: readonly Entry[];
  problems: number;
  sprints: readonly SprintState[];
  findings: readonly Finding[];
  config: CoordinationConfig;
  roles: readonly string[];
  now: Date;
  since: Date;
  initialised: boolean;
  /** The ready queue of the plans (cos ready); none when omitted. */
  queue?: ReadyQueue;
  /** The worktrees read (StoreSnapshot.worktrees): entries of the others are marked. */
  worktrees?: readonly Worktree[];
}

/** The name of the worktree cos runs in, when the repository has several; else undefined. */
export function worktreeHere(worktrees: readonly Worktree[] | undefined): string | undefined {
  return worktrees && worktrees.length > 1 ? worktrees.find((worktree) => worktree.here)?.name : undefined;
}

const where = (entry: Entry) => (entry.worktree !== undefined ? { worktree: entry.worktree } : {});

/** The agent of an item, marked `agent@worktree` when its entry lives in another worktree than `here` (as in cos status). */
export function agentWhere(item: { agent: string; worktree?: string }, here: string | null): string {
  return item.worktree !== undefined && item.worktree !== here ? `${item.agent}@${item.worktree}` : item.agent;
}

/**
 * "Active" (PRODUCT.md version 2, `cos brief`): held by someone, or with an open finding — not
 * merely "has files in current/".
 */
export function isActive(sprint: SprintState, findings: readonly Finding[]): boolean {
  return sprint.holders.length > 0 || findings.some((finding) => finding.sprint === sprint.sprint);
}

/** The brief's input from one analysis of the repository (`cos brief` and the session-start hook). */
export function briefInput(analysis: Analysis, options: Omit<BriefInput, 'entries' | 'problems' | 'sprints' | 'findings' | 'config' | 'now' | 'worktrees'>): BriefInput {
  return {
    entries: analysis.snapshot.entries,
    problems: analysis.snapshot.problems.length,
    sprints: analysis.sprints,
    findings: analysis.findings,
    config: analysis.config.config,
    now: analysis.now,
    worktrees: analysis.snapshot.worktrees,
    ...options,
  };
}

/** The daily briefing (highlights, completed, in progress, blocked, unverified, next) from one analysis. Pure. */
export function buildBrief(input: BriefInput): Brief {
  const { entries, sprints, findings, config, roles, now, since } = input;
  const handled = handledIn(entries);
  const present = sprints.filter((sprint) => isPresent(sprint, now, config));
  const sinceMs = since.getTime();

  // Reviews are the lifecycle's: the latest valid VERIFIED or rejection of each claim.
  const completed: BriefCompleted[] = [];
  for (const sprint of sprints) {
    for (const entry of sprint.entries) {
      if ((entry.status !== 'COMPLETE' && entry.status !== 'VERIFIED') || parseTimestamp(entry.timestamp) < sinceMs) continue;
      const review = entry.status === 'COMPLETE' ? (sprint.reviews.get(entry.file) ?? null) : null;
      completed.push({
        sprint: sprint.sprint,
        agent: entry.agent,
        ...where(entry),
        status: entry.status,
        file: entry.path,
        timestamp: entry.timestamp,
        summary: summaryLine(entry),
        verified_by: review?.status === 'VERIFIED' ? review.path : null,
        refuted_by: review?.status === 'FAILED' ? review.path : null,
        verifies: entry.status === 'VERIFIED' ? (entry.verifies ?? null) : null,
      });
    }
  }
  completed.sort((a, b) => parseTimestamp(b.timestamp) - parseTimestamp(a.timestamp));

  const inProgress: BriefInProgress[] = [];
  const blocked: BriefProblem[] = [];
  for (const sprint of present) {
    const attempts = failureState(sprint, config.dispatch.attempt_cap).failures.length;
    // Holders (working or BLOCKED), and the failure that left a FAILED sprint.
    const failed = sprint.state === 'FAILED' ? sprint.agents.filter((agent) => agent.status === 'FAILED').slice(-1) : [];
    for (const agent of [...sprint.holders, ...failed]) {
      const entry = agent.entry;
      if (agent.status === 'DISPATCHED' || agent.status === 'IN_PROGRESS') {
        inProgress.push({
          sprint: sprint.sprint,
          agent: agent.agent,
          ...where(entry),
          status: agent.status,
          file: entry.path,
          heartbeat: agent.heartbeat,
          heartbeat_age_seconds: Math.max(0, Math.floor((now.getTime() - parseTimestamp(agent.heartbeat)) / 1000)),
          ttl_minutes: entry.ttl_minutes,
          stale: agent.stale,
          summary: summaryLine(entry),
        });
      } else if (agent.status === 'BLOCKED' || agent.status === 'FAILED') {
        blocked.push({
          sprint: sprint.sprint,
          agent: agent.agent,
          ...where(entry),
          status: agent.status,
          severity: entry.severity,
          file: entry.path,
          timestamp: entry.timestamp,
          error: entry.error ?? null,
          attempts,
          attempt_cap: config.dispatch.attempt_cap,
          summary: summaryLine(entry),
        });
      }
    }
  }
  inProgress.sort((a, b) => Number(b.stale) - Number(a.stale) || a.sprint.localeCompare(b.sprint));
  blocked.sort((a, b) => parseTimestamp(b.timestamp) - parseTimestamp(a.timestamp));

  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const unverified: BriefUnverified[] = findings
    .filter((finding) => finding.kind === 'unverified')
    .map((finding) => byPath.get(finding.files[0]!)!)
    .filter(Boolean)
    .map((entry) => ({ sprint: entry.sprint, agent: entry.agent, ...where(entry), file: entry.path, timestamp: entry.timestamp }));

  const highlights = findings
    .filter((finding) => HIGHLIGHT_KINDS.includes(finding.kind))
    .map((finding) => ({ ...finding, needs_human: HUMAN_KINDS.includes(finding.kind) }));

  return {
    generated: isoSeconds(now),
    worktree: worktreeHere(input.worktrees) ?? null,
    since: isoSeconds(since),
    initialised: input.initialised,
    counts: {
      entries: entries.length,
      problems: input.problems,
      sprints_active: sprints.filter((sprint) => isActive(sprint, findings)).length,
      completed: completed.filter((item) => item.status === 'COMPLETE').length,
      verified: completed.filter((item) => item.status === 'VERIFIED').length,
      in_progress: inProgress.length,
      stale: inProgress.filter((item) => item.stale).length,
      blocked: blocked.filter((item) => item.status === 'BLOCKED').length,
      failed: blocked.filter((item) => item.status === 'FAILED').length,
      unverified: unverified.length,
      findings: findings.length,
    },
    highlights,
    completed,
    in_progress: inProgress,
    blocked,
    unverified,
    next: [...(input.queue?.ready ?? []).map(readyStep), ...nextSteps(present, { handled, config, roles })],
    waiting: input.queue?.waiting ?? [],
    leases: liveLeases(entries, now),
  };
}

/** A READY plan step as the briefing's first kind of next step. */
function readyStep(item: ReadyItem): NextStep {
  return {
    action: 'dispatch',
    sprint: item.sprint,
    role: item.role,
    command: `cos dispatch ${item.role} ${item.sprint}`,
    reason: `READY in plan ${item.plan}: ${item.title}`,
    files: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Markdown

function ago(now: Date, timestamp: string): string {
  return `${formatAge(now.getTime() - parseTimestamp(timestamp))} ago`;
}


const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The briefing as markdown. */
export function renderBrief(brief: Brief, options: { title: string; window: string }): string {
  const now = new Date(brief.generated);
  const who = (item: { agent: string; worktree?: string }) => agentWhere(item, brief.worktree);
  const out: string[] = [];
  out.push(`# Briefing: ${options.title}, ${brief.generated.replace('T', ' ').replace('Z', ' UTC')}`);
  out.push('');
  if (!brief.initialised) {
    out.push('No `.agent/` here yet. Start with `cos init`, then `cos dispatch developer <sprint>`.');
    return visibleLines(out);
  }
  if (brief.counts.entries === 0 && brief.counts.problems === 0 && brief.next.length === 0) {
    out.push('No status entries yet. Dispatch the first sprint: `cos dispatch developer <sprint>` (it prints the briefing for the agent).');
    return visibleLines(out);
  }
  const c = brief.counts;
  const human = brief.highlights.filter((h) => h.needs_human).length;
  out.push(
    `Since ${brief.since.replace('T', ' ').replace('Z', ' UTC')} (${options.window}): ${[
      countOf(c.sprints_active, 'active sprint'),
      `${c.completed} completed, ${c.verified} verified`,
      `${c.in_progress} in progress${c.stale > 0 ? ` (${c.stale} stale)` : ''}`,
      `${c.blocked} blocked, ${c.failed} failed`,
      countOf(c.unverified, 'unverified claim'),
      human > 0 ? `**${human} need${human === 1 ? 's' : ''} a human**` : 'nothing needs a human',
    ].join(' · ')}.`,
  );

  out.push('', '## Highlights', '');
  if (brief.highlights.length === 0) out.push('- Nothing needs attention: no escalations, stale agents, conflicts or repeated failures.');
  for (const h of brief.highlights) {
    const who = h.needs_human ? ' **needs a human**' : '';
    out.push(`- **${h.severity}** ${h.kind}${h.sprint ? ` · \`${h.sprint}\`` : ''}${who}: ${h.message}`);
    out.push(`  → ${h.action}`);
  }

  out.push('', `## Completed and verified (${options.window})`, '');
  if (brief.completed.length === 0) out.push('- none');
  for (const item of brief.completed) {
    const check =
      item.status === 'VERIFIED'
        ? `VERIFIED${item.verifies ? ` ${item.verifies}` : ''}`
        : item.verified_by
          ? `COMPLETE, verified (${name(item.verified_by)})`
          : item.refuted_by
            ? `COMPLETE, **failed review** (${name(item.refuted_by)})`
            : 'COMPLETE, **not verified yet**';
    out.push(`- \`${item.sprint}\`: ${who(item)} ${check}, ${ago(now, item.timestamp)}${item.summary ? `: ${item.summary}` : ''}`);
  }

  out.push('', '## In progress', '');
  if (brief.in_progress.length === 0) out.push('- none');
  for (const item of brief.in_progress) {
    const beat = `heartbeat ${formatAge(item.heartbeat_age_seconds * 1000)} ago (ttl ${item.ttl_minutes}m)`;
    out.push(`- \`${item.sprint}\`: ${who(item)} ${item.status}, ${beat}${item.stale ? ', **stale**' : ''}${item.summary ? `: ${item.summary}` : ''}`);
  }

  if (brief.leases.length > 0) {
    out.push('', '## Leases', '');
    for (const lease of brief.leases) out.push(`- \`${lease.pattern}\`: ${lease.agent} on \`${lease.sprint}\`, until ${lease.until.replace('T', ' ').replace('Z', ' UTC')}`);
  }

  out.push('', '## Blocked and failed', '');
  if (brief.blocked.length === 0) out.push('- none');
  for (const item of brief.blocked) {
    const error = item.error ? `, error \`${item.error}\`` : '';
    const attempts = item.status === 'FAILED' ? ` (attempt ${item.attempts} of ${item.attempt_cap})` : '';
    const severity = item.severity === 'INFO' ? '' : ` ${item.severity}`;
    out.push(`- \`${item.sprint}\`: ${who(item)} ${item.status}${severity} ${ago(now, item.timestamp)}${error}${attempts}${item.summary ? `: ${item.summary}` : ''}`);
  }

  out.push('', '## Unverified claims', '');
  if (brief.unverified.length === 0) out.push('- none');
  for (const item of brief.unverified) out.push(`- \`${item.sprint}\`: ${who(item)} COMPLETE in \`${name(item.file)}\`, ${ago(now, item.timestamp)}; no other agent has verified it`);

  out.push('', '## What to dispatch next', '');
  if (brief.next.length === 0) out.push(`- nothing: every sprint has a live agent on it or is done and verified${brief.waiting.length > 0 ? ', and every plan step left waits on another' : ''}`);
  for (const step of brief.next) {
    out.push(`- \`${step.sprint}\`: ${step.command ? `\`${step.command}\` — ` : ''}${step.reason}`);
  }
  if (brief.waiting.length > 0) {
    out.push(`- waiting (plan steps, not yet): ${brief.waiting.map((item) => `\`${item.sprint}\` on ${item.waiting_on.join(', ')}`).join('; ')}`);
  }
  out.push('', `_${countOf(c.entries, 'entry', 'entries')} read (current and archive)${c.problems > 0 ? `, ${countOf(c.problems, 'malformed file')}` : ''}; every finding: \`cos scan\`._`);
  return visibleLines(out);
}
