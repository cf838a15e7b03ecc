/**
 * Where the spawn ledger lives: the folder every worktree of the repository shares (the git common
 * dir's cos folder) once the claim space lives there; `.agent/state/` outside git.
 */
import { agentPaths } from '../store/paths.js';

export function ledgerDir(root: string): string {
  return agentPaths(root).state;
}
