/**
 * Globs as regular expressions. The guard reads two dialects of glob: bash's, over one path segment
 * (guard/paths.ts), and git's pathspec wildmatch, over a whole path (guard/pathspec.ts). They differ
 * in what `*` and `?` match, in how a character stands for itself, in whether a backslash escapes
 * the next character (git's wildmatch: `\c` is `c`; bash's words reach the guard unquoted) and in
 * `**​/` (git's `:(glob)`: any number of folders, none included), so each dialect is those things
 * and one translator reads every pattern. A bracket expression (`[a-c]`, `[!x]` or `[^x]` negated,
 * `[]x]`, POSIX classes such as `[[:lower:]]`, a `[` that closes nothing is literal) reads alike in
 * both. Pure.
 */

/** What `*` and `?` become in a dialect, and the character an ordinary pattern character stands for. */
export interface GlobDialect {
  star: string;
  question: string;
  char: (c: string) => string;
  /** A backslash makes the next character stand for itself (git's wildmatch). */
  escape?: boolean;
  /** What `**​/` at the start or after a `/` becomes (git's `:(glob)`); without it, two stars are two stars. */
  globstar?: string;
}

/** POSIX character classes as the members of a regular-expression class. */
const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

/**
 * The bracket expression opening at `start` as a regular-expression class, and where it ends; null
 * when it closes nothing (the `[` is then literal). An unknown POSIX class (`[[:nope:]]`) matches
 * any character: the guard would rather read too much than too little.
 */
function bracket(pattern: string, start: number, escapes: boolean): { source: string; end: number } | null {
  let j = start + 1;
  let negate = false;
  if (pattern[j] === '!' || pattern[j] === '^') {
    negate = true;
    j++;
  }
  let members = '';
  for (let first = true; j < pattern.length; first = false) {
    let c = pattern[j]!;
    if (c === ']' && !first) return { source: `[${negate ? '^' : ''}${members}]`, end: j };
    if (c === '[' && pattern[j + 1] === ':') {
      const close = pattern.indexOf(':]', j + 2);
      if (close !== -1) {
        members += POSIX_CLASSES[pattern.slice(j + 2, close)] ?? '\\s\\S';
        j = close + 2;
        continue;
      }
    }
    if (c === '\\' && escapes && j + 1 < pattern.length) c = pattern[++j]!;
    else if (c === '-' && !first && pattern[j + 1] !== ']') {
      members += '-';
      j++;
      continue;
    }
    members += c.replace(/[\\\]^[-]/g, '\\$&');
    j++;
  }
  return null;
}

/** A glob in a dialect as the source of a regular expression (unanchored: the caller anchors it). */
export function globSource(pattern: string, dialect: GlobDialect): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && dialect.globstar !== undefined && pattern.startsWith('**/', i) && (i === 0 || pattern[i - 1] === '/')) {
      out += dialect.globstar;
      i += 2;
    } else if (c === '*') out += dialect.star;
    else if (c === '?') out += dialect.question;
    else if (c === '[') {
      const found = bracket(pattern, i, dialect.escape === true);
      if (found === null) out += '\\[';
      else {
        out += found.source;
        i = found.end;
      }
    } else if (c === '\\' && dialect.escape && i + 1 < pattern.length) out += pattern[++i]!.replace(/[.+^${}()|\\*?[\]/]/g, '\\$&');
    else out += dialect.char(c).replace(/[.+^${}()|\\*?[\]]/g, '\\$&');
  }
  return out;
}
