/**
 * Resolution in the protocol: an entry is *handled* when another entry names it in `resolves`
 * (an escalation answered, a failure accepted; any status, a NOTE from `cos resolve` included) or,
 * from an entry that is not a NOTE, in `supersedes` (replaced by a forced dispatch). The naming
 * entry is the audit trail; nothing is ever dropped without one. Pure.
 */
import { fileList, type Entry } from '../protocol/fields.js';

/** Entry file name → the first entry that resolves or supersedes it. */
export type Handled = ReadonlyMap<string, Entry>;

/** The entries that later entries resolve or supersede, by file name. */
export function handledFiles(entries: readonly Entry[]): Map<string, Entry> {
  const handled = new Map<string, Entry>();
  const mark = (entry: Entry, value: string | readonly string[] | undefined) => {
    if (value === undefined) return;
    for (const name of fileList(value)) if (name !== entry.file && !handled.has(name)) handled.set(name, entry);
  };
  for (const entry of entries) {
    // In this order: resolves, supersedes (not from a NOTE), then a guard denial approved by
    // `cos approve` (a NOTE with `approves`), which is handled too.
    mark(entry, entry.resolves);
    if (entry.status !== 'NOTE') mark(entry, entry.supersedes);
    mark(entry, entry.approves);
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
