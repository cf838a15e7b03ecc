/**
 * The record of the last sync: per target directory, the content hash of every file that both
 * sides held when it was last synced. Local to the machine, in the git-ignored `.agent/state/`.
 * An unreadable record counts as empty, which turns every difference into a conflict: safe.
 */
import { dirname, join } from 'node:path';
import { readBoundedText } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';
import { writeFileAtomic } from '../store/local-files.js';
import { isSyncKey } from './files.js';

export type SyncRecord = Record<string, Record<string, string>>;

export function recordPath(stateDir: string): string {
  return join(stateDir, 'sync.json');
}

export function loadRecord(stateDir: string): SyncRecord {
  try {
    const read = readBoundedText(recordPath(stateDir));
    if (!read.ok) return {};
    const data = JSON.parse(read.text) as { version?: unknown; targets?: unknown };
    if (data.version !== 1 || data.targets === null || typeof data.targets !== 'object') return {};
    const out: SyncRecord = {};
    for (const [target, files] of Object.entries(data.targets as Record<string, unknown>)) {
      if (files === null || typeof files !== 'object') continue;
      const clean: Record<string, string> = {};
      // A key is a path on both sides: one that is not a plain role or skill path (say,
      // `roles/../../.bashrc` in a force-added record) is dropped, never joined to a folder.
      for (const [key, hash] of Object.entries(files as Record<string, unknown>)) if (typeof hash === 'string' && isSyncKey(key)) clean[key] = hash;
      out[target] = clean;
    }
    return out;
  } catch {
    return {};
  }
}

export function saveRecord(stateDir: string, record: SyncRecord): void {
  writeFileAtomic(recordPath(stateDir), `${JSON.stringify({ version: 1, targets: record }, null, 2)}\n`, repositoryRoots(dirname(dirname(stateDir))));
}
