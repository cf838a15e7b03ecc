/**
 * Resolution in the protocol: an entry is *handled* when another entry names it in `resolves`
 * (an escalation answered, a failure accepted; any status, a NOTE from `cos resolve` included) or,
 * from an entry that is not a NOTE, in `supersedes` (replaced by a forced dispatch). The naming
 * entry is the audit trail; nothing is ever dropped without one. Pure.
 */
import { fileList, type Entry } from '../protocol/fields.js';

function names(entry: Entry): readonly string[] {
  const resolves = fileList(entry.resolves);
  return entry.status === 'NOTE' ? resolves : [...resolves, ...fileList(entry.supersedes)];
}

/** Entry file name → the first entry that resolves or supersedes it. */
export type Handled = ReadonlyMap<string, Entry>;

/** The entries that later entries resolve or supersede, by file name. */
export function handledFiles(entries: readonly Entry[]): Map<string, Entry> {
  const handled = new Map<string, Entry>();
  for (const entry of entries) {
    // A guard denial approved by `cos approve` (a NOTE with `approves`) is handled too.
    for (const name of [...names(entry), ...fileList(entry.approves)]) {
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
