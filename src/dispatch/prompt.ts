/**
 * The briefing prompt for a spawned agent (seed 002: "when spawning, bake in autonomy"): who it
 * is, its standing orders and escalation triggers, the sprint's history, its own preflight and
 * the exact commands to report with. Pure.
 */
import type { Entry } from '../protocol/fields.js';
import type { Role } from '../protocol/role.js';
import type { Blocker } from './blockers.js';
import { visible } from '../output/visible.js';
import { historyLine } from './history.js';
import { preflightItems } from './preflight.js';

/** What `buildPrompt` builds the dispatch briefing from: the role, the DISPATCHED entry, history and claims. */
export interface PromptInput {
  role: Role;
  /** The DISPATCHED entry just written. */
  entry: Entry;
  /** The sprint's entries before the dispatch, in order (current and archive). */
  history: readonly Entry[];
  /** What a forced dispatch overrode. */
  superseded: readonly Blocker[];
  /** COMPLETE claims on the sprint that no other agent has verified. */
  claims: readonly Entry[];
  /** Most history lines to show (the newest ones). */
  historyLimit?: number;
}

const q = (text: string) => `"${text}"`;

/** The role's prose under our own headings: its headings move two levels down (outside code fences). */
export function demoteHeadings(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      return !fenced && /^#{1,4}\s/.test(line) ? `##${line}` : line;
    })
    .join('\n');
}

/** The briefing prompt for a dispatched agent: role prose, orders, history, preflight, the exact commands. */
export function buildPrompt(input: PromptInput): string {
  const { role, entry, history, superseded, claims } = input;
  const s = entry.sprint;
  const a = entry.agent;
  const base = `cos post --sprint ${s} --agent ${a}`;
  const out: string[] = [];
  out.push(`# Briefing: ${role.title} on sprint ${s}`);
  out.push('');
  out.push(`You are agent \`${a}\`, role \`${role.name}\` (model tier: ${role.model}), dispatched to sprint \`${s}\` at ${entry.timestamp}.`);
  out.push(`Your dispatch entry is \`${entry.path}\`. Report only through status entries, with the commands below.`);
  if (role.prose) {
    out.push('', '## Your role', '', demoteHeadings(role.prose));
  }
  out.push('', '## Standing orders (act on these without asking)', '');
  if (role.standing_orders.length === 0) out.push('- (none: ask through an entry before anything beyond your sprint)');
  for (const order of role.standing_orders) out.push(`- ${order}`);
  out.push('', '## Escalate when', '');
  if (role.escalation_triggers.length === 0) out.push('- (no role-specific triggers)');
  for (const trigger of role.escalation_triggers) out.push(`- ${trigger}`);
  out.push(`- To escalate: \`${base} --status BLOCKED --severity URGENT --message ${q('what you need, from whom')}\` (BLOCKER if nothing can proceed), then stop and wait.`);

  const items = preflightItems(role);
  out.push('', '## Preflight: do this first', '');
  const files = items.filter((item) => item.kind === 'file');
  const skills = items.filter((item) => item.kind === 'skill');
  if (files.length > 0) out.push(`1. Verify you can read: ${files.map((item) => `\`${item.path}\``).join(', ')}.`);
  if (skills.length > 0) out.push(`${files.length > 0 ? 2 : 1}. Verify you have the skill${skills.length > 1 ? 's' : ''}: ${skills.map((item) => `\`${item.name}\` (\`${item.path}\`)`).join(', ')}.`);
  if (items.length === 0) out.push('1. Your role requires no files or skills; verify that `cos --version` runs in this repository.');
  out.push(`If any check fails, STOP and post: \`${base} --status BLOCKED --severity URGENT --message ${q('preflight failed: cannot read <item>')}\``);

  if (superseded.length > 0) {
    out.push('', '## This dispatch was forced', '');
    // A blocker names entries and their worktrees (repository text): kept on its line.
    for (const blocker of superseded) out.push(`- ${visible(blocker.message, { oneLine: true })}`);
    out.push('Read those entries before you start; do not repeat an approach that already failed.');
  }

  if (claims.length > 0) {
    out.push('', '## Claims waiting for verification', '');
    for (const claim of claims) {
      out.push(visible(`- ${claim.agent} claimed COMPLETE in \`${claim.file}\`. Check the work itself, then either verify it: \`${base} --status VERIFIED --verifies ${claim.file} --message ${q('what you checked')}\`, or reject it: \`${base} --status FAILED --verifies ${claim.file} --error ${q('<short failure signature>')} --message ${q('what is wrong')}\`.`, { oneLine: true }));
    }
  }

  const limit = input.historyLimit ?? 20;
  out.push('', `## Sprint history (${history.length} ${history.length === 1 ? 'entry' : 'entries'} before yours)`, '');
  if (history.length === 0) out.push('- (none: this is the first entry of the sprint)');
  if (history.length > limit) out.push(`- … ${history.length - limit} earlier entries (see .agent/status/)`);
  for (const item of history.slice(-limit)) out.push(`- ${historyLine(item)}`);

  out.push('', '## Report with exactly these commands', '');
  out.push('```sh');
  out.push(`${base} --status IN_PROGRESS --message ${q('starting: <your plan in one line>')}`);
  out.push(`cos heartbeat --sprint ${s} --agent ${a}   # at least every ${entry.ttl_minutes} minutes while you work`);
  out.push(`${base} --status COMPLETE --message ${q('what changed and how to check it')}`);
  out.push(`${base} --status BLOCKED --severity URGENT --message ${q('what you need, from whom')}`);
  out.push(`${base} --status FAILED --error ${q('<short failure signature>')} --message ${q('what failed')}`);
  const verifies = claims.length > 0 || role.name === 'qa-reviewer';
  if (verifies) {
    const target = claims.length > 0 ? visible(claims[claims.length - 1]!.file, { oneLine: true }) : '<COMPLETE entry file>';
    out.push(`${base} --status VERIFIED --verifies ${target} --message ${q('what you checked')}`);
    out.push(`${base} --status FAILED --verifies ${target} --error ${q('<short failure signature>')} --message ${q('what is wrong')}   # a rejection`);
  }
  out.push(`cos resolve <escalation entry file> --agent ${a} --message ${q('what was decided')}   # settles an URGENT/BLOCKER entry; holds nothing`);
  out.push('```');
  out.push(`Never leave your entry open: end with ${verifies ? 'VERIFIED, COMPLETE, BLOCKED or FAILED' : 'COMPLETE, BLOCKED or FAILED'}. Silent for more than ${entry.ttl_minutes} minutes, you count as stale and may be replaced.`);
  return `${out.join('\n')}\n`;
}
