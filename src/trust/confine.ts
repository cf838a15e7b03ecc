/**
 * Path confinement: the one place that decides whether a path may be touched.
 *
 * A cloned repository, an MCP client and a hook's stdin are untrusted (docs/security.md). Every
 * path that comes from them — a folder of `.agent/`, an entry, a role, a skill, a state-file
 * key, a setup target, an MCP `body_file` — is resolved here (symbolic links followed with
 * realpath, `..` collapsed) and must then lie inside one of the allowed roots: the repository
 * (every worktree of it), its git common directory, or the user's declared local agent directory.
 * A path that does not exist yet is judged by its deepest existing ancestor, plus the remaining
 * names, none of which may be `..`.
 *
 * Not guarded: a concurrent local process swapping a folder for a link between the check and the
 * use (time-of-check races). The attacker in our threat model is committed content, which is
 * fixed while cos runs.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';

/** Resolved (realpath) absolute folders a path may lie in. */
export type Roots = readonly string[];

/** The real path of `path`: symlinks resolved; for a missing path, its deepest existing ancestor's real path plus the rest. */
export function resolveReal(path: string, depth = 0): string {
  const abs = resolve(path);
  const rest: string[] = [];
  let current = abs;
  for (;;) {
    try {
      const real = realpathSync.native(current);
      return rest.length === 0 ? real : join(real, ...rest.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A dangling link: where it points is what a write would create.
      if (code === 'ENOENT' && isLink(current)) {
        if (depth > 40) throw error;
        const target = resolveReal(linkTarget(current), depth + 1);
        return rest.length === 0 ? target : join(target, ...rest.reverse());
      }
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = dirname(current);
      if (parent === current) return abs;
      rest.push(basename(current));
      current = parent;
    }
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function linkTarget(path: string): string {
  // A relative target is relative to the link's folder.
  return resolve(dirname(path), readlinkSync(path));
}

/** Whether `real` (already resolved) is `root` or inside it. */
export function within(real: string, root: string): boolean {
  const rel = relative(root, real);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Resolve every root once (a root that does not exist yet is kept as its resolved path). */
export function realRoots(roots: readonly string[]): string[] {
  return [...new Set(roots.map((root) => resolveReal(root)))];
}

/** The resolved path when it lies inside one of `roots`, else null. */
export function confined(path: string, roots: Roots): string | null {
  let real: string;
  try {
    real = resolveReal(path);
  } catch {
    return null; // a link loop, a folder that cannot be searched: not provably inside
  }
  return roots.some((root) => within(real, root)) ? real : null;
}

/**
 * The resolved path, or an InputError in one sentence naming `shown` (the path as the user knows
 * it) and saying where it leads.
 */
export function confine(path: string, roots: Roots, shown: string): string {
  const real = confined(path, roots);
  if (real !== null) return real;
  let where: string;
  try {
    where = `to ${resolveReal(path)}`;
  } catch (error) {
    where = `it cannot be resolved: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
  throw new InputError(`${shown} leads outside the repository (${where}); cos reads and writes only inside the repository, its git directory and the local agent directory, so remove that link or path.`);
}

/**
 * A relative key such as `roles/x.md` or `skills/s/a/b.md` (from a state file, a plan, an MCP
 * argument): only plain names separated by `/` — no empty, `.` or `..` segments, no absolute
 * path, no backslash or NUL, no control characters.
 */
export function isPlainRelative(key: string): boolean {
  if (typeof key !== 'string' || key === '' || key.length > 4096) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(key) || key.startsWith('/') || isAbsolute(key)) return false;
  return key.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** `base` joined with a plain relative key, confined to `roots`; null when the key is not plain or leads outside. */
export function joinInside(base: string, key: string, roots: Roots): string | null {
  if (!isPlainRelative(key)) return null;
  const path = join(base, ...key.split('/'));
  return confined(path, roots) === null ? null : path;
}
