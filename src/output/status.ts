/**
 * `cos status`: the pipeline dashboard as text or JSON. It formats; it decides nothing: STATE is
 * the lifecycle's (state/lifecycle.ts), SEVERITY the highest open finding on the sprint (null when
 * none), FLAGS the kinds of its open findings.
 */
import { analyze, type Analysis, type AnalyzeOptions } from '../analyze.js';
import { liveLeases, type Lease } from '../leases/leases.js';
import type { Finding } from '../checks/types.js';
import { severityRank, type Severity } from '../protocol/fields.js';
import { formatAge, parseTimestamp } from '../protocol/time.js';
import { applyPlan, compareSprints, type SprintState } from '../state/lifecycle.js';
import { loadPlans } from '../plans/files.js';
import { planInput, plannedSteps, type PlannedStep } from '../plans/ready.js';
import { table, type Style } from './style.js';
import { visible, visibleLines } from './visible.js';

/** An agent on a status row: its status, heartbeat and whether it is stale. */
export interface StatusAgent {
  agent: string;
  /** The status of the agent's latest entry on the sprint (NOTEs do not count). */
  status: string;
  heartbeat: string;
  stale: boolean;
  /** Whether it holds the sprint (DISPATCHED, IN_PROGRESS or BLOCKED, not superseded). */
  holding: boolean;
  /** Where the agent's latest entry lives, when the repository has several worktrees. */
  worktree?: string;
}

/** One sprint as `cos status` shows it. */
export interface StatusRow {
  sprint: string;
  /** The lifecycle state: WAITING, READY, DISPATCHED, IN_PROGRESS, STALE, BLOCKED, FAILED, COMPLETE, VERIFIED. */
  state: string;
  /** Holders first, then the others, each in order of first appearance. */
  agents: StatusAgent[];
  /** The highest severity among the sprint's open findings, or null when it has none. */
  severity: Severity | null;
  /** Timestamp of the latest entry; null for a plan step nobody has taken up yet. */
  updated: string | null;
  flags: string[];
  /** Plan dependencies not finished yet (WAITING); empty otherwise. */
  waiting_on: string[];
  /** For a plan step: the plan it belongs to. */
  plan?: string;
}

/** What `statusReport` returns (`cos status`): sprint rows, findings, leases and counts. */
export interface StatusReport {
  /** One row per sprint, most recently updated first (see statusReport for which sprints). */
  sprints: StatusRow[];
  /** Findings that concern no single sprint (malformed files, overflow). */
  findings: Finding[];
  /** Live path leases (cos lease), in the order they were taken. */
  leases: Lease[];
  /** Valid entries read, current and archive. */
  entries: number;
  /** Files that did not parse or validate. */
  problems: number;
}

/** Options of `statusReport` (`cos status`): the analysis options, and `all` to include finished sprints. */
export interface StatusOptions extends AnalyzeOptions {
  /** Include sprints whose entries are all archived and that have no open finding. */
  all?: boolean;
}

/**
 * The data of `cos status --json` (without `version`), and the analysis it came from. A sprint
 * is shown while it has an entry in `current/`, an open finding (wherever its entries are), or is
 * a plan step; `all` shows every sprint.
 */
export function statusReport(root: string, options: StatusOptions = {}): StatusReport & { analysis: Analysis } {
  // Plan steps feed the lifecycle (WAITING / READY), unless the caller brought its own input.
  const steps = plannedSteps(loadPlans(root).plans);
  const analysis = analyze(root, { ...options, plan: options.plan ?? planInput(steps) });
  return {
    sprints: statusSprints(analysis.sprints, analysis.findings, { steps }, options.all),
    findings: analysis.findings.filter((finding) => finding.sprint === null),
    leases: liveLeases(analysis.snapshot.entries, analysis.now),
    entries: analysis.snapshot.entries.length,
    problems: analysis.snapshot.problems.length,
    analysis,
  };
}

/**
 * The rows `cos status` shows (and the board) from already-derived sprints (with or without the
 * plan input: the lifecycle's plan rule is applied here too): sprints with an entry in current/ or
 * an open finding (or all), and every plan step, marked with its plan; the steps nobody has taken
 * up yet (READY or WAITING, with no entry) come last, by name.
 */
