/**
 * A git pathspec as git reads it (gitglossary(7), "pathspec"), for the guard's question: may this
 * pathspec name a file of a protected place? Pure.
 *
 * - Magic comes first: the long form `:(top,icase,glob,literal,exclude,attr:…,prefix:N)pattern`,
 *   the short form `:/` (top), `:!` and `:^` (exclude), combined (`:/!`) and ended by a second
 *   `:` (`:/:pattern`) or by the first other character. A bare `:` is no magic.
 * - A pattern holding `*`, `?`, `[` or `\` is matched by wildmatch over the whole path: `*` and
 *   `?` cross `/`, `\c` is `c` (`.agent/\config/x` is `.agent/config/x`); with `:(glob)` `*`
 *   stops at `/` and `**​/` is any number of folders. A plain pattern names a file or a folder
 *   and everything in it.
 * - Decision: what the command line does not show is read on the side of denying. Case is ignored
 *   always (`:(icase)`, `--icase-pathspecs` and `GIT_ICASE_PATHSPECS=1` in the agent's environment
 *   all make `.AGENT/config` the config), and a pattern without `:(glob)` or `:(literal)` is read
 *   both as wildmatch and as `:(glob)` and literally (`--glob-pathspecs`, `--literal-pathspecs`,
 *   `GIT_*_PATHSPECS` may change how git reads it): a pathspec covers a place when any reading
 *   does. A glob pattern is taken to name a folder as well as its files (git matches it against
 *   files only, so `git restore '.agen?'` fails): a command that can only fail is denied or not
 *   alike.
 */
import { type GlobDialect, globSource } from './glob.js';

export interface Pathspec {
  /** Counted from the top of the work tree (`:/`, `:(top)`), not from the directory git runs in. */
  top: boolean;
  /** `:!`, `:^`, `:(exclude)`: it takes paths out of what the other pathspecs name. */
  exclude: boolean;
  /** `:(glob)`: `*` and `?` stop at `/`. */
  glob: boolean;
  /** `:(literal)`: no character is a wildcard. */
  literal: boolean;
  /** The pattern after the magic; '' names the directory it counts from. */
  pattern: string;
}

/** A pathspec's magic and pattern. An unknown magic word (git refuses the command) is ignored. */
export function parsePathspec(spec: string): Pathspec {
  const plain = { top: false, exclude: false, glob: false, literal: false };
  if (!spec.startsWith(':')) return { ...plain, pattern: spec };
  if (spec.startsWith(':(')) {
    const close = spec.indexOf(')');
    // Without `)` git refuses it ("Missing ')'"): read the rest as the pattern, on the side of denying.
    if (close === -1) return { ...plain, pattern: spec.slice(2) };
    const words = spec.slice(2, close).split(',');
    const glob = words.includes('glob');
    return { top: words.includes('top'), exclude: words.includes('exclude'), glob, literal: words.includes('literal') && !glob, pattern: spec.slice(close + 1) };
  }
  let top = false;
  let exclude = false;
  let at = 1;
  for (; at < spec.length; at++) {
    const c = spec[at]!;
    if (c === '/') top = true;
    else if (c === '!' || c === '^') exclude = true;
    else {
      if (c === ':') at++;
      break;
    }
  }
  return { ...plain, top, exclude, pattern: spec.slice(at) };
}

/** The characters that make a pathspec pattern a wildmatch pattern. */
export const GIT_GLOB = /[*?[\\]/;

/**
 * git's wildmatch without `:(glob)` and with it, read at once: `*` and `?` cross `/` (the wider
 * reading), and `**​/` may also be no folder at all (what only `:(glob)` allows). Every character
 * is itself; a backslash escapes the next one.
 */
export const GIT_PATHSPEC: GlobDialect = { star: '.*', question: '.', char: (c) => c, escape: true, globstar: '(?:.*/)?' };
/** `:(glob)` alone: `*` and `?` stop at `/`, `**​/` is any number of folders. */
export const GIT_GLOB_MAGIC: GlobDialect = { star: '[^/]*', question: '[^/]', char: (c) => c, escape: true, globstar: '(?:.*/)?' };

/** A pathspec pattern (from the top, `/`-separated) as a regular expression, any case: the paths it matches and everything below them. */
export function pathspecRegExp(pattern: string, dialect: GlobDialect = GIT_PATHSPEC): RegExp | null {
  try {
    return new RegExp(`^${globSource(pattern, dialect)}(?:/.*)?$`, 'is');
  } catch {
    return null;
  }
}

/**
 * Whether a pattern (relative to the top of the work tree, `/`-separated, `..` resolved; '' or
 * `.` is the whole tree) may name `place` (a path from the top), a path inside it or a folder
 * holding it; `samples` are paths inside `place` a glob is tried against (git's `*` crosses `/`,
 * so `*.yaml` names `.agent/config/coordination.yaml`). Any case; wildmatch, `:(glob)` and
 * literal readings at once unless the pathspec's magic says which (see above).
 */
export function patternCovers(pattern: string, place: string, samples: readonly string[], magic: { glob?: boolean; literal?: boolean } = {}): boolean {
  const path = pattern.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '').toLowerCase();
  const target = place.toLowerCase();
  if (path === '' || path === '.' || path === target || target.startsWith(`${path}/`) || path.startsWith(`${target}/`)) return true;
  if (magic.literal || !GIT_GLOB.test(pattern)) return false;
  const regexp = pathspecRegExp(pattern.replace(/^(?:\.\/)+/, ''), magic.glob ? GIT_GLOB_MAGIC : GIT_PATHSPEC);
  // A class the translation cannot read: assume it may name the place.
  if (regexp === null) return true;
  // The place itself stands for the folders holding it too: `.agen?` matches `.agent/config` through `(?:/.*)?`.
  return regexp.test(place) || samples.some((sample) => regexp.test(`${place}/${sample}`));
}
