/**
 * Quoted characters the shell does not expand, kept apart from the ones it does. Pure.
 *
 * shell-quote removes quotes, so `rm -rf "*"` and `rm -rf *` (and `"{a,b}"` and `{a,b}`) reach the
 * guard as the same word. Before tokenizing, every `*`, `?`, `[`, `{`, `}` and `,` that is quoted
 * (or backslash-escaped) is replaced by a character of Unicode's private use area: brace expansion
 * and globbing only see the unquoted ones. `{`, `}` and `,` are given back right after brace
 * expansion; the glob characters stay marked in `SimpleCommand.marked` (the words as the shell
 * globs them) and are given back in `SimpleCommand.words` (the words as the program receives them).
 */

const MARKS: Record<string, string> = { '*': '\uE000', '?': '\uE001', '[': '\uE002', '{': '\uE003', '}': '\uE004', ',': '\uE005' };
const UNMARKS: Record<string, string> = Object.fromEntries(Object.entries(MARKS).map(([c, m]) => [m, c]));

export function mark(c: string): string {
  return MARKS[c] ?? c;
}

/** The word as the program receives it: every marked character given back. */
export function literal(word: string): string {
  return word.replace(/[\uE000-\uE005]/g, (m) => UNMARKS[m]!);
}

/** `{`, `}` and `,` given back (after brace expansion); quoted glob characters stay marked. */
export function unmarkBraces(word: string): string {
  return word.replace(/[\uE003-\uE005]/g, (m) => UNMARKS[m]!);
}

/**
 * A marked word written back as shell text that reads as the same word: marked (quoted) characters
 * and shell syntax escaped with a backslash; real glob characters and `${NAME}` left as they are.
 */
export function requote(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    const parameter = c === '$' && word[i + 1] === '{' ? word.indexOf('}', i) : -1;
    if (parameter !== -1) {
      out += word.slice(i, parameter + 1);
      i = parameter;
    } else if (UNMARKS[c] !== undefined) out += `\\${UNMARKS[c]}`;
    else if (/[\s'"\\;&|<>()`{},$#~]/.test(c)) out += `\\${c}`;
    else out += c;
  }
  return out === '' ? "''" : out;
}
