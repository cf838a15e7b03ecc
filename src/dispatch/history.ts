/** Compact, one-line views of entries for briefings and prompts. Pure. */
import { summaryLine } from '../checks/summary.js';
import { visible } from '../output/visible.js';
import type { Entry } from '../protocol/fields.js';

export { summaryLine };

/** A repository's value inside the line: its line breaks and control characters escaped. */
const one = (text: string) => visible(text, { oneLine: true });

/**
 * `#007 2026-01-14T04:30:00Z developer COMPLETE [URGENT] error="x" — summary (file)`: one line
 * whatever the entry holds. Each field quoted from the entry (agent, error, verifies, the summary,
 * the file name) is escaped, so an entry can never start a line of the briefing (a forged heading
 * or order). The error is JSON-quoted already (its line breaks and backslashes escaped by
 * JSON.stringify), so only what JSON leaves raw is escaped in it, never its backslashes again.
 */
export function historyLine(entry: Entry): string {
  const parts = [`#${String(entry.seq).padStart(3, '0')}`, one(entry.timestamp), one(entry.agent), one(entry.status)];
  if (entry.severity !== 'INFO') parts.push(`[${one(entry.severity)}]`);
  if (entry.error) parts.push(`error=${visible(JSON.stringify(entry.error))}`);
  if (entry.verifies) parts.push(`verifies ${one(entry.verifies)}`);
  const summary = summaryLine(entry, 80);
  return `${parts.join(' ')}${summary ? ` — ${one(summary)}` : ''} (${one(entry.file)}${entry.location === 'archive' ? ', archived' : ''})`;
}