export function statusSprints(sprints: readonly SprintState[], findings: readonly Finding[], plans: { steps: ReadonlyMap<string, PlannedStep> }, all = false): StatusRow[] {
  const derived = applyPlan(sprints, planInput(plans.steps)).sort(compareSprints);
  const flagged = new Set(findings.map((finding) => finding.sprint));
  const shown = all ? derived : derived.filter((sprint) => sprint.active || sprint.entries.length === 0 || flagged.has(sprint.sprint));
  return statusRows(shown, findings).map((row) => {
    const step = plans.steps.get(row.sprint);
    return step ? { ...row, plan: step.plan } : row;
  });
}

/** Finding kinds per sprint, in the order findings were ranked (most severe first). */
export function flagsBySprint(findings: readonly Finding[]): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  for (const finding of findings) {
    if (finding.sprint === null) continue;
    const list = flags.get(finding.sprint) ?? [];
    if (!list.includes(finding.kind)) list.push(finding.kind);
    flags.set(finding.sprint, list);
  }
  return flags;
}

/** The highest severity among each sprint's open findings. */
export function severityBySprint(findings: readonly Finding[]): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const finding of findings) {
    if (finding.sprint === null) continue;
    const known = out.get(finding.sprint);
    if (known === undefined || severityRank(finding.severity) > severityRank(known)) out.set(finding.sprint, finding.severity);
  }
  return out;
}

/** One dashboard row per sprint. */
export function statusRows(sprints: readonly SprintState[], findings: readonly Finding[]): StatusRow[] {
  const flags = flagsBySprint(findings);
  const severities = severityBySprint(findings);
  return sprints.map((sprint) => ({
    sprint: sprint.sprint,
    state: sprint.state,
    agents: [...sprint.holders, ...sprint.agents.filter((agent) => !agent.holding)].map((agent) => ({
      agent: agent.agent,
      status: agent.status,
      heartbeat: agent.heartbeat,
      stale: agent.stale,
      holding: agent.holding,
      ...(agent.entry.worktree !== undefined ? { worktree: agent.entry.worktree } : {}),
    })),
    severity: severities.get(sprint.sprint) ?? null,
    updated: sprint.entries.length === 0 ? null : sprint.updated,
    flags: flags.get(sprint.sprint) ?? [],
    waiting_on: sprint.waitingOn,
  }));
}

const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
/** The columns a cell takes on screen (its colour sequences take none). */
const columnsOf = (text: string) => plain(text).length;

/** `text` in at most `width` columns: cut with … when longer (plain text only). */
export function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Agents that fit in `budget` columns: as many as fit, then `+N more`. The first agent is
 * always shown, cut with … (and without its colours) when it does not fit beside `+N more`;
 * the result is never wider than `budget` unless the budget cannot hold one character and the tail.
 */
export function fitAgents(cells: readonly string[], budget: number): string {
  if (cells.length === 0) return '-';
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    const next = out === '' ? cells[i]! : `${out} ${cells[i]}`;
    const rest = cells.length - i - 1;
    const tail = rest > 0 ? ` +${rest} more` : '';
    if (columnsOf(next) + tail.length <= budget) {
      out = next;
      continue;
    }
    // The agents so far fit with "+N more" after them (checked on the previous round).
    if (out !== '') return `${out} +${cells.length - i} more`;
    // Too narrow for "x… +N more": "x… +N".
    const short = budget - tail.length >= 2 ? tail : rest > 0 ? ` +${rest}` : '';
    return `${cut(plain(cells[0]!), Math.max(2, budget - short.length))}${short}`;
  }
  return out;
}

/** Columns the AGENTS column may claim before SPRINT and FLAGS are cut to make room. */
const AGENTS_MIN = 20;
const SPRINT_MIN = 12;
const FLAGS_MIN = 10;
const GAP = 2;

/**
 * The widths of SPRINT and FLAGS and the AGENTS budget for a terminal of `columns`: every column as
 * wide as its widest cell while the line fits; otherwise AGENTS takes what is left down to
 * AGENTS_MIN, then FLAGS and SPRINT are cut (to FLAGS_MIN and SPRINT_MIN), then AGENTS shrinks
 * further. Only a terminal too narrow for those minimums gets longer lines.
 */
