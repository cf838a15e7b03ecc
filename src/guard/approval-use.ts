/**
 * That an approval was used, recorded in the git common directory (`cos/approvals-used/<file>`),
 * so one approval lets one command through once across every worktree; in a directory that is not
 * a git repository, in `.agent/state/approvals-used/`. Taking it is an exclusive create: of two
 * parallel tool calls only one gets through.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { agentPaths } from '../store/paths.js';
import { confine } from '../trust/confine.js';
import { repositoryRoots } from '../trust/roots.js';
import { gitCommonDirOf } from './git-files.js';

export function approvalsUsedDir(root: string): string {
  const common = gitCommonDirOf(root);
  return common !== null ? join(common, 'cos', 'approvals-used') : join(agentPaths(root).state, 'approvals-used');
}

/** Take the approval for this one use: true when it was still unused (and now is used). */
export function takeApproval(root: string, approvalFile: string): boolean {
  const dir = approvalsUsedDir(root);
  // Before any folder is made: a committed link on the way must not carry the marker elsewhere.
  confine(dir, repositoryRoots(root), dir);
  mkdirSync(dir, { recursive: true });
  try {
    closeSync(openSync(join(dir, approvalFile), 'wx'));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
