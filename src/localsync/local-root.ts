/**
 * The local agent directory (where `cos sync` writes roles and skills, where `cos cleanup` looks
 * for todos) is the user's to declare, not the repository's (docs/security.md): a committed
 * `local_root: /etc` must not make `cos sync` create `/etc/roles/`. In order:
 *   1. `--target DIR` (the command line),
 *   2. the environment variable COS_LOCAL_ROOT,
 *   3. `local_root` of coordination.yaml — only when it is the default (`~/.claude`), or when a
 *      person approved that exact value, leading where it leads now (symlinks resolved), on this
 *      machine (`cos sync --allow-local-root`, recorded in the approval store of
 *      src/trust/approvals.ts, like notify routes): a committed link swapped in later under an
 *      approved relative value points somewhere else, so it needs a new approval,
 *   4. `~/.claude`.
 * An unapproved `local_root` is refused in one sentence: nothing is read or written.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { expandHome } from '../config/load.js';
import { InputError } from '../errors.js';
import { realRoots, resolveReal, within } from '../trust/confine.js';
import { repositoryRoots } from '../trust/roots.js';
import { addApprovals, approvalStore, readApprovals, type ApprovalStore } from '../trust/approvals.js';

export const LOCAL_ROOT_ENV = 'COS_LOCAL_ROOT';
export const DEFAULT_LOCAL_ROOT = '~/.claude';
const CONFIG_FILE = '.agent/config/coordination.yaml';

export type LocalRootSource = 'target' | 'env' | 'default' | 'config';

export interface LocalRoot {
  /** Absolute, `~` expanded. */
  path: string;
  from: LocalRootSource;
}

/** What an approval records: sha256 of the value as written and the real folder it led to. Pure. */
export function localRootHash(value: string, leadsTo: string): string {
  return createHash('sha256').update(`local_root\n${value}\n${leadsTo}`).digest('hex');
}

/** `local_root` as written, the folder it names and where that folder really is (links resolved). */
export interface ConfiguredLocalRoot {
  path: string;
  real: string;
  hash: string;
}

/** Where a configured `local_root` leads, and the approval that would cover it. Pure but for `realOf`. */
export function configuredLocalRoot(root: string, configured: string, home: string, realOf: (path: string) => string = resolveReal): ConfiguredLocalRoot {
  const path = resolve(root, expandHome(configured, home));
  const real = realOf(path);
  return { path, real, hash: localRootHash(configured, real) };
}

export function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir();
}

export interface LocalRootInput {
  /** The repository root (a relative local_root is relative to it). */
  root: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `--target DIR`, as typed. */
  target?: string;
  /** `local_root` of coordination.yaml, as written. */
  configured: string;
  /** The command that needs it, for the refusal ("cos sync"). */
  command: string;
}

/** The hashes approved for this repository (the store is only read when it is needed). */
type Approved = () => ReadonlySet<string>;

/** The local agent directory, or an InputError naming the unapproved value. Pure but for `approved` and `realOf`. */
export function chooseLocalRoot(input: LocalRootInput, approved: Approved, realOf: (path: string) => string = resolveReal): LocalRoot {
  const home = homeOf(input.env);
  if (input.target !== undefined) return { path: resolve(input.cwd, expandHome(input.target, home)), from: 'target' };
  const fromEnv = input.env[LOCAL_ROOT_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { path: resolve(input.cwd, expandHome(fromEnv, home)), from: 'env' };
  const fallback = join(home, '.claude');
  if (resolve(input.root, expandHome(input.configured, home)) === fallback) return { path: fallback, from: 'default' };
  const configured = configuredLocalRoot(input.root, input.configured, home, realOf);
  if (approved().has(configured.hash)) return { path: configured.path, from: 'config' };
  const leads = configured.real !== configured.path ? ` (it leads to ${configured.real})` : '';
  throw new InputError(
    `${CONFIG_FILE} sets local_root to ${JSON.stringify(input.configured)}${leads}, which was not approved on this machine, so ${input.command} will not use it as your local agent directory; approve exactly that value with cos sync --allow-local-root, or give --target DIR (or ${LOCAL_ROOT_ENV}=DIR).`,
  );
}

/** chooseLocalRoot with this repository's approvals. */
export function localRoot(input: LocalRootInput): LocalRoot {
  let store: ApprovalStore | null = null;
  return chooseLocalRoot(input, () => readApprovals((store ??= approvalStore(input.root, input.env)), 'local_root_sha256'));
}

/** Approve `local_root` of coordination.yaml as it is written and where it leads now; returns where it is recorded and where it leads. */
export function approveLocalRoot(root: string, env: NodeJS.ProcessEnv, configured: string): { shown: string; leadsTo: string } {
  const store = approvalStore(root, env);
  const approved = configuredLocalRoot(root, configured, homeOf(env));
  addApprovals(store, 'local_root_sha256', [approved.hash]);
  return { shown: store.shown, leadsTo: approved.real };
}

/**
 * The folders cos may reach under the local agent directory `target` (`roles`, `skills` for sync;
 * `todos` for cleanup), resolved. The user's own directory may link them elsewhere (a dotfiles
 * checkout); a directory that lies in the repository is repository content, so what is under it
 * must stay inside it: a committed `agents/roles -> ~/.ssh` is not the user's setup.
 */
export function localRootFolders(root: string, target: string, subfolders: readonly string[]): string[] {
  const real = resolveReal(target);
  if (repositoryRoots(root).some((inside) => within(real, inside))) return [real];
  return realRoots([target, ...subfolders.map((folder) => join(target, folder))]);
}
