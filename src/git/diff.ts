/** `git diff` of some paths plus their untracked files: what `cos sync --pull` shows for review. */
import { tryGit } from './run.js';

export interface PathsDiff {
  diff: string;
  untracked: string[];
}

/** Null when `root` is not inside a git work tree. */
export async function diffPaths(root: string, paths: string[], env?: NodeJS.ProcessEnv): Promise<PathsDiff | null> {
  const options = { env: { ...(env ?? process.env), GIT_LITERAL_PATHSPECS: '1' } };
  const inside = await tryGit(root, ['rev-parse', '--is-inside-work-tree'], options);
  if (inside.code !== 0 || inside.stdout.trim() !== 'true') return null;
  const [diff, others] = await Promise.all([
    tryGit(root, ['diff', '--no-ext-diff', '--no-color', '--relative', '--', ...paths], options),
    tryGit(root, ['ls-files', '--others', '--exclude-standard', '-z', '--', ...paths], options),
  ]);
  return { diff: diff.stdout, untracked: others.stdout.split('\0').filter(Boolean) };
}
