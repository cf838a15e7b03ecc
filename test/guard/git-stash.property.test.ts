/**
 * Which stash a `git stash pop|apply` applies, after the stash commands earlier in the same line
 * (src/guard/git-stash.ts), with real git as the oracle: for random stash lists (each stash holding
 * a config change or a src change) and random lines of stash commands (pushes that may find
 * nothing to save, drops, pops, applies, by number or not), whenever real git running the line
 * changes `.agent/config/`, the guard denied the line — read with the real stash reader
 * (src/guard/stash-files.ts). A line that only touches src stashes passes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideTool, type GuardContext } from '../../src/guard/rules.js';
import { guardContext } from './context.js';
import { stashFilesOf } from '../../src/guard/stash-files.js';
import { git, gitdir } from '../helpers/tmp.js';

const CONFIG = '.agent/config/coordination.yaml';

function context(root: string): GuardContext {
  return guardContext(root, { currentBranch: () => 'main', stashFiles: (ref) => stashFilesOf(root, ref) });
}

/** A repository whose stash list holds `stashes` (oldest first: the last is stash@{0}); src/x.ts changed when `srcDirty`. */
function repository(stashes: readonly ('config' | 'src')[], srcDirty: boolean): string {
  const root = gitdir({ [CONFIG]: 'version: 1\n', 'src/x.ts': 'a\n' });
  stashes.forEach((what, i) => {
    const path = what === 'config' ? CONFIG : 'src/x.ts';
    writeFileSync(join(root, path), `changed ${i}\n`);
    git(root, 'stash', 'push', '-q', '--', path);
  });
  if (srcDirty) writeFileSync(join(root, 'src/x.ts'), 'dirty\n');
  return root;
}

const STEP = fc.oneof(
  fc.constant('git stash push -q -- src'),
  fc.constant('git stash drop -q'),
  fc.nat({ max: 3 }).map((n) => `git stash drop -q 'stash@{${n}}'`),
  fc.constant('git stash pop -q'),
  fc.nat({ max: 3 }).map((n) => `git stash pop -q 'stash@{${n}}'`),
  fc.nat({ max: 3 }).map((n) => `git stash apply -q ${n}`),
  fc.constant('git stash clear'),
);
const LAST = fc.oneof(fc.constant('git stash pop -q'), fc.constant('git stash apply -q'), fc.nat({ max: 3 }).map((n) => `git stash pop -q 'stash@{${n}}'`));

describe('git stash pop|apply after other stash commands in the line (real git as the oracle)', () => {
  it('whenever git changes .agent/config/ running the line, the guard denied it', { timeout: 300_000 }, () => {
    let writes = 0;
    let allowed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('config' as const, 'src' as const), { maxLength: 4 }),
        fc.boolean(),
        fc.array(STEP, { maxLength: 3 }),
        LAST,
        fc.constantFrom('; ', ' && '),
        (stashes, srcDirty, steps, last, join_) => {
          const root = repository(stashes, srcDirty);
          const line = [...steps, last].join(join_);
          const denied = decideTool('Bash', { command: line }, context(root)).decision === 'deny';
          try {
            execFileSync('bash', ['-c', line], { cwd: root, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });
          } catch {
            // a step git refused (nothing to pop, a conflict): what it left is what counts
          }
          const changed = readFileSync(join(root, CONFIG), 'utf8') !== 'version: 1\n';
          if (changed) writes++;
          if (!denied) allowed++;
          expect({ line, stashes, srcDirty, denied: denied || !changed }).toEqual({ line, stashes, srcDirty, denied: true });
        },
      ),
      { numRuns: 60 },
    );
    // Not vacuous: some lines do write the config, and some lines pass.
    expect(writes).toBeGreaterThan(5);
    expect(allowed).toBeGreaterThan(5);
  });
});
