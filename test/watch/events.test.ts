import { describe, expect, it } from 'vitest';
import { createStyle } from '../../src/output/style.js';
import { eventToText } from '../../src/watch/events.js';

const at = new Date('2026-01-14T04:30:00Z');
const summary = (entries: number, findings: number) => ({ entries, current: entries, archive: 0, problems: 0, maxSeq: entries, findings });

describe('watch event text', () => {
  it('counts in the singular and the plural', () => {
    const style = createStyle(false);
    expect(eventToText({ event: 'summary', at, reason: 'once', polling: false, summary: summary(1, 1) }, style)).toBe(
      '2026-01-14T04:30:00Z  summary: 1 entry (1 file in current/, 0 in archive/), 0 malformed, 1 open finding, highest seq 1',
    );
    expect(eventToText({ event: 'watching', at, root: '/r', pid: 7, polling: false, summary: summary(2, 0) }, style)).toBe(
      '2026-01-14T04:30:00Z  watching /r/.agent/status: 2 entries, 0 malformed, 0 open findings (pid 7; Ctrl-C to stop)',
    );
  });
});
