/** Compact, one-line views of entries for briefings and prompts. Pure. */
import type { Entry } from '../protocol/fields.js';

const BOILERPLATE = /^(#{1,6}\s|\*\*(Agent|Status|Severity|Error):\*\*)/;

/** The first line of an entry's own words (skipping the standard heading and field lines), at most `max` characters. */
export function summaryLine(entry: Entry, max = 100): string {
  for (const raw of entry.body.split('\n')) {
    const line = raw.trim();
    if (line === '' || BOILERPLATE.test(line)) continue;
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
  }
  return '';
}

/** `#007 2026-01-14T04:30:00Z developer COMPLETE [URGENT] error="x" — summary (file)` */
export function historyLine(entry: Entry): string {
  const parts = [`#${String(entry.seq).padStart(3, '0')}`, entry.timestamp, entry.agent, entry.status];
  if (entry.severity !== 'INFO') parts.push(`[${entry.severity}]`);
  if (entry.error) parts.push(`error=${JSON.stringify(entry.error)}`);
  if (entry.verifies) parts.push(`verifies ${entry.verifies}`);
  const summary = summaryLine(entry, 80);
  return `${parts.join(' ')}${summary ? ` — ${summary}` : ''} (${entry.file}${entry.location === 'archive' ? ', archived' : ''})`;
}
