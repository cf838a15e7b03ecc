/**
 * The pre-tool-use hook's work once the guard has something to say (imported lazily by run.ts):
 * use an approval, or write the denial's BLOCKER NOTE (once per agent and command until it is
 * resolved); the budget gate; the needs-human NOTEs of the notification hook and their resolution.
 */
import { analyze } from '../analyze.js';
import { openDenial, usableApprovals } from '../guard/approvals.js';
import { takeApproval } from '../guard/approval-use.js';
import { denialLockFile } from '../guard/denial-lock.js';
import type { Entry } from '../protocol/fields.js';
import { readStore } from '../store/read.js';
import type { Identity } from './identity.js';
import { postAs } from './post-as.js';

export type DenialOutcome = { approved: string } | { note: Entry; fresh: boolean };

/**
 * An unused, current approval lets the command through (and is used up); else the denial NOTE —
 * the open one, or a new one. Under a lock per agent and command (guard/denial-lock.ts): of
 * parallel retries one writes the NOTE and the others, reading the store after it, find it open.
 */
export async function denyOrApprove(root: string, identity: Identity, denied: { rule: string; why: string; command: string }, approvalMinutes: number, now: Date): Promise<DenialOutcome> {
  const { withLock } = await import('../store/lock.js');
  return withLock(denialLockFile(root, identity.agent, denied.command), () => decide(root, identity, denied, approvalMinutes, now), { wait: 60_000 });
}

function decide(root: string, identity: Identity, denied: { rule: string; why: string; command: string }, approvalMinutes: number, now: Date): DenialOutcome {
  const entries = readStore(root).entries;
  for (const approval of usableApprovals(entries, identity.agent, denied.command, now, approvalMinutes)) {
    if (takeApproval(root, approval.file)) return { approved: approval.file };
  }
  const open = openDenial(entries, identity.agent, denied.command);
  if (open) return { note: open, fresh: false };
  const note = postAs(
    root,
    identity,
    {
      status: 'NOTE',
      severity: 'BLOCKER',
      title: `guard denied: ${denied.command.slice(0, 120)}`,
      denied: denied.command,
      extra: { guard_rule: denied.rule },
      message:
        `The cos guard (rule ${denied.rule}) denied this command of ${identity.agent}:\n\n` +
        '```sh\n' +
        `${denied.command}\n` +
        '```\n\n' +
        `Why: ${denied.why}.\n\n` +
        `If it is really needed, a person (not the agent) lets it through once, within ${approvalMinutes} minutes: cos approve <this file>.`,
    },
    now,
  );
  return { note, fresh: true };
}

/** The over-budget finding of the identity's sprint, when its spend is past the budget. */
export function overBudget(root: string, identity: Identity, now: Date): string | null {
  const finding = analyze(root, { now }).findings.find((item) => item.kind === 'over-budget' && item.sprint === identity.sprint);
  return finding ? finding.message : null;
}

/** The notification hook: an URGENT NOTE by the agent saying it waits on a person. */
export function postNeedsHuman(root: string, identity: Identity, input: { notification_type: string; message: string; title: string; session_id: string }, now: Date): Entry {
  return postAs(
    root,
    identity,
    {
      status: 'NOTE',
      severity: 'URGENT',
      title: `needs a human: ${input.notification_type}`,
      needs_human: input.notification_type,
      message:
        `${identity.agent} is waiting on a person (${input.notification_type}${input.title ? `: ${input.title}` : ''}).\n\n` +
        `${input.message || '(no message)'}\n\n` +
        `Claude Code session ${input.session_id}. Resolved when the agent's next tool call or entry arrives. (Posted by the cos notification hook.)`,
    },
    now,
  );
}

/**
 * Whether a needs-human NOTE is still open: not resolved, and no later entry of its agent on the
 * sprint (the check's rule, checks/needs-human.ts). A person may have resolved it (cos resolve)
 * while the agent still waits; the session's next notification is then a new wait.
 */
export function needsHumanOpen(root: string, file: string): boolean {
  const entries = readStore(root).entries;
  const note = entries.find((entry) => entry.file === file);
  if (!note) return false;
  if (entries.some((entry) => entry.agent === note.agent && entry.sprint === note.sprint && entry.seq > note.seq)) return false;
  return !entries.some((entry) => entry.resolves === file || (Array.isArray(entry.resolves) && entry.resolves.includes(file)));
}

/** The agent is back at work: an INFO NOTE resolving its needs-human NOTE (unless an entry already did). */
export function resolveNeedsHuman(root: string, identity: Identity, file: string, now: Date): Entry | null {
  if (!needsHumanOpen(root, file)) return null;
  return postAs(
    root,
    identity,
    { status: 'NOTE', severity: 'INFO', resolves: file, message: `${identity.agent} is back at work (a tool call arrived after ${file}). (Posted by the cos hooks.)` },
    now,
  );
}
