/**
 * The watcher's event stream: the shapes (one JSON object per line with `--json`) and the human
 * rendering. Pure.
 */
import type { Finding } from '../checks/index.js';
import { isoSeconds } from '../protocol/time.js';
import type { Style } from '../output/style.js';
import { countOf } from '../output/count.js';
import { visible } from '../output/visible.js';

/** The counts `cos watch` reports: entries held, files in current/ and archive/. */
export interface StoreSummary {
  /** Valid entries held in memory, current and archive. */
  entries: number;
  /** Entry files (valid or not) in `current/` and in `archive/`. */
  current: number;
  archive: number;
  /** Files that do not parse or validate. */
  problems: number;
  /** Highest sequence number among the valid entries. */
  maxSeq: number;
  /** Open findings. */
  findings: number;
  /** Full re-reads of the folders so far (the first one at start included). */
  reconciles?: number;
}

/** The part of `cos watch` an error event comes from. */
export type ErrorSource = 'watcher' | 'exec' | 'notion' | 'config' | 'lock' | 'plans' | 'spawn' | 'notify';

/** An event of `cos watch --json`: a finding, a resolution, a sync, an error ... */
export type WatchEvent =
  | { event: 'finding'; at: Date; finding: Finding; initial?: true }
  | { event: 'resolved'; at: Date; finding: Finding }
  | { event: 'ready'; at: Date; sprint: string; role: string; plan: string; title: string; initial?: true }
  | { event: 'spawned'; at: Date; sprint: string; role: string; agent: string; pid: number; entry: string; log: string }
  /** An URGENT/BLOCKER finding nobody acknowledged or resolved, raised again (escalation.repeat_minutes). */
  | { event: 'reescalated'; at: Date; finding: Finding }
  | { event: 'synced'; at: Date; created: number; updated: number; unchanged: number; failed: number }
  | { event: 'error'; at: Date; source: ErrorSource; message: string; finding?: Finding }
  | { event: 'watching'; at: Date; root: string; pid: number; polling: boolean; summary: StoreSummary }
  | { event: 'summary'; at: Date; reason: 'signal' | 'shutdown' | 'once'; polling: boolean; summary: StoreSummary };

/** A summary as JSON: snake_case `max_seq` beside version 1's `maxSeq` (kept until version 2). */
function summaryJson(summary: StoreSummary): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(summary)) {
    out[key] = value;
    if (key === 'maxSeq') out.max_seq = value;
  }
  return out;
}

/** One line of `--json` output: `version` first, `at` as an ISO time. */
export function eventToJson(event: WatchEvent): string {
  const { at, ...rest } = event;
  const body = 'summary' in rest ? { ...rest, summary: summaryJson(rest.summary) } : rest;
  return JSON.stringify({ version: 1, ...body, at: isoSeconds(at) });
}

/** One human line: time, severity, kind, sprint, message. */
export function eventToText(event: WatchEvent, style: Style): string {
  const time = style.dim(isoSeconds(event.at));
  // Repository text (file names in messages, plan titles, paths) stays on its line, its control characters escaped.
  const line = (text: string) => visible(text, { oneLine: true });
  switch (event.event) {
    case 'finding': {
      const f = event.finding;
      return `${time}  ${style.severity(f.severity, f.severity.padEnd(7))}  ${f.kind}  ${line(f.message)}\n${' '.repeat(isoSeconds(event.at).length)}  ${style.dim(`→ ${line(f.action)}`)}`;
    }
    case 'reescalated': {
      const f = event.finding;
      return `${time}  ${style.severity(f.severity, 'AGAIN  ')}  ${f.severity} ${f.kind}  ${line(f.message)} (still open: nobody acknowledged it)\n${' '.repeat(isoSeconds(event.at).length)}  ${style.dim(`→ ${line(f.action)}`)}`;
    }
    case 'resolved': {
      const f = event.finding;
      return `${time}  ${style.green('RESOLVED')} ${f.kind}  ${line(f.message)}`;
    }
    case 'ready':
      return `${time}  ${style.green('READY  ')}  ${event.sprint} (${line(event.plan)}: ${line(event.title)}) → cos dispatch ${event.role} ${event.sprint}`;
    case 'spawned':
      return `${time}  ${style.cyan('SPAWNED')}  ${event.sprint}: ${event.agent} (${event.role}), pid ${event.pid}, log ${line(event.log)}`;
    case 'synced':
      return `${time}  ${style.cyan('SYNCED ')}  notion: ${event.created} created, ${event.updated} updated, ${event.unchanged} unchanged, ${event.failed} failed`;
    case 'error':
      return `${time}  ${style.red('ERROR  ')}  ${event.source}: ${line(event.message)}`;
    case 'watching': {
      const s = event.summary;
      const how = event.polling ? 'polling' : 'watching';
      return `${time}  ${style.bold(how)} ${line(event.root)}/.agent/status: ${countOf(s.entries, 'entry', 'entries')}, ${s.problems} malformed, ${countOf(s.findings, 'open finding', 'open findings')} (pid ${event.pid}; Ctrl-C to stop)`;
    }
    case 'summary': {
      const s = event.summary;
      return `${time}  summary: ${countOf(s.entries, 'entry', 'entries')} (${countOf(s.current, 'file', 'files')} in current/, ${s.archive} in archive/), ${s.problems} malformed, ${countOf(s.findings, 'open finding', 'open findings')}, highest seq ${s.maxSeq}`;
    }
  }
}
