/**
 * Words of a command line as paths, the way the guard places them: `~`, `$HOME` and `$PWD`
 * expanded, relative paths counted from the agent's directory (following `cd` earlier in the
 * line), shell globs kept as patterns. Pure: the real path of a path (symbolic links resolved)
 * comes in as a function (guard/real-path.ts reads it from the disk).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { type GlobDialect, globSource } from './glob.js';
import { literal } from './marks.js';

/** The real path of a path (links resolved on its existing part), or the path itself. */
export type RealPath = (path: string) => string;

export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** `~` and `$HOME` expanded; null when a variable (or `~user`) hides the path. */
export function expandHome(word: string, home: string): string | null {
  let path = word;
  if (path === '~' || path.startsWith('~/')) path = home + path.slice(1);
  else if (/^\$\{?HOME\}?(\/|$)/.test(path)) path = home + path.replace(/^\$\{?HOME\}?/, '');
  return path.includes('$') || path.startsWith('~') ? null : path;
}

/**
 * `~`, `$HOME` and `$PWD` (the directory the command runs in, when it can be told) expanded; null
 * when another variable (or `~user`) hides the path.
 */
export function expandKnown(word: string, cwd: string | null, home: string): string | null {
  if (/^\$\{?PWD\}?(\/|$)/.test(word)) return cwd === null ? null : expandHome(cwd + word.replace(/^\$\{?PWD\}?/, ''), home);
  return expandHome(word, home);
}

/**
 * A word as a path: `~`, `$HOME`, `$PWD` expanded, relative to cwd; null when a variable hides it,
 * or when it is relative and the directory it counts from cannot be told (after `cd -`, `popd`).
 * A glob is placed as its literal directory followed by `/*`. A quoted `*`, `?` or `[` (marked,
 * guard/marks.ts) is part of a name, not a glob: `"*"` is the file named `*`, and stays marked in
 * the placed path (so it is not read as `/*`; `literal` gives the name back for a message).
 */
export function placePath(word: string, cwd: string | null, home: string): string | null {
  let path = expandKnown(word, cwd, home);
  if (path === null || (cwd === null && !isAbsolute(path))) return null;
  const from = cwd ?? '/';
  // A glob deletes whatever its literal directory holds: place that directory.
  const glob = path.search(/[*?[]/);
  if (glob !== -1) {
    const cut = path.lastIndexOf('/', glob);
    path = cut === -1 ? '.' : path.slice(0, cut) || '/';
    return `${resolve(from, path)}${sep}*`;
  }
  return resolve(from, path);
}

/** Bash's glob over one segment: `*` and `?` stop at `/`, and a quoted (marked) `*`, `?` or `[` is itself. */
const BASH_SEGMENT: GlobDialect = { star: '[^/]*', question: '[^/]', char: literal };

/** A shell glob segment as a regular expression (a leading `.` is matched only explicitly, as bash does). */
export function segmentRegExp(segment: string): RegExp {
  return new RegExp(`^${segment.startsWith('.') ? '' : '(?!\\.)'}${globSource(segment, BASH_SEGMENT)}$`);
}

/** Whether a glob segment can match a name (a class the translation cannot read: assume it can). */
export function segmentMatches(segment: string, name: string): boolean {
  if (!/[*?[]/.test(segment)) return literal(segment) === name;
  try {
    return segmentRegExp(segment).test(name);
  } catch {
    return true;
  }
}

/** The first glob segment of a word (`b*` of `src/b*` and of `src/b*.d/x`), or null for a plain path. */
export function globSegment(word: string, home: string): string | null {
  const expanded = expandHome(word, home) ?? word;
  const at = expanded.search(/[*?[]/);
  return at === -1 ? null : expanded.slice(expanded.lastIndexOf('/', at) + 1).split('/')[0]!;
}

/**
 * Whether a word (a path, or a glob) given to a command can name `target` itself or one of its
 * ancestor directories. A glob names the entries of its literal directory that its first glob
 * segment matches: `.*` and `.g*` at the repository's top name `.git`, `*` does not.
 */
export function mayName(word: string, cwd: string | null, home: string, target: string): boolean {
  const placed = placePath(word, cwd, home);
  if (placed === null) return false;
  if (!placed.endsWith(`${sep}*`)) return isInside(placed, target);
  const dir = placed.slice(0, -2);
  if (dir === target || !isInside(dir, target)) return false;
  const segment = globSegment(word, home)!;
  const next = relative(dir, target).split(sep)[0]!;
  return segmentMatches(segment, next);
}