export function statusWidths(columns: number, natural: { sprint: number; state: number; agents: number; age: number; severity: number; flags: number }): { sprint: number; flags: number; agents: number } {
  let { sprint, flags } = natural;
  const room = () => columns - (sprint + natural.state + natural.age + natural.severity + flags + 5 * GAP);
  let short = Math.min(natural.agents, AGENTS_MIN) - room();
  const flagsCut = Math.max(0, Math.min(short, flags - Math.max(FLAGS_MIN, 'FLAGS'.length)));
  flags -= flagsCut;
  short -= flagsCut;
  if (short > 0) sprint -= Math.max(0, Math.min(short, sprint - Math.max(SPRINT_MIN, 'SPRINT'.length)));
  return { sprint, flags, agents: Math.max('AGENTS'.length, Math.min(natural.agents, room())) };
}

/**
 * `columns`: the terminal's width (default 100; a pipe gets 100 too, so lines stay short). Every
 * line fits in it (see statusWidths), down to about 60 columns.
 */
export function renderStatus(rows: readonly StatusRow[], repoFindings: readonly Finding[], now: Date, style: Style, columns = 100): string {
  const empty = 'No sprints yet. Post the first entry: cos post --sprint my-sprint --agent me --status IN_PROGRESS\n';
  if (rows.length === 0 && repoFindings.length === 0) return empty;
  const header = ['SPRINT', 'STATE', 'AGENTS', 'AGE', 'SEVERITY', 'FLAGS'];
  const cells = rows.map((row) => ({
    sprint: row.sprint,
    state: row.state,
    agents: row.agents.map((a) => `${a.agent}${a.worktree !== undefined ? style.dim(`@${visible(a.worktree, { oneLine: true })}`) : ''}:${a.status}${a.stale ? style.red('(stale)') : ''}`),
    age: row.updated === null ? '-' : formatAge(now.getTime() - parseTimestamp(row.updated)),
    severity: row.severity ?? '-',
    flags: [...row.flags, ...(row.waiting_on.length ? [`waits on ${row.waiting_on.join(',')}`] : [])].join(',') || '-',
  }));
  const width = (key: 'sprint' | 'state' | 'age' | 'severity' | 'flags', title: string) => Math.max(title.length, ...cells.map((cell) => columnsOf(cell[key])));
  const agents = Math.max('AGENTS'.length, ...cells.map((cell) => columnsOf(cell.agents.join(' ')) || 1));
  const fit = statusWidths(columns, { sprint: width('sprint', 'SPRINT'), state: width('state', 'STATE'), agents, age: width('age', 'AGE'), severity: width('severity', 'SEVERITY'), flags: width('flags', 'FLAGS') });
  const lines: string[][] = [header.map((h) => style.bold(h))];
  for (const cell of cells) {
    const severity = cell.severity === '-' ? '-' : style.severity(cell.severity as Severity);
    const flags = cut(cell.flags, fit.flags);
    lines.push([cut(cell.sprint, fit.sprint), cell.state, fitAgents(cell.agents, fit.agents), cell.age, severity, flags === '-' ? '-' : style.yellow(flags)]);
  }
  let out = rows.length > 0 ? `${table(lines)}\n` : empty;
  // A finding's message names repository files: it stays on its line, its control characters escaped.
  for (const finding of repoFindings) out += `${style.severity(finding.severity, `[${finding.severity}]`)} ${visible(finding.message, { oneLine: true })}\n`;
  return out;
}

/** The live path leases (cos lease), one line each, for `cos status`. */
export function renderLeases(leases: readonly Lease[]): string {
  if (leases.length === 0) return '';
  const agent = Math.max(5, ...leases.map((lease) => lease.agent.length));
  const pattern = Math.max(7, ...leases.map((lease) => lease.pattern.length));
  const lines = leases.map((lease) => `  ${lease.agent.padEnd(agent)}  ${lease.pattern.padEnd(pattern)}  ${lease.sprint}, until ${lease.until}`);
  return visibleLines(['', 'Leases:', ...lines]);
}
