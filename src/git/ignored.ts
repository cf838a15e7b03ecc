/**
 * Which of some paths git would ignore, and by which rule. `cos archive` moves entries into
 * `.agent/status/archive/<sprint>/`; a rule of the user's (`archive/` in the root .gitignore,
 * `state` for a sprint named state, `*.md` in a subfolder's .gitignore) can make git ignore the
 * destination while the entry in current/ is tracked — the move then takes the entry out of the
 * shared history. `git check-ignore -v` says which rule matched; a matching `!` rule means
 * "not ignored".
 */
import { tryGit } from './run.js';

export interface IgnoredPath {
  path: string;
  /** Where the rule is, as git says it: `.gitignore:3: archive/`. */
  rule: string;
}

/**
 * The paths (relative to `cwd`) git would ignore, with their rules; empty outside a git work
 * tree (or without git), where nothing is versioned.
 */
export async function ignoredPaths(cwd: string, paths: readonly string[]): Promise<IgnoredPath[]> {
  if (paths.length === 0) return [];
  // -z: NUL-separated input and output, so any file name round-trips; --no-index: a path git
  // already tracks is still checked against the rules (a move's destination may be tracked).
  let result;
  try {
    result = await tryGit(cwd, ['check-ignore', '-v', '-z', '--no-index', '--stdin'], { input: `${paths.join('\0')}\0` });
  } catch {
    // No git on PATH: nothing is versioned here as far as cos can tell.
    return [];
  }
  // Exit 1: nothing ignored; 128: not a work tree (or another fatal error: nothing to say then).
  if (result.code !== 0) return [];
  const fields = result.stdout.split('\0');
  const ignored: IgnoredPath[] = [];
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [source, line, pattern, path] = [fields[i]!, fields[i + 1]!, fields[i + 2]!, fields[i + 3]!];
    if (pattern.startsWith('!')) continue;
    ignored.push({ path, rule: `${source}:${line}: ${pattern}` });
  }
  return ignored;
}
