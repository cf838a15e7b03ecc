/** `cos dispatch` output: the prompt on stdout (pipe it to the agent), a one-line receipt on stderr. */
import { visible } from './visible.js';
import type { ClaimResult } from '../dispatch/claim.js';
import { fileList } from '../protocol/fields.js';

/**
 * The receipt: who was dispatched where, and (forced) the entries it superseded — exactly what the
 * written entry's `supersedes` records, each once. The blockers are not listed here: one entry can
 * block twice (a BLOCKED holder with severity BLOCKER is occupied and an open escalation), and a
 * claim forced over on the remote names an entry no local blocker has.
 */
export function dispatchReceipt(result: ClaimResult): string {
  const superseded = fileList(result.entry.supersedes);
  const forced = superseded.length > 0 ? `; superseded ${superseded.join(', ')}` : '';
  return `${visible(`cos dispatch: ${result.entry.agent} (${result.entry.role}) dispatched to ${result.entry.sprint}: ${result.entry.path}${forced}`, { oneLine: true })}\n`;
}
