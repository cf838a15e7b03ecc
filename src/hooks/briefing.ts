/**
 * What the SessionStart hook shows the agent (Claude Code adds a SessionStart hook's stdout to
 * the session's context): its open entries, and what `cos brief` says about its sprints —
 * escalations and other highlights, work in progress, blocked work, unverified claims, next
 * steps. Without an identity: how to report, and what needs a human in the repository. Pure.
 *
 * Every line is kept on its line (visibleLines): an entry's field (needs_human, an error, a
 * summary) or a file name that holds a line break is shown with it escaped, so repository text can
 * never start a line of the context cos gives the agent — a forged heading or instruction.
 */
import { agentWhere, type Brief } from '../output/brief.js';
import { visibleLines } from '../output/visible.js';
import type { Entry } from '../protocol/fields.js';
import { deriveSprints } from '../state/lifecycle.js';
import { formatAge, parseTimestamp } from '../protocol/time.js';
import type { Identity } from './identity.js';

const MAX_ITEMS = 8;

function capped<T>(items: readonly T[], render: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_ITEMS).map(render);
  if (items.length > MAX_ITEMS) lines.push(`- … ${items.length - MAX_ITEMS} more (cos brief)`);
  return lines;
}

export interface BriefingInput {
  identity: Identity | null;
  /** Every valid entry, in protocol order. */
  entries: readonly Entry[];
  brief: Brief;
  now: Date;
  minIntervalSeconds: number;
}

/** The entries by which `agent` holds a sprint (the lifecycle's holders), one per sprint. */
export function openEntriesOf(entries: readonly Entry[], agent: string, now: Date = new Date()): Entry[] {
  const mine = new Set(entries.filter((entry) => entry.agent === agent).map((entry) => entry.sprint));
  const out: Entry[] = [];
  for (const sprint of deriveSprints(entries.filter((entry) => mine.has(entry.sprint)), now)) {
    for (const holder of sprint.holders) if (holder.agent === agent) out.push(holder.entry);
  }
  return out;
}

export function sessionBriefing({ identity, entries, brief, now, minIntervalSeconds }: BriefingInput): string {
  const out: string[] = [];
  if (!identity) {
    out.push('# agent-cos: this repository coordinates its agents through status entries', '');
    out.push('This session has no sprint and agent yet (no COS_SPRINT / COS_AGENT). If you were dispatched, your briefing names both; report first with');
    out.push('`cos post --sprint <sprint> --agent <you> --status IN_PROGRESS --message "starting: <plan>"`.');
    out.push('From then on the hooks refresh your heartbeat after each tool use and warn (a WARN entry) if you stop with the entry still open.');
    const human = brief.highlights.filter((item) => item.needs_human);
    if (human.length > 0) {
      out.push('', `Needs a human (${human.length}):`);
      out.push(...capped(human, (item) => `- [${item.severity}] ${item.kind}: ${item.message}`));
    }
    out.push('', 'Run `cos brief` for the whole picture, `cos status` for the dashboard.');
    return visibleLines(out);
  }
  const { sprint, agent } = identity;
  const open = openEntriesOf(entries, agent, now);
  const sprints = new Set([sprint, ...open.map((entry) => entry.sprint)]);
  const mine = (item: { sprint: string | null }) => item.sprint !== null && sprints.has(item.sprint);
  out.push(`# agent-cos briefing: agent \`${agent}\`, sprint \`${sprint}\``, '');
  out.push('Your open entries:');
  if (open.length === 0) out.push(`- (none) — start with: cos post --sprint ${sprint} --agent ${agent} --status IN_PROGRESS --message "starting: <plan>"`);
  out.push(
    ...capped(open, (entry) => {
      const age = formatAge(now.getTime() - parseTimestamp(entry.heartbeat));
      return `- \`${entry.sprint}\` ${entry.status} (${entry.severity}), heartbeat ${age} ago, ttl ${entry.ttl_minutes}m: \`${entry.path}\``;
    }),
  );
  const highlights = brief.highlights.filter(mine);
  if (highlights.length > 0) {
    out.push('', 'Needs attention on your sprints:');
    out.push(...capped(highlights, (item) => `- [${item.severity}] ${item.kind}: ${item.message} → ${item.action}`));
  }
  const others = brief.in_progress.filter((item) => mine(item) && item.agent !== agent);
  if (others.length > 0) {
    out.push('', 'Others working on your sprints:');
    out.push(...capped(others, (item) => `- ${agentWhere(item, brief.worktree)} on \`${item.sprint}\`: ${item.status}${item.stale ? ' (stale)' : ''} — ${item.summary}`));
  }
  const blocked = brief.blocked.filter(mine);
  if (blocked.length > 0) {
    out.push('', 'Blocked or failed on your sprints:');
    out.push(...capped(blocked, (item) => `- ${agentWhere(item, brief.worktree)} ${item.status}${item.error ? ` (error ${JSON.stringify(item.error)})` : ''} in \`${item.file}\`: ${item.summary}`));
  }
  const unverified = brief.unverified.filter((item) => mine(item) && item.agent !== agent);
  if (unverified.length > 0) {
    out.push('', 'Claims waiting for verification by another agent:');
    out.push(...capped(unverified, (item) => `- ${agentWhere(item, brief.worktree)} COMPLETE in \`${item.file}\` (cos post --sprint ${item.sprint} --agent ${agent} --status VERIFIED --verifies ${item.file.split('/').pop()} --message "what you checked")`));
  }
  const base = `cos post --sprint ${sprint} --agent ${agent}`;
  out.push('', 'Report with:', '```sh');
  out.push(`${base} --status COMPLETE --message "what changed and how to check it"`);
  out.push(`${base} --status BLOCKED --severity URGENT --message "what you need, from whom"`);
  out.push(`${base} --status FAILED --error "<failure signature>" --message "what failed"`);
  out.push(`${base} --status IN_PROGRESS --resolves <escalation file> --message "what was decided"`);
  out.push('```');
  out.push(`Heartbeats: the post-tool-use hook refreshes your open entry after tool use (at most every ${minIntervalSeconds}s). End with COMPLETE, BLOCKED or FAILED; stopping with the entry open posts a WARN entry.`);
  return visibleLines(out);
}
