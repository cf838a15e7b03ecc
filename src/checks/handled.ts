/**
 * Resolution in the protocol: an entry is *handled* when another entry names it in `resolves`
 * (an escalation answered, a failure accepted) or `supersedes` (replaced by a forced dispatch).
 * The naming entry is the audit trail; nothing is ever dropped without one. Pure.
 */
import type { Entry } from '../protocol/fields.js';

function names(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Entry file name → the first entry that resolves or supersedes it. */
export type Handled = ReadonlyMap<string, Entry>;

/** The entries that later entries resolve or supersede, by file name. */
export function handledFiles(entries: readonly Entry[]): Map<string, Entry> {
  const handled = new Map<string, Entry>();
  for (const entry of entries) {
    for (const name of [...names(entry.resolves), ...names(entry.supersedes)]) {
      if (name !== entry.file && !handled.has(name)) handled.set(name, entry);
    }
  }
  return handled;
}

/** Whether `entry` was resolved or superseded by another entry. */
export function isHandled(entry: Entry, handled: Handled): boolean {
  const by = handled.get(entry.file);
  return by !== undefined && by !== entry;
}

const cache = new WeakMap<readonly Entry[], Map<string, Entry>>();

/** handledFiles, computed once per entry list (every rule of one run shares it). */
export function handledIn(entries: readonly Entry[]): Handled {
  let handled = cache.get(entries);
  if (!handled) cache.set(entries, (handled = handledFiles(entries)));
  return handled;
}
