/** The guard's context over a real folder, as the property tests judge commands in it: the default config, a feature branch, no remote, no git config, real paths resolved. */
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { realPathOf } from '../../src/guard/real-path.js';
import type { GuardContext } from '../../src/guard/rules.js';

export function guardContext(root: string, extra: Partial<GuardContext> = {}): GuardContext {
  return {
    root,
    cwd: root,
    home: '/home/dev',
    deny: [...DEFAULT_CONFIG.guard.deny],
    protectedBranches: DEFAULT_CONFIG.guard.protected_branches,
    currentBranch: () => 'feature',
    remoteDefaultBranch: () => null,
    gitConfig: () => new Map(),
    realPath: realPathOf,
    ...extra,
  };
}
