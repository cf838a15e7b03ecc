/**
 * Re-escalation (PRODUCT.md, "Humans in the loop"): an URGENT or BLOCKER finding that nobody
 * acknowledged (`cos ack FILE`: an entry with `acknowledges: FILE`) or resolved is raised again
 * every `escalation.repeat_minutes`, once per finding per interval — a watcher that slept through
 * two intervals raises it once, not twice. Pure: the engine gives it the findings, the entries and
 * the time; it says which findings are due now and when the next one will be.
 */
import type { Finding } from '../checks/index.js';
import type { Entry } from '../protocol/fields.js';

export interface Reescalation {
  /** Findings to raise again now. */
  due: Finding[];
  /** When the next one falls due (ms since epoch), or null. */
  next: number | null;
}

export interface Reescalator {
  update(findings: ReadonlyMap<string, Finding>, entries: readonly Entry[], now: number, repeatMinutes: number): Reescalation;
}

function names(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Entry file names that an entry acknowledges (`acknowledges`, a field of the lifecycle's `cos ack`). */
export function acknowledgedFiles(entries: readonly Entry[]): Set<string> {
  const out = new Set<string>();
  for (const entry of entries) {
    const record = entry as unknown as Record<string, unknown>;
    for (const name of names(record.acknowledges ?? entry.extra.acknowledges)) out.add(name);
  }
  return out;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function createReescalator(): Reescalator {
  /** Finding identity → when it was last raised (first seen, or re-escalated). */
  const raised = new Map<string, number>();
  return {
    update(findings, entries, now, repeatMinutes) {
      const interval = repeatMinutes * 60_000;
      const acked = acknowledgedFiles(entries);
      const due: Finding[] = [];
      let next: number | null = null;
      for (const id of [...raised.keys()]) if (!findings.has(id)) raised.delete(id);
      for (const [id, finding] of findings) {
        if (finding.severity !== 'URGENT' && finding.severity !== 'BLOCKER') continue;
        if (finding.files.some((file) => acked.has(baseName(file)))) {
          raised.delete(id);
          continue;
        }
        const last = raised.get(id);
        if (last === undefined) raised.set(id, now);
        else if (now - last >= interval) {
          due.push(finding);
          raised.set(id, now);
        }
        const at = (raised.get(id) ?? now) + interval;
        if (next === null || at < next) next = at;
      }
      return { due, next };
    },
  };
}
