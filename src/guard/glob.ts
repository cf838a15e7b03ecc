/**
 * Globs as regular expressions. The guard reads two dialects of glob: bash's, over one path segment
 * (guard/paths.ts), and git's pathspec wildmatch, over a whole path (guard/protected.ts). They differ
 * only in what `*` and `?` match and in how a character stands for itself, so each dialect is those
 * three things and one translator reads every pattern; a bracket expression (`[a-c]`, `[!x]` or
 * `[^x]` negated, a `[` that closes nothing is literal) reads alike in both. Pure.
 */

/** What `*` and `?` become in a dialect, and the character an ordinary pattern character stands for. */
export interface GlobDialect {
  star: string;
  question: string;
  char: (c: string) => string;
}

/** A glob in a dialect as the source of a regular expression (unanchored: the caller anchors it). */
export function globSource(pattern: string, dialect: GlobDialect): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += dialect.star;
    else if (c === '?') out += dialect.question;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        out += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += dialect.char(c).replace(/[.+^${}()|\\*?[\]]/g, '\\$&');
  }
  return out;
}
