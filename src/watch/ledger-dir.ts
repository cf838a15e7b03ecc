/**
 * Where the spawn ledger lives: the folder every worktree of the repository shares (the git common
 * dir's cos folder, beside the claim space), so a sprint is never spawned twice from two
 * worktrees; `.agent/state/` outside git.
 */
import { agentPaths } from '../store/paths.js';
import { sharedDir } from '../store/worktrees.js';

export function ledgerDir(root: string): string {
  return sharedDir(root) ?? agentPaths(root).state;
}
