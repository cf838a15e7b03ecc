/** `cos dispatch` output: the prompt on stdout (pipe it to the agent), a one-line receipt on stderr. */
import { visible } from './visible.js';
import type { ClaimResult } from '../dispatch/claim.js';

export function dispatchReceipt(result: ClaimResult): string {
  const forced = result.superseded.length > 0 ? `; superseded ${result.superseded.flatMap((b) => b.entries.map((e) => e.file)).join(', ')}` : '';
  return `${visible(`cos dispatch: ${result.entry.agent} (${result.entry.role}) dispatched to ${result.entry.sprint}: ${result.entry.path}${forced}`, { oneLine: true })}\n`;
}
