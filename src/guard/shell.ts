/**
 * A shell command line as the guard sees it: the simple commands it runs, each as its words (after
 * quotes are removed) and the files it redirects output into. Pure.
 *
 * The tokenizer is shell-quote (quotes, escapes, operators, comments, globs); this module adds what
 * the guard needs on top of it:
 * - commands are split at every control operator (`;`, `&&`, `||`, `|`, `&`, newlines, `(`, `)`),
 *   so each part of a chain is checked on its own;
 * - text the shell would run as a command of its own is parsed too: `$( … )` and backticks (also
 *   inside double quotes), the argument of `bash -c` / `sh -c`, and `eval`;
 * - wrappers that run the rest of the line as a command (`sudo`, `env`, `nohup`, `time`, `nice`,
 *   `timeout`, `command`, `exec`, `xargs`) and leading `NAME=value` assignments are taken off, so
 *   `sudo rm -rf /` is an `rm`;
 * - variables are kept as written (`$HOME` stays `$HOME`) instead of being expanded to nothing.
 * Comments and quoted text are data, never commands: `echo "git push --force"` is an `echo`.
 */
import { parse, type ParseEntry } from 'shell-quote';

export interface SimpleCommand {
  /** Program first, then its arguments, wrappers and assignments taken off. */
  words: string[];
  /** Files its output is redirected into (`>`, `>>`, `&>`, `>|`). */
  writes: string[];
  /** The operator that ended it (`&&`, `;`, `|`, ...) or null at the end of the line. */
  then: string | null;
}

/** How deep `bash -c "bash -c '…'"` and `$( $( … ) )` are followed. */
const MAX_DEPTH = 4;

const SEPARATORS = new Set([';', '&&', '||', '|', '|&', '&', ';;', '(', ')', '<(', '>(']);
const WRITE_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '>&']);
const READ_REDIRECTS = new Set(['<', '<<', '<<<', '<&', '<>']);

/**
 * Text that the shell runs as commands of their own: `$( … )` and `` ` … ` `` spans outside single
 * quotes. The spans stay in the outer text too (shell-quote sees `$(` as a separator).
 */
export function substitutions(text: string): string[] {
  const found: string[] = [];
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quote !== "'") {
      i++;
      continue;
    }
    if (quote === "'") {
      if (c === "'") quote = null;
      continue;
    }
    if (c === "'" && quote === null) quote = "'";
    else if (c === '"') quote = quote === '"' ? null : '"';
    else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end === -1) {
        found.push(text.slice(i + 1));
        break;
      }
      found.push(text.slice(i + 1, end));
      i = end;
    } else if (c === '$' && text[i + 1] === '(' && text[i + 2] !== '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      found.push(text.slice(i + 2, j));
      i = j;
    }
  }
  return found;
}

/** Newlines outside quotes end a command, as `;` does (shell-quote reads them as spaces). */
function newlinesAsSeparators(text: string): string {
  let out = '';
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quote !== "'" && i + 1 < text.length) {
      // A backslash-newline is removed (POSIX line continuation): `r\<newline>m` is `rm`.
      out += text[i + 1] === '\n' ? '' : c + text[i + 1];
      i++;
      continue;
    }
    if (quote === null && (c === "'" || c === '"')) quote = c;
    else if (quote === c) quote = null;
    out += c === '\n' && quote === null ? ';' : c;
  }
  return out;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Wrapper → how many leading option words (and their values) it takes before the command. */
