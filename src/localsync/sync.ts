/**
 * `cos sync`: roles and skills between `.agent/` (the source of truth) and the local agent
 * directory. Push (the default) brings the repository's versions to the local directory; pull
 * brings local edits back into `.agent/` for review with git diff. Each file is decided by
 * plan.ts from its two sides and the record of the last sync; only `create`, `update` and
 * `delete` touch anything, and only on the destination side.
 */
import { statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { InputError, isCosError, makeDirectory } from '../errors.js';
import { withLock } from '../store/lock.js';
import { agentPaths } from '../store/paths.js';
import { copyAtomic, hashFile, isSyncKey, listKeys, removeFile, skillOf, type OddFile } from './files.js';
import { joinInside, type Roots } from '../trust/confine.js';
import { localRootFolders } from './local-root.js';
import { checkLayout } from '../trust/layout.js';
import { planSync, type Direction, type FileState, type PlannedSync } from './plan.js';
import { loadRecord, saveRecord } from './record.js';

/** Options of `syncLocal` (`cos sync`). */
export interface SyncOptions {
  direction?: Direction;
  /** The local agent directory (absolute, `~` already expanded). */
  target: string;
  dryRun?: boolean;
}

/** What `syncLocal` (`cos sync`) did. */
export interface SyncResult {
  direction: Direction;
  target: string;
  dryRun: boolean;
  actions: PlannedSync[];
  conflicts: PlannedSync[];
}

/** The file of `key` under one side, confined to that side's roots; a key that is not plain or leads out is an InputError. */
function keyPath(dir: string, key: string, roots: Roots): string {
  const path = isSyncKey(key) ? joinInside(dir, key, roots) : null;
  if (path === null) throw new InputError(`Refusing to sync ${JSON.stringify(key)}: it leads outside ${dir}/roles and ${dir}/skills (a link or a path with ..); remove it and run cos sync again.`);
  return path;
}

/** Sync roles and skills between `.agent/` and the local agent directory (push or pull). */
export async function syncLocal(root: string, options: SyncOptions): Promise<SyncResult> {
  const paths = agentPaths(root);
  const direction = options.direction ?? 'push';
  const target = resolve(options.target);
  if (target === paths.agent || target.startsWith(paths.agent + sep) || paths.agent.startsWith(target + sep)) {
    throw new InputError(`The sync target ${target} overlaps the repository's .agent/ folder; give a separate local agent directory with --target.`);
  }
  if (!statSync(paths.agent, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`There is no .agent/ folder in ${paths.root} to sync; run cos init there first, or pass --dir to the repository.`);
  }
  const kind = statSync(target, { throwIfNoEntry: false });
  if (kind && !kind.isDirectory()) {
    throw new InputError(`The sync target ${target} is not a directory; give the local agent directory with --target (or COS_LOCAL_ROOT).`);
  }
  // Each side's own roots: the repository (its .agent/ folders checked first), and the local
  // agent directory with its roles/ and skills/ folders as the user set them up (links included,
  // unless the directory lies in the repository: local-root.ts).
  const repoRoots = checkLayout(paths.root);
  const localRoots = localRootFolders(paths.root, target, ['roles', 'skills']);
  const run = (): SyncResult => {
    const record = loadRecord(paths.state);
    const base = record[target] ?? {};
    const repoOdd: OddFile[] = [];
    const localOdd: OddFile[] = [];
    const repoKeys = listKeys(paths.agent, null, repoOdd);
    const skills = new Set<string>();
    for (const key of [...repoKeys, ...Object.keys(base)]) {
      const skill = skillOf(key);
      if (skill) skills.add(skill);
    }
    const keys = new Set([...repoKeys, ...listKeys(target, skills, localOdd), ...Object.keys(base)]);
    const states: FileState[] = [...keys].map((key) => ({
      key,
      repo: hashFile(keyPath(paths.agent, key, repoRoots)),
      local: hashFile(keyPath(target, key, localRoots)),
      base: base[key] ?? null,
    }));
    // A key gone from both sides is nothing to count; a file the sync cannot manage is a skip, said.
    const actions = [
      ...planSync(states, direction).filter((action) => !(action.action === 'unchanged' && action.after === null)),
      ...repoOdd.map(({ key, reason }): PlannedSync => ({ key, action: 'skip', after: null, reason: `in .agent/: ${reason}` })),
      ...localOdd.map(({ key, reason }): PlannedSync => ({ key, action: 'skip', after: null, reason: `in ${target}: ${reason}` })),
    ];
    const result: SyncResult = { direction, target, dryRun: options.dryRun === true, actions, conflicts: actions.filter((a) => a.action === 'conflict') };
    if (options.dryRun) return result;
    const [from, to] = direction === 'push' ? [paths.agent, target] : [paths.agent, target].reverse() as [string, string];
    const [fromRoots, toRoots] = direction === 'push' ? [repoRoots, localRoots] : [localRoots, repoRoots];
    const next: Record<string, string> = {};
    for (const [i, action] of actions.entries()) {
      let after = action.after;
      try {
        if (action.action === 'create' || action.action === 'update') after = copyAtomic(keyPath(from, action.key, fromRoots), keyPath(to, action.key, toRoots), toRoots);
        else if (action.action === 'delete') removeFile(keyPath(to, action.key, toRoots), to);
      } catch (error) {
        // Record what was done, so the next run neither redoes it nor calls it a conflict; the
        // failed file and the ones after it keep their last-sync state.
        for (const rest of actions.slice(i)) if (base[rest.key] !== undefined) next[rest.key] = base[rest.key]!;
        record[target] = next;
        saveRecord(paths.state, record);
        if (isCosError(error)) throw error;
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new InputError(`Could not ${action.action} ${join(to, action.key)} (${code}); ${i} of ${actions.length} files were handled and recorded; fix the cause and run cos sync again.`, { cause: error });
      }
      if (after !== null) next[action.key] = after;
    }
    record[target] = next;
    saveRecord(paths.state, record);
    return result;
  };
  if (options.dryRun) return run();
  makeDirectory(paths.state, paths.rel(paths.state));
  return withLock(join(paths.state, 'sync'), run, { wait: 30_000 });
}
