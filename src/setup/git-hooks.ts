/**
 * `cos setup git-hooks`: the pre-commit hook that runs `cos guard pre-commit`, installed where git
 * looks for hooks (`git rev-parse --git-path hooks`, which follows core.hooksPath).
 *
 * Invariants:
 * - Never overwrites: an existing pre-commit hook that is not ours is renamed to
 *   `pre-commit.pre-cos`, and ours runs it after the guard (same arguments, same stdin), so the
 *   chain behaves as before plus the guard. If `pre-commit.pre-cos` already exists too, nothing is
 *   touched and the user is told.
 * - Ours is recognised by its marker line; installing again changes nothing (or updates ours).
 * - `--remove` deletes only ours and puts the chained hook back under its name.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { confine, resolveReal } from '../trust/confine.js';
import { repositoryRoots } from '../trust/roots.js';
import { ExternalError, InputError } from '../errors.js';
import { readBoundedText } from '../trust/read.js';
import { replaceFile } from '../store/local-files.js';
import { projectHasCos, runningCli, shellQuote } from './cos-command.js';

export const HOOK_MARKER = '# cos:pre-commit';
export const CHAINED = 'pre-commit.pre-cos';

export interface GitHookChange {
  /** Where the hook is, relative to the repository root when inside it. */
  file: string;
  action: 'created' | 'updated' | 'unchanged' | 'removed' | 'absent';
  /** The existing hook ours runs after the guard, when there is one. */
  chained: string | null;
  written: boolean;
}

/**
 * The hook's text. `run` is the shell function body that runs cos with "$@": git runs hooks at the
 * top of whichever worktree commits, so it is chosen there, not at setup.
 */
export function hookScript(run: string): string {
  return [
    '#!/bin/sh',
    `${HOOK_MARKER} (installed by cos setup git-hooks; cos setup git-hooks --remove takes it out)`,
    '# Refuses a commit that touches a path another live agent leased (cos lease): cos guard --help.',
    `run_cos() { ${run}; }`,
    'run_cos guard pre-commit || exit $?',
    `chained="$(dirname "$0")/${CHAINED}"`,
    'if [ -x "$chained" ]; then exec "$chained" "$@"; fi',
    'exit 0',
    '',
  ].join('\n');
}

async function hooksDir(root: string): Promise<{ dir: string; top: string }> {
  const { tryGit } = await import('../git/run.js');
  const top = await tryGit(root, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) throw new InputError(`${root} is not in a git repository: cos setup git-hooks installs a git hook.`);
  const path = await tryGit(root, ['rev-parse', '--git-path', 'hooks']);
  if (path.code !== 0) throw new ExternalError(`git rev-parse --git-path hooks failed: ${path.stderr.trim()}`);
  const realRoot = resolveReal(root);
  const dir = resolve(realRoot, path.stdout.trim());
  const inTree = relative(top.stdout.trim(), dir);
  // A hooks folder in the work tree (core.hooksPath = .githooks, .husky) is committed content: a
  // link there must not carry our hook (or the chained one) outside. A folder the user's config
  // names elsewhere (a global hooks folder) is the user's own.
  if (!inTree.startsWith('..') && !isAbsolute(inTree)) confine(dir, repositoryRoots(realRoot), shown(realRoot, dir));
  return { dir, top: top.stdout.trim() };
}

function shown(root: string, path: string): string {
  const rel = relative(root, path);
  return rel.startsWith('..') ? path : rel.split(sep).join('/');
}

/** The hook's text: bounded, a regular file only (a committed hooks folder may hold a link). */
function hookText(path: string): string | null {
  const read = readBoundedText(path);
  return read.ok ? read.text : null;
}

function isOurs(path: string): boolean {
  return hookText(path)?.includes(HOOK_MARKER) ?? false;
}

/**
 * How the git hook runs cos, from the top of the worktree that commits (where git runs hooks; every
 * worktree shares the hooks folder): the worktree's own node_modules/.bin/cos when it has one, else
 * the absolute node and cli.js that ran this setup — a linked worktree often has no node_modules.
 * `--dir` is relative to the worktree's top, so each worktree guards its own index and .agent/.
 */
function gitCosRun(root: string, top: string): string {
  const rel = relative(top, root).split(sep).join('/');
  const dir = rel === '' ? '' : ` --dir ${shellQuote(rel)}`;
  const absolute = `${shellQuote(process.execPath)} ${shellQuote(runningCli())}${dir} "$@"`;
  if (!projectHasCos(root)) return absolute;
  const local = rel === '' ? './node_modules/.bin/cos' : `./${rel}/node_modules/.bin/cos`;
  return `if [ -x ${shellQuote(local)} ]; then ${shellQuote(local)}${dir} "$@"; else ${absolute}; fi`;
}

export async function setupGitHooks(root: string, options: { remove?: boolean; dryRun?: boolean } = {}): Promise<GitHookChange> {
  const { dir, top } = await hooksDir(root);
  const hook = join(dir, 'pre-commit');
  const chained = join(dir, CHAINED);
  const file = shown(root, hook);
  const dryRun = options.dryRun === true;
  if (options.remove) {
    if (!isOurs(hook)) return { file, action: 'absent', chained: existsSync(chained) ? shown(root, chained) : null, written: false };
    const back = existsSync(chained);
    if (!dryRun) {
      unlinkSync(hook);
      if (back) renameSync(chained, hook);
    }
    return { file, action: 'removed', chained: back ? shown(root, chained) : null, written: !dryRun };
  }
  const script = hookScript(gitCosRun(root, top));
  if (existsSync(hook) && isOurs(hook)) {
    const same = hookText(hook) === script;
    if (!same && !dryRun) {
      // One atomic replace (temp file, fsync, rename): a commit running the hook meanwhile sees
      // the old script or the new one, never half of one, and a link in its place is replaced,
      // never written through.
      replaceFile(hook, script, { mode: 0o755 });
      chmodSync(hook, 0o755);
    }
    return { file, action: same ? 'unchanged' : 'updated', chained: existsSync(chained) ? shown(root, chained) : null, written: !same && !dryRun };
  }
  let chaining: string | null = null;
  if (existsSync(hook)) {
    if (existsSync(chained)) {
      throw new InputError(`${file} is not cos's and ${shown(root, chained)} exists too: move one of them aside, then run cos setup git-hooks again; nothing was changed.`);
    }
    chaining = shown(root, chained);
  }
  if (!dryRun) {
    mkdirSync(dir, { recursive: true });
    if (chaining !== null) renameSync(hook, chained);
    writeFileSync(hook, script, { mode: 0o755, flag: 'wx' });
    chmodSync(hook, 0o755);
  }
  return { file, action: 'created', chained: chaining, written: !dryRun };
}
