/** Compact, one-line views of entries for briefings and prompts. Pure. */
import { summaryLine } from '../checks/summary.js';
import type { Entry } from '../protocol/fields.js';

export { summaryLine };

/** `#007 2026-01-14T04:30:00Z developer COMPLETE [URGENT] error="x" — summary (file)` */
export function historyLine(entry: Entry): string {
  const parts = [`#${String(entry.seq).padStart(3, '0')}`, entry.timestamp, entry.agent, entry.status];
  if (entry.severity !== 'INFO') parts.push(`[${entry.severity}]`);
  if (entry.error) parts.push(`error=${JSON.stringify(entry.error)}`);
  if (entry.verifies) parts.push(`verifies ${entry.verifies}`);
  const summary = summaryLine(entry, 80);
  return `${parts.join(' ')}${summary ? ` — ${summary}` : ''} (${entry.file}${entry.location === 'archive' ? ', archived' : ''})`;
}