function stripWrappers(words: string[]): string[] {
  let rest = words;
  for (let guard = 0; guard < 16 && rest.length > 0; guard++) {
    while (rest.length > 0 && ASSIGNMENT.test(rest[0]!)) rest = rest.slice(1);
    const program = basename(rest[0] ?? '');
    if (program === 'sudo' || program === 'doas') rest = skipOptions(rest.slice(1), new Set(['-u', '-g', '-p', '-C', '-h', '-U', '-r', '-t', '-D']));
    else if (program === 'env') {
      rest = skipOptions(rest.slice(1), new Set(['-u', '-C', '-S', '--unset', '--chdir']));
      while (rest.length > 0 && ASSIGNMENT.test(rest[0]!)) rest = rest.slice(1);
    } else if (program === 'nohup' || program === 'time' || program === 'command' || program === 'exec' || program === 'builtin' || program === 'stdbuf' || program === 'unbuffer') rest = skipOptions(rest.slice(1), new Set());
    else if (program === 'nice' || program === 'ionice') rest = skipOptions(rest.slice(1), new Set(['-n', '-c']));
    else if (program === 'timeout') {
      rest = skipOptions(rest.slice(1), new Set(['-s', '-k', '--signal', '--kill-after']));
      rest = rest.slice(1); // the duration
    } else if (program === 'xargs') rest = skipOptions(rest.slice(1), new Set(['-I', '-n', '-P', '-L', '-d', '-E', '-s', '-a']));
    else break;
  }
  return rest;
}

function skipOptions(words: string[], withValue: ReadonlySet<string>): string[] {
  let i = 0;
  while (i < words.length && words[i]!.startsWith('-') && words[i] !== '-') {
    if (words[i] === '--') return words.slice(i + 1);
    if (withValue.has(words[i]!)) i++;
    i++;
  }
  return words.slice(i);
}

export function basename(word: string): string {
  const at = word.lastIndexOf('/');
  return at === -1 ? word : word.slice(at + 1);
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish']);

/** The script a `bash -c SCRIPT` / `eval WORDS` runs, or null. */
function innerScript(words: string[]): string | null {
  const program = basename(words[0] ?? '');
  if (program === 'eval') return words.slice(1).join(' ');
  if (!SHELLS.has(program)) return null;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') return null;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(word)) return words[i + 1] ?? null;
    if (!word.startsWith('-') && !word.startsWith('+')) return null;
  }
  return null;
}

function wordOf(token: ParseEntry): string | null {
  if (typeof token === 'string') return token;
  if ('op' in token && token.op === 'glob') return (token as { pattern: string }).pattern;
  return null;
}

/** Every simple command the line runs, in order (substitutions and `-c` scripts after their line). */
export function splitCommands(text: string, depth = 0): SimpleCommand[] {
  if (depth > MAX_DEPTH) return [];
  const tokens = parse(newlinesAsSeparators(text), (name) => `$${name}`);
  const out: SimpleCommand[] = [];
  let words: string[] = [];
  let writes: string[] = [];
  const nested: string[] = [];
  const finish = (then: string | null) => {
    if (words.length > 0) {
      const stripped = stripWrappers(words);
      if (stripped.length > 0) {
        out.push({ words: stripped, writes, then });
        const script = innerScript(stripped);
        if (script !== null) nested.push(script);
      }
    } else if (writes.length > 0) out.push({ words: [], writes, then });
    words = [];
    writes = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const word = wordOf(token);
    if (word !== null) {
      words.push(word);
      continue;
    }
    if (typeof token === 'string' || 'comment' in token) continue;
    const op = (token as { op: string }).op;
    if (WRITE_REDIRECTS.has(op) || READ_REDIRECTS.has(op)) {
      // `2>` arrives as the word "2" then ">": the digit is a file descriptor, not an argument.
      if (/^\d+$/.test(words[words.length - 1] ?? '') && words.length > 1) words.pop();
      const target = tokens[i + 1] !== undefined ? wordOf(tokens[i + 1]!) : null;
      if (target !== null) {
        i++;
        if (WRITE_REDIRECTS.has(op) && !/^\d+$/.test(target) && target !== '-') writes.push(target);
      }
      continue;
    }
    if (SEPARATORS.has(op)) finish(op);
  }
  finish(null);
  for (const script of [...substitutions(text), ...nested]) out.push(...splitCommands(script, depth + 1));
  return out;
}

/** A command as one line, whitespace normalised: what a denial names and an approval matches. */
export function normaliseCommand(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}
