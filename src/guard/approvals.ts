/**
 * Guard denials and approvals among the entries. Pure.
 * - A denial is a BLOCKER NOTE with `denied: <command>` by the denied agent.
 * - It is open until another entry resolves or approves it (checks/handled.ts): while it is open,
 *   a retry of the same command by the same agent writes no second NOTE.
 * - An approval is a NOTE with `approves: <denial file>` by another identity. It lets exactly the
 *   denied command from the denied agent through once, within `guard.approval_minutes` of the
 *   approval's timestamp; that it was used is recorded outside the entries (approval-use.ts).
 */
import { handledIn, isHandled } from '../checks/handled.js';
import type { Entry } from '../protocol/fields.js';
import { parseTimestamp } from '../protocol/time.js';

/** The agent's open denial of exactly this command, if any. */
export function openDenial(entries: readonly Entry[], agent: string, command: string): Entry | null {
  const handled = handledIn(entries);
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (entry.status === 'NOTE' && entry.agent === agent && entry.denied === command && !isHandled(entry, handled)) return entry;
  }
  return null;
}

/** Approvals that could let `command` of `agent` through now, newest first (use each once). */
export function usableApprovals(entries: readonly Entry[], agent: string, command: string, now: Date, approvalMinutes: number): Entry[] {
  const denials = new Map<string, Entry>();
  for (const entry of entries) if (entry.status === 'NOTE' && entry.agent === agent && entry.denied === command) denials.set(entry.file, entry);
  const out: Entry[] = [];
  for (const entry of entries) {
    if (entry.status !== 'NOTE' || entry.approves === undefined || entry.agent === agent) continue;
    const denial = denials.get(entry.approves);
    if (!denial) continue;
    const age = now.getTime() - parseTimestamp(entry.timestamp);
    if (age < -60_000 || age > approvalMinutes * 60_000) continue;
    out.push(entry);
  }
  return out.reverse();
}
