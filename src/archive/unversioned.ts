/**
 * Archive moves that would leave git's view: the entry in current/ is versioned, but a rule of
 * the repository's ignore files matches its destination in archive/<sprint>/, so once moved (and
 * committed) the entry is gone from the shared history. `cos archive --commit` refuses before
 * moving anything; a plain or dry run says so.
 */
import { ignoredPaths } from '../git/ignored.js';
import type { ArchiveMove } from './policy.js';

export interface UnversionedMove {
  from: string;
  to: string;
  /** The rule that ignores `to`, as git names it: `.gitignore:3: archive/`. */
  rule: string;
}

/** The old unanchored line of `.agent/.gitignore` (store/gitignore.ts), which archive rewrites itself. */
function isOldStateLine(rule: string): boolean {
  return /(^|\/)\.agent\/\.gitignore:\d+: state\/$/.test(rule);
}

export interface UnversionedOptions {
  /** The old `state/` line of `.agent/.gitignore` does not count: archive rewrites it first. */
  stateLineRewritten?: boolean;
  /** Count a destination even when its source is ignored too (git add refuses either way). */
  ignoredSources?: boolean;
}

/**
 * The moves whose destination git would ignore while their source is not ignored (or, with
 * `ignoredSources`, whatever the source). `root` is where the moves' paths are relative to.
 */
export async function unversionedMoves(root: string, moves: readonly Pick<ArchiveMove, 'from' | 'to'>[], options: UnversionedOptions = {}): Promise<UnversionedMove[]> {
  if (moves.length === 0) return [];
  const ignored = new Map((await ignoredPaths(root, moves.flatMap((move) => [move.from, move.to]))).map((hit) => [hit.path, hit.rule]));
  const found: UnversionedMove[] = [];
  for (const move of moves) {
    const rule = ignored.get(move.to);
    if (rule === undefined || (ignored.has(move.from) && !options.ignoredSources)) continue;
    if (options.stateLineRewritten && isOldStateLine(rule)) continue;
    found.push({ from: move.from, to: move.to, rule });
  }
  return found;
}
