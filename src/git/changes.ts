/**
 * Sorting a list of changed paths into coordination changes (pure): entries added, archived
 * (moved current → archive, paired by file name, since an entry's identity is its name),
 * restored (archive → current), heartbeats (an entry modified in place), removed, and the other
 * files of `.agent/` (roles, config, skills) and runbook.md.
 */
import { parseEntryFileName } from '../protocol/filename.js';

/** How git changed a path: added (A), modified (M) or deleted (D). */
export type ChangeKind = 'A' | 'M' | 'D';

export interface PathChange {
  /** Relative to the repository root (the folder holding `.agent/`), `/` separators. */
  path: string;
  change: ChangeKind;
}

export interface ClassifiedChanges {
  added: string[];
  archived: Array<{ from: string; to: string }>;
  restored: Array<{ from: string; to: string }>;
  modified: string[];
  removed: string[];
  /** Roles, config, skills, runbook.md and any other file of `.agent/` outside status/. */
  other: PathChange[];
}

const STATUS_PREFIX = '.agent/status/';

function entryName(path: string): string | null {
  if (!path.startsWith(STATUS_PREFIX)) return null;
  const name = path.slice(path.lastIndexOf('/') + 1);
  return parseEntryFileName(name) ? name : null;
}

const inArchive = (path: string) => path.startsWith('.agent/status/archive/');
const inCurrent = (path: string) => path.startsWith('.agent/status/current/');

export function classifyChanges(changes: readonly PathChange[]): ClassifiedChanges {
  const out: ClassifiedChanges = { added: [], archived: [], restored: [], modified: [], removed: [], other: [] };
  const addedByName = new Map<string, string[]>();
  const deletedByName = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, path: string) => {
    const list = map.get(key);
    if (list) list.push(path);
    else map.set(key, [path]);
  };
  for (const change of changes) {
    const name = entryName(change.path);
    if (!name) {
      // Housekeeping files of status/ (.gitkeep) are not coordination changes.
      if (!change.path.startsWith(STATUS_PREFIX)) out.other.push(change);
      continue;
    }
    if (change.change === 'M') out.modified.push(change.path);
    else push(change.change === 'A' ? addedByName : deletedByName, name, change.path);
  }
  for (const [name, added] of addedByName) {
    const deleted = deletedByName.get(name) ?? [];
    for (const to of added) {
      // Prefer the natural pair (current → archive, archive → current), else any deletion.
      let fromIndex = deleted.findIndex((from) => (inArchive(to) ? inCurrent(from) : inArchive(from)));
      if (fromIndex === -1 && deleted.length > 0) fromIndex = 0;
      if (fromIndex === -1) {
        out.added.push(to);
        continue;
      }
      const [from] = deleted.splice(fromIndex, 1) as [string];
      if (inArchive(to)) out.archived.push({ from, to });
      else if (inCurrent(to) && inArchive(from)) out.restored.push({ from, to });
      else out.archived.push({ from, to });
    }
    if (deleted.length === 0) deletedByName.delete(name);
  }
  for (const deleted of deletedByName.values()) out.removed.push(...deleted);
  const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  out.added.sort(byPath);
  out.modified.sort(byPath);
  out.removed.sort(byPath);
  out.archived.sort((a, b) => byPath(a.to, b.to));
  out.restored.sort((a, b) => byPath(a.to, b.to));
  out.other.sort((a, b) => byPath(a.path, b.path));
  return out;
}
