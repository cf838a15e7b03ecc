/** An entry's own words in one line, for messages. Pure. */
import type { Entry } from '../protocol/fields.js';

const BOILERPLATE = /^(#{1,6}\s|\*\*(Agent|Status|Severity|Error):\*\*)/;

/** The first line of the body that is not the standard heading or a field line, at most `max` characters. */
export function summaryLine(entry: Entry, max = 100): string {
  for (const raw of entry.body.split('\n')) {
    const line = raw.trim();
    if (line === '' || BOILERPLATE.test(line)) continue;
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
  }
  return '';
}
