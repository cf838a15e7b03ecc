import { statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { leasesCovering, liveLeases, type Lease } from '../leases/leases.js';
import { slugProblem } from '../protocol/slug.js';
import { visible } from '../output/visible.js';
import { readStore } from '../store/read.js';
import { parseCommand, type CommandContext } from './context.js';

export const help = `Usage: cos guard pre-commit [--dir D]

The git pre-commit hook that cos setup git-hooks installs. Refuses (exit 1) a commit that touches
a path leased (cos lease) by a live agent other than the committer, with one sentence per path
naming the lease. The committer is COS_AGENT; a commit without COS_AGENT is a person's, and is
allowed with a warning naming the lease. Outside a cos project, or outside a git repository, it
does nothing (exit 0).

Example (what git runs):
  COS_AGENT=backend git commit -m "..."   # refused if src/api/** is leased by another agent`;

function isProject(dir: string): boolean {
  try {
    return statSync(join(dir, '.agent')).isDirectory();
  } catch {
    return false;
  }
}

/** One line for a staged path a lease covers: the path and the pattern (repository text) escaped on it. */
function sentence(path: string, lease: Lease): string {
  return visible(`${path} is leased by ${lease.agent} (sprint ${lease.sprint}, pattern ${lease.pattern}, ${lease.file}) until ${lease.until}`, { oneLine: true });
}

export async function run(context: CommandContext): Promise<number> {
  const { positionals, root } = parseCommand(context, {}, { positionals: 1 });
  if (positionals[0] !== 'pre-commit') {
    throw new InputError(`${positionals[0] === undefined ? 'Name the guard' : `Unknown guard ${JSON.stringify(positionals[0])}`}: use cos guard pre-commit; see cos guard --help.`);
  }
  if (!isProject(root)) return 0;
  const { tryGit } = await import('../git/run.js');
  const top = await tryGit(root, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) return 0;
  const staged = await tryGit(root, ['diff', '--cached', '--name-only', '--no-renames', '-z']);
  if (staged.code !== 0) return 0;
  const paths = staged.stdout
    .split('\0')
    .filter((path) => path !== '')
    .map((path) => relative(resolve(root), resolve(top.stdout.trim(), path)).split(sep).join('/'))
    .filter((path) => !path.startsWith('../'));
  if (paths.length === 0) return 0;
  const leases = liveLeases(readStore(root).entries, context.now());
  if (leases.length === 0) return 0;
  const agent = context.env.COS_AGENT !== undefined && slugProblem(context.env.COS_AGENT) === null ? context.env.COS_AGENT : null;
  const hits: string[] = [];
  for (const path of paths) for (const lease of leasesCovering(leases, path, agent)) hits.push(sentence(path, lease));
  if (hits.length === 0) return 0;
  if (agent === null) {
    for (const hit of hits) context.stderr(`cos guard: warning: ${hit}; committing anyway (no COS_AGENT: a person's commit).\n`);
    return 0;
  }
  for (const hit of hits) context.stderr(`cos guard: ${agent} may not commit this: ${hit}.\n`);
  context.stderr(`cos guard: commit refused; ask the holder to release the lease, or wait until it runs out.\n`);
  return 1;
}
