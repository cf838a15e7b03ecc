/**
 * Settled sprints: an archived sprint whose entries, on their own, can raise no finding at any
 * time once the sprint is no longer *present* (scope.ts). `cos scan` leaves such a sprint's folder
 * unread when nothing else in the store can reach it (store/read.ts decides that part: its sprint,
 * file names and sequence numbers appear nowhere else, no plan names it, it is not present now),
 * which is what keeps a scan of a large archive fast (BENCHMARKS.md). Pure.
 *
 * Why the test below is enough. For a sprint that is not present, only these rules can report:
 * stale and conflict (they need a holder), escalation and needs-human (open until handled: other
 * entries can only handle more, never reopen), lease-conflict (it needs a `lease`), and malformed
 * (a settled folder has no problem files). Every rule is run over the sprint alone at a moment far
 * in the future, when any holder is stale and the sprint is not present: no finding then, no
 * holder, no `lease`, and nothing named outside the sprint's own files in `resolves`, `supersedes`
 * or `approves` (the only way an entry changes another sprint's findings) means the sprint's
 * entries change no finding of the whole store. Running the real rules, rather than restating them,
 * keeps a rule added later on the safe side: if it reports the sprint alone, the sprint is read.
 * test/scan-equivalence* holds the fast scan to the full one over random histories.
 */
import { DEFAULT_CONFIG } from '../config/schema.js';
import { fileList, type Entry } from '../protocol/fields.js';
import { parseTimestamp } from '../protocol/time.js';
import { deriveSprint } from '../state/lifecycle.js';
import { runChecks } from './index.js';

/** Year 9999: every heartbeat has run out and no sprint is present (unless max_age_days is absurd, which only costs speed). */
const FAR_FUTURE = new Date(Date.UTC(9999, 0, 1));

/** What the store reader keeps of a settled sprint folder: its sprint and when its latest entry was written. */
export interface SettledSprint {
  sprint: string;
  /** The latest entry's timestamp (ms): the sprint is present until it is `archive.max_age_days` old. */
  updatedMs: number;
}

/** The entries of one archived sprint folder as a settled sprint, or null when they could raise a finding (or reach another sprint). */
export function settledSprint(entries: readonly Entry[]): SettledSprint | null {
  if (entries.length === 0) return null;
  const sprint = entries[0]!.sprint;
  const names = new Set<string>();
  for (const entry of entries) {
    if (entry.sprint !== sprint || entry.lease !== undefined) return null;
    names.add(entry.file);
  }
  for (const entry of entries) {
    for (const named of [entry.resolves, entry.supersedes, entry.approves]) {
      for (const name of fileList(named)) if (!names.has(name)) return null;
    }
  }
  const state = deriveSprint(sprint, entries, FAR_FUTURE);
  if (state.holders.length > 0) return null;
  const findings = runChecks({ entries: state.entries, problems: [], sprints: [state], now: FAR_FUTURE, config: DEFAULT_CONFIG, currentCount: 0, synced: null, roles: [] });
  if (findings.length > 0) return null;
  const updatedMs = parseTimestamp(state.updated);
  return Number.isFinite(updatedMs) ? { sprint, updatedMs } : null;
}
