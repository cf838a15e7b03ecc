/** `cos status`: the pipeline dashboard as text or JSON. */
import { analyze, type Analysis } from '../analyze.js';
import type { Finding } from '../checks/types.js';
import type { SprintState } from '../state/sprints.js';
import { formatAge, parseTimestamp } from '../protocol/time.js';
import { table, type Style } from './style.js';
import { planView } from '../plans/view.js';
import type { ReadyQueue } from '../plans/ready.js';

export interface StatusRow {
  sprint: string;
  state: string;
  /** `worktree`: where the agent's latest entry lives, when the repository has several worktrees. */
  agents: Array<{ agent: string; status: string; heartbeat: string; stale: boolean; worktree?: string }>;
  severity: string;
  /** Timestamp of the latest entry; null for a plan step nobody has taken up yet. */
  updated: string | null;
  flags: string[];
  /** For a plan step: its plan, and its dependencies that are not finished. */
  plan?: string;
  waiting_on?: string[];
}

export interface StatusReport {
  /** One row per sprint, most recently updated first (only sprints with an entry in current/ unless `all`). */
  sprints: StatusRow[];
  /** Findings that concern no single sprint (malformed files, overflow). */
  findings: Finding[];
  /** Valid entries read, current and archive. */
  entries: number;
  /** Files that did not parse or validate. */
  problems: number;
}

export interface StatusOptions {
  now?: Date;
  /** Include sprints whose entries are all archived. */
  all?: boolean;
  /** Paths of entries already mirrored to Notion, or null when sync is off. */
  synced?: ReadonlySet<string> | null;
}

/** The data of `cos status --json` (without `version`), and the analysis it came from. */
export function statusReport(root: string, options: StatusOptions = {}): StatusReport & { analysis: Analysis } {
  const analysis = analyze(root, { ...(options.now ? { now: options.now } : {}), synced: options.synced ?? null });
  const plans = planView(analysis.snapshot.root, analysis.sprints, analysis.config.config);
  return {
    sprints: statusSprints(analysis.sprints, analysis.findings, plans, options.all === true),
    findings: analysis.findings.filter((finding) => finding.sprint === null),
    entries: analysis.snapshot.entries.length,
    problems: analysis.snapshot.problems.length,
    analysis,
  };
}

/** The plan steps nobody has taken up yet: WAITING on their unfinished dependencies, or READY. */
export function planRows(queue: ReadyQueue): StatusRow[] {
  const rows: StatusRow[] = [];
  for (const item of queue.ready) rows.push({ sprint: item.sprint, state: 'READY', agents: [], severity: 'INFO', updated: null, flags: [], plan: item.plan, waiting_on: [] });
  for (const item of queue.waiting) rows.push({ sprint: item.sprint, state: 'WAITING', agents: [], severity: 'INFO', updated: null, flags: [], plan: item.plan, waiting_on: item.waiting_on });
  return rows;
}

/**
 * The rows `cos status` shows (and the board): sprints with an entry in current/ (or all), a
 * plan step marked with its plan, then the plan steps nobody has taken up yet.
 */
export function statusSprints(
  sprints: readonly SprintState[],
  findings: readonly Finding[],
  plans: ReadyQueue & { steps: ReadonlyMap<string, { plan: string }> },
  all = false,
): StatusRow[] {
  const rows = statusRows(all ? sprints : sprints.filter((sprint) => sprint.active), findings).map((row) => {
    const step = plans.steps.get(row.sprint);
    return step ? { ...row, plan: step.plan, waiting_on: [] as string[] } : row;
  });
  return [...rows, ...planRows(plans)];
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

/** One dashboard row per sprint. */
export function statusRows(sprints: readonly SprintState[], findings: readonly Finding[]): StatusRow[] {
  const flags = flagsBySprint(findings);
  // Stale as cos scan says: an entry superseded by a forced redispatch (or otherwise handled) is not.
  const stale = new Set(findings.filter((finding) => finding.kind === 'stale').flatMap((finding) => finding.files));
  return sprints.map((sprint) => ({
    sprint: sprint.sprint,
    state: sprint.state,
    agents: sprint.agents.map((agent) => ({
      agent: agent.agent,
      status: agent.status,
      heartbeat: agent.heartbeat,
      stale: agent.stale && stale.has(agent.entry.path),
      ...(agent.entry.worktree !== undefined ? { worktree: agent.entry.worktree } : {}),
    })),
    severity: sprint.severity,
    updated: sprint.updated,
    flags: flags.get(sprint.sprint) ?? [],
  }));
}

export function renderStatus(rows: readonly StatusRow[], repoFindings: readonly Finding[], now: Date, style: Style): string {
  const empty = 'No sprints yet. Post the first entry: cos post --sprint my-sprint --agent me --status IN_PROGRESS\n';
  if (rows.length === 0 && repoFindings.length === 0) return empty;
  const lines: string[][] = [['SPRINT', 'STATE', 'AGENTS', 'AGE', 'SEVERITY', 'FLAGS'].map((h) => style.bold(h))];
  for (const row of rows) {
    const agents = row.agents.map((a) => `${a.agent}${a.worktree !== undefined ? style.dim(`@${a.worktree}`) : ''}:${a.status}${a.stale ? style.red('(stale)') : ''}`).join(' ') || '-';
    const age = row.updated === null ? '-' : formatAge(now.getTime() - parseTimestamp(row.updated));
    const flags = row.waiting_on?.length ? `waits on ${row.waiting_on.join(',')}` : row.flags.join(',');
    lines.push([row.sprint, row.state, agents, age, row.updated === null ? '-' : style.severity(row.severity as never), flags ? style.yellow(flags) : '-']);
  }
  let out = rows.length > 0 ? `${table(lines)}\n` : empty;
  for (const finding of repoFindings) out += `${style.severity(finding.severity, `[${finding.severity}]`)} ${finding.message}\n`;
  return out;
}
