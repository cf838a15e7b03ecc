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
 * - wrappers that run the rest of the line (or a string) as a command (guard/wrappers.ts: `sudo`,
 *   `env`, `nohup`, `timeout`, `flock`, `su -c`, `strace`, `xargs`, ...) and leading `NAME=value`
 *   assignments are taken off, so `sudo rm -rf /` is an `rm`;
 * - brace expansion as bash does it (guard/braces.ts): `rm -rf {~,x}` is `rm -rf ~ x`; quoted
 *   braces and glob characters stay literal (guard/marks.ts): `rm -rf "*"` names the file `*`;
 * - simple assignments earlier in the line (`X=-rf; export B=main`) are substituted into later
 *   words (`rm $X ~` is `rm -rf ~`); a variable assigned two different values, or by `read`/`for`,
 *   is unknown and stays `${NAME}`;
 * - the output of a substitution that only prints (`echo`, `printf`) is parsed as a command line
 *   when the shell runs it: as a command (`$(echo rm -rf ~)`) or as the script of `bash -c`/`eval`;
 * - shell reserved words and grouping at the start of a simple command (`if`, `then`, `do`, `while`,
 *   `{`, `!`, `coproc`, `function NAME`, ...) are taken off, so `if true; then rm -rf ~; fi` runs
 *   `true` and `rm -rf ~`; a `for NAME in WORDS` / `select` head, a `case WORD in` head, the case
 *   patterns (`a|b)`) and a `name()` function head are not commands;
 * - other variables are kept, written `${NAME}` (`$HOME` stays `${HOME}`), instead of being
 *   expanded to nothing.
 * Comments and quoted text are data, never commands: `echo "git push --force"` is an `echo`.
 */
import { parse, type ParseEntry } from 'shell-quote';
import { expandBraces } from './braces.js';
import { TooComplex } from './too-complex.js';
import { literal, mark, requote, unmarkBraces } from './marks.js';
import { ASSIGNMENT, basename, skipOptions, stripWrappers, type Unwrapped } from './wrappers.js';

export { basename } from './wrappers.js';

export interface SimpleCommand {
  /** Program first, then its arguments, wrappers and assignments taken off, as the program receives them. */
  words: string[];
  /**
   * The same words as the shell globs them: a quoted `*`, `?` or `[` is a private-use character
   * (guard/marks.ts), so a glob is told from a file named `*`.
   */
  marked: string[];
  /** Directories a wrapper runs it in (`env -C DIR`, `sudo -D DIR`), each relative to the one before. */
  dirs: string[];
  /** Files its output is redirected into (`>`, `>>`, `&>`, `>|`). */
  writes: string[];
  /** The operator that ended it (`&&`, `;`, `|`, ...) or null at the end of the line. */
  then: string | null;
  /**
   * Text given to its standard input: a here-string (`<<< TEXT`), a here-document (`<<EOF`), or
   * what `echo`/`printf` print into a pipe to it.
   */
  stdin: string[];
  /**
   * Run through `xargs` or `find -exec`: some of its arguments are read from input the line does
   * not show (so the paths it is given cannot be told).
   */
  fromInput: boolean;
  /** Run by xargs reading its items otherwise than at blanks from the line's input (`-0`, `-d`, `-a FILE`). */
  rawInput?: boolean;
  /**
   * Run somewhere else — in a container (`docker exec`, `kubectl exec`, ...) or on another host
   * (`ssh HOST CMD`): its paths are not this machine's, but what it does (drop a database) is.
   */
  elsewhere: boolean;
}

/** How deep `bash -c "bash -c '…'"` and `$( $( … ) )` are followed; deeper is TooComplex (never dropped). */
const MAX_DEPTH = 4;

const SEPARATORS = new Set([';', '&&', '||', '|', '|&', '&', ';;', ';&', ';;&', '(', ')', '<(', '>(']);
/** What ends a case clause: `;;`, and the fall-through `;&` and `;;&`; a pattern follows each. */
const CASE_ENDS = new Set([';;', ';&', ';;&']);
const WRITE_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '>&']);
const READ_REDIRECTS = new Set(['<', '<<', '<<-', '<<<', '<&', '<>']);
const HEREDOC = new Set(['<<', '<<-']);

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
      // Inside backticks a backslash quotes only `, \ and $, and the command inside sees them
      // bare: `echo \`rm -rf ~\`` runs `echo `rm -rf ~``, a substitution of its own.
      let inner = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '`'; j++) {
        const d = text[j]!;
        const next = text[j + 1];
        if (d === '\\' && next !== undefined) {
          inner += next === '`' || next === '\\' || next === '$' ? next : d + next;
          j++;
        } else inner += d;
      }
      found.push(inner);
      if (j >= text.length) break;
      i = j;
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

/**
 * Here-document bodies taken out of the text: they are data given to a command's standard input,
 * not commands (`psql <<SQL` … `SQL`). Returns the text without them, and the bodies in order.
 */
export function takeHeredocs(text: string): { text: string; bodies: string[] } {
  const bodies: string[] = [];
  const pending: Array<{ word: string; tabs: boolean }> = [];
  let out = '';
  let quote: "'" | '"' | null = null;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && quote !== "'") {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (quote !== null) {
      if (c === quote) quote = null;
      out += c;
      i++;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /[\s;&|()]/.test(text[i - 1]!))) {
      // A comment runs to the end of the line: nothing in it starts a here-document.
      const end = text.indexOf('\n', i);
      out += end === -1 ? text.slice(i) : text.slice(i, end);
      i = end === -1 ? text.length : end;
      continue;
    } else if (c === '<' && text.startsWith('<<', i) && text[i + 2] !== '<') {
      const match = /^<<(-?)[ \t]*(?:'([^'\n]*)'|"([^"\n]*)"|\\?([^\s;&|<>()'"]+))/.exec(text.slice(i));
      if (match) {
        pending.push({ word: match[2] ?? match[3] ?? match[4] ?? '', tabs: match[1] === '-' });
        out += match[0];
        i += match[0].length;
        continue;
      }
    } else if (c === '\n' && pending.length > 0) {
      out += c;
      i++;
      for (const doc of pending) {
        const lines: string[] = [];
        while (i < text.length) {
          const end = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
          const line = text.slice(i, end);
          i = end + 1;
          if ((doc.tabs ? line.replace(/^\t+/, '') : line) === doc.word) break;
          lines.push(line);
        }
        bodies.push(lines.join('\n'));
      }
      pending.length = 0;
      continue;
    }
    out += c;
    i++;
  }
  return { text: out, bodies };
}

/**
 * The text shell-quote tokenizes: newlines outside quotes end a command, as `;` does (shell-quote
 * reads them as spaces); a backslash-newline is removed (POSIX line continuation: `r\<newline>m` is
 * `rm`); comments are taken out (a `'` in `# don't` opens no quote); quoted and backslash-escaped
 * `*?[{},` are marked (guard/marks.ts); `${NAME…}` forms shell-quote cannot read (`${X:-a b}`,
 * `${#X}`) become `${NAME}`, a value the guard does not know.
 */
export function prepare(text: string): string {
  let out = '';
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quote !== "'" && i + 1 < text.length) {
      const next = text[i + 1]!;
      if (next === '\n') out += '';
      else if (quote === null && mark(next) !== next) out += mark(next);
      else out += c + (quote === null ? next : mark(next));
      i++;
      continue;
    }
    if (c === '$' && text[i + 1] === '{' && quote !== "'") {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      const body = text.slice(i + 2, j);
      const name = /^[#!]?([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(body)?.[1] ?? '_';
      out += `\${${name}}`;
      i = j;
      continue;
    }
    if (quote === null) {
      if (c === "'" || c === '"') quote = c;
      else if (c === '#' && (i === 0 || /[\s;&|()<>]/.test(text[i - 1]!))) {
        const end = text.indexOf('\n', i);
        if (end === -1) break;
        i = end - 1;
        continue;
      }
      out += c === '\n' ? ';' : c;
      continue;
    }
    if (c === quote) quote = null;
    out += mark(c);
  }
  return out;
}

/**
 * Reserved words and grouping that may start a simple command and are followed by a command
 * (`if rm …`, `then rm …`, `do rm …`, `{ rm …`, `! rm …`), or end a compound one (`fi`, `done`, `}`).
 */
const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'do', 'done', 'while', 'until', '{', '}', '!', 'esac']);
/** A function's name in a `name() { …; }` head (not `$`: `rm -rf $()` is an empty substitution). */
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
/** Heads whose words are not a command: `for NAME in WORDS`, `select NAME in WORDS`, `case WORD in`. */
const HEADS = new Set(['for', 'select', 'case']);

/** Whether the words (after leading reserved words) are a `case WORD in …` head. */
function isCaseHead(words: string[]): boolean {
  let at = 0;
  while (at < words.length && RESERVED.has(words[at]!)) at++;
  return words[at] === 'case';
}

/**
 * The words of a simple command with the shell's reserved words at its start taken off (the
 * command they introduce follows). Empty for a `for`/`select`/`case` head, which runs nothing
 * itself (its `$( … )` are found in the text on their own).
 */
function stripReserved(words: string[]): string[] {
  let rest = words;
  for (let guard = 0; guard < 16 && rest.length > 0; guard++) {
    const word = rest[0]!;
    if (RESERVED.has(word)) rest = rest.slice(1);
    else if (HEADS.has(word)) return [];
    else if (word === 'function') rest = rest.slice(2); // function NAME { …; }
    else if (word === 'coproc') rest = rest[2] === '{' ? rest.slice(3) : rest.slice(1); // coproc [NAME {] CMD
    else break;
  }
  return rest;
}

const CONTAINER_TOOLS = new Set(['docker', 'podman', 'nerdctl']);
/** Options of `docker exec|run` and `compose exec|run` that take a value (the next word). */
const CONTAINER_WITH_VALUE = new Set([
  '-e', '--env', '--env-file', '-u', '--user', '-w', '--workdir', '--detach-keys', '--index', '-v', '--volume', '-p', '--publish',
  '--name', '--network', '--net', '--entrypoint', '-l', '--label', '--mount', '--platform', '-h', '--hostname', '--add-host',
  '--cpus', '-m', '--memory', '--link', '--pull', '--restart', '--shm-size', '--tmpfs', '--ulimit', '--cap-add', '--cap-drop',
  '--device', '--dns', '--gpus', '--ipc', '--log-driver', '--log-opt', '--pid', '--security-opt', '--stop-signal',
  '--stop-timeout', '--runtime', '--group-add', '--volumes-from', '--label-file', '--cidfile', '-c', '--cpu-shares',
]);
const SSH_WITH_VALUE = new Set(['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w', '-B']);

/**
 * The command a wrapper runs somewhere else or on input: `docker exec [opts] CONTAINER CMD…`
 * (also `podman`, `docker compose exec|run SERVICE`, `docker run IMAGE`), `kubectl exec POD --
 * CMD…`, `find … -exec CMD… ;` (its `{}` are paths found at run time), or the command line
 * `ssh [opts] HOST CMD…` sends to the other host (a script). Null for anything else.
 */
function wrappedCommand(words: string[]): { words: string[]; fromInput: boolean; replace?: string } | { script: string } | null {
  const program = basename(words[0] ?? '');
  let rest: string[] | null = null;
  if (CONTAINER_TOOLS.has(program) || program === 'docker-compose') {
    let at = 1;
    if (words[at] === 'compose' && program !== 'docker-compose') at++;
    const compose = at === 2 || program === 'docker-compose';
    if (words[at] === 'container') at++;
    if (words[at] !== 'exec' && words[at] !== 'run') return null;
    rest = skipOptions(words.slice(at + 1), CONTAINER_WITH_VALUE).slice(1); // the container, service or image
    if (compose && rest.length === 0) return null;
  } else if (program === 'kubectl' || program === 'oc') {
    const dashes = words.indexOf('--');
    if (words.includes('exec') && dashes !== -1) rest = words.slice(dashes + 1);
  } else if (program === 'find') {
    const at = words.findIndex((word) => word === '-exec' || word === '-execdir' || word === '-ok' || word === '-okdir');
    if (at !== -1) {
      const end = words.findIndex((word, i) => i > at && (word === ';' || word === '+'));
      return { words: words.slice(at + 1, end === -1 ? undefined : end), fromInput: true, replace: '{}' };
    }
  } else if (program === 'ssh') {
    const after = skipOptions(words.slice(1), SSH_WITH_VALUE).slice(1); // the host
    return after.length > 0 ? { script: after.map(literal).join(' ') } : null;
  }
  return rest !== null && rest.length > 0 ? { words: rest, fromInput: false } : null;
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish']);

/** The script a `bash -c SCRIPT` / `eval WORDS` runs, or null. */
function innerScript(words: string[]): string | null {
  const program = basename(words[0] ?? '');
  if (program === 'eval') return words.slice(1).map(literal).join(' ');
  if (!SHELLS.has(program)) return null;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') return null;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(word)) return words[i + 1] === undefined ? null : literal(words[i + 1]!);
    if (!word.startsWith('-') && !word.startsWith('+')) return null;
  }
  return null;
}

function wordOf(token: ParseEntry): string | null {
  if (typeof token === 'string') return token;
  if ('op' in token && token.op === 'glob') return (token as { pattern: string }).pattern;
  return null;
}

/** Whether a shell runs the script it reads on stdin (`bash`, `sh -s`; not `bash -c …` nor `bash script.sh`). */
function shellReadsStdin(words: string[]): boolean {
  if (!SHELLS.has(basename(words[0] ?? ''))) return false;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (/^-[a-zA-Z]*s/.test(word)) return true;
    if (/^-[a-zA-Z]*c/.test(word) || (!word.startsWith('-') && !word.startsWith('+'))) return false;
    if (word === '-o' || word === '+o' || word === '-O' || word === '+O') i++;
  }
  return true;
}

/** Variables assigned earlier in the line: a value, or null when it cannot be told (assigned twice, read, a loop). */
export type Variables = Map<string, string | null>;

/** Commands that assign the `NAME=value` words they are given. */
const DECLARERS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);
const PARAMETER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * A word with the known variables substituted. A word that is one variable alone is split at
 * whitespace, as the shell splits an unquoted expansion (a quoted one is not split: reading it
 * split can only add words). A value's quoted glob characters become globs: `X='*'; rm -rf $X`
 * globs, and the guard cannot tell `$X` from `"$X"`.
 */
function substitute(word: string, variables: Variables): string[] {
  if (!word.includes('${')) return [word];
  const alone = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(word);
  const value = (name: string) => variables.get(name);
  if (alone) {
    const known = value(alone[1]!);
    return typeof known === 'string' ? known.split(/\s+/).filter((part) => part !== '') : [word];
  }
  return [word.replace(PARAMETER, (whole, name: string) => value(name) ?? whole)];
}

function assign(variables: Variables, name: string, value: string | null): void {
  // Assigned twice with different values (`X=a; … X=b`): which one a later word sees depends on
  // what ran (an `if`, a `||`), so it is unknown.
  if (variables.has(name) && variables.get(name) !== value) variables.set(name, null);
  else variables.set(name, value);
}

/** What an assignment-only command, `export`/`declare`/`local`/`readonly`, `unset`, `read` or a `for` head does to the variables. */
function track(words: string[], variables: Variables): void {
  let at = 0;
  while (at < words.length && RESERVED.has(words[at]!)) at++;
  const head = words.slice(at);
  const program = head[0];
  if (program === undefined) return;
  const setAll = (list: string[]) => {
    for (const word of list) {
      const eq = word.indexOf('=');
      if (!ASSIGNMENT.test(word)) continue;
      const value = literal(word.slice(eq + 1));
      // `T=$(mktemp -d)` or `` T=`…` ``: the output of a command, known only at run time (the `$(`
      // arrives as a `$` before an operator).
      assign(variables, word.slice(0, eq), /\$$|\$\(|`/.test(value) ? null : value);
    }
  };
  if (head.every((word) => ASSIGNMENT.test(word))) setAll(head);
  else if (DECLARERS.has(program)) setAll(head.slice(1));
  else if (program === 'unset') for (const name of head.slice(1)) variables.delete(name);
  else if (program === 'for' || program === 'select' || program === 'read' || program === 'mapfile' || program === 'readarray' || program === 'getopts') {
    for (const name of head.slice(1)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) variables.set(name, null);
  }
}

/** What `echo`/`printf` print (their words, a printf format filled in), or null for any other command. */
function printedBy(words: string[]): string | null {
  const program = basename(words[0] ?? '');
  const args = words.slice(1).map(literal);
  if (program === 'echo') return args.filter((word) => !/^-[neE]+$/.test(word)).join(' ');
  if (program !== 'printf') return null;
  const [format = '', ...rest] = args[0] === '--' ? args.slice(1) : args;
  let next = 0;
  const filled = format.replace(/%[-+ #0-9.]*[sbdiqc]/g, () => rest[next++] ?? '').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return [filled, ...rest.slice(next)].join(' ');
}

/** The words of one shell word (after `prepare`): braces expanded, `{`, `}` and `,` given back. */
function shellWords(word: string, assignment: boolean): string[] {
  return (assignment ? [word] : expandBraces(word)).map(unmarkBraces);
}

function tokenize(text: string): ParseEntry[] {
  const prepared = prepare(text);
  try {
    return parse(prepared, (name) => (name === "" ? "$" : `\${${name}}`));
  } catch {
    // shell-quote refuses a few forms prepare does not rewrite: read the words between operators.
    return prepared.split(/\s+/).filter((word) => word !== '').map((word) => (/^(?:;|&&|\|\||\||&)$/.test(word) ? { op: word } : word.replace(/["']/g, ''))) as ParseEntry[];
  }
}

/** Reserved words and wrappers taken off, in any order (`time { rm …; }`, `! sudo rm …`). */
function unwrap(words: string[]): Unwrapped {
  const out = stripWrappers(stripReserved(words), splitString);
  for (let guard = 0; guard < 8 && out.words.length > 0 && RESERVED.has(out.words[0]!); guard++) {
    const again = stripWrappers(stripReserved(out.words), splitString);
    out.words = again.words;
    out.fromInput ||= again.fromInput;
    out.rawInput ||= again.rawInput;
    out.replace = again.replace ?? out.replace;
    out.dirs.push(...again.dirs);
    out.scripts.push(...again.scripts);
  }
  if (out.words.length > 0 && RESERVED.has(out.words[0]!)) throw new TooComplex('reserved words and wrappers alternate more than 8 times');
  return out;
}

/** The words of an `env -S` string. */
function splitString(text: string): string[] {
  return tokenize(literal(text)).flatMap((token) => {
    const word = wordOf(token);
    return word === null ? [] : shellWords(word, false);
  });
}

interface Nested {
  script: string;
  elsewhere: boolean;
  variables: Variables;
}

/** Every simple command the line runs, in order (substitutions and `-c` scripts after their line). */
export function splitCommands(text: string, depth = 0, elsewhere = false, inherited: Variables = new Map()): SimpleCommand[] {
  if (depth > MAX_DEPTH) throw new TooComplex(`commands nested more than ${MAX_DEPTH} deep (bash -c, eval, $( … ), backticks)`);
  const { text: line, bodies } = takeHeredocs(text);
  const tokens = tokenize(line);
  const variables: Variables = new Map(inherited);
  const out: SimpleCommand[] = [];
  let words: string[] = [];
  let writes: string[] = [];
  let stdin: string[] = [];
  /** What the command before this one printed into the pipe, when it only prints text (echo, printf). */
  let piped: string[] = [];
  /** The next command is the first of a `$( … )` whose output the shell runs as a command. */
  let outputRuns = false;
  /** What such a substitution printed, waiting for the words that follow it. */
  let printedRuns: string | null = null;
  const nested: Nested[] = [];
  const nest = (script: string, where: boolean, replace: string | null) => {
    // The string xargs -I or find -exec replaces with what they read: a path the guard cannot place.
    const text = replace !== null && replace !== '' ? script.split(replace).join(`\${__INPUT}`) : script;
    nested.push({ script: text, elsewhere: where, variables: new Map(variables) });
  };
  type Simple = { writes: string[]; stdin: string[]; then: string | null; fromInput: boolean; rawInput?: boolean; elsewhere: boolean; dirs: string[] };
  const emit = (raw: string[], simple: Simple, level: number, replace: string | null) => {
    const unwrapped = unwrap(raw);
    const where = simple.elsewhere;
    const into = replace ?? unwrapped.replace;
    for (const script of unwrapped.scripts) nest(script, where, into);
    const marked = unwrapped.words;
    if (marked.length === 0) {
      if (simple.writes.length > 0) out.push({ ...simple, words: [], marked: [], dirs: [...simple.dirs, ...unwrapped.dirs] });
      return;
    }
    const command: SimpleCommand = { ...simple, words: marked.map(literal), marked, dirs: [...simple.dirs, ...unwrapped.dirs], fromInput: simple.fromInput || unwrapped.fromInput, rawInput: simple.rawInput === true || unwrapped.rawInput };
    out.push(command);
    const script = innerScript(marked);
    if (script !== null) nest(script, where, into);
    // A substitution (or backticks) as the program: what it prints is run as a command, with the
    // words after it as arguments.
    const program = command.words[0]!;
    if (program.startsWith('$(') || program.startsWith('`')) {
      // Unquoted backticks arrive split into words: the span ends at the word ending in one.
      const end = program.startsWith('`') ? command.words.findIndex((word, i) => word.endsWith('`') && (i > 0 || word.length > 1)) : 0;
      const last = end === -1 ? command.words.length - 1 : end;
      const printed = printedByScript(substitutions(command.words.slice(0, last + 1).join(' '))[0] ?? '');
      if (printed !== null) nest(runLine(printed, marked.slice(last + 1)), where, into);
    }
    // A shell reading its script from stdin runs what is piped or given to it there.
    if (shellReadsStdin(command.words)) for (const text of command.stdin) nest(text, where, into);
    const inner = wrappedCommand(marked);
    if (inner !== null && level >= MAX_DEPTH) throw new TooComplex(`commands wrapped more than ${MAX_DEPTH} deep (ssh, docker exec, find -exec, …)`);
    if (inner !== null && 'script' in inner) nest(inner.script, true, into);
    else if (inner !== null) emit(inner.words, { ...command, writes: [], fromInput: inner.fromInput, elsewhere: command.elsewhere || basename(command.words[0]!) !== 'find' }, level + 1, inner.replace ?? into);
  };
  /** Inside a `case`: the words before the next `)` (or `|`) are a pattern, not a command. */
  let pattern = false;
  const finish = (then: string | null) => {
    if (pattern && words.length > 0 && words[0] !== 'esac') {
      // `a)`, `a|b)`, `(a)` after `case WORD in` or `;;`: a pattern.
      if (then === ')' || then === '|') {
        pattern = then === '|';
        words = [];
      } else pattern = false;
    } else if (pattern && words[0] === 'esac') pattern = false;
    // `case WORD in [PATTERN)]`: what follows up to `)` is a pattern.
    if (isCaseHead(words)) pattern = then !== ')';
    if (then !== null && CASE_ENDS.has(then)) pattern = true;
    const expanded = words.flatMap((word) => substitute(word, variables));
    track(expanded, variables);
    const printed = printedBy(unwrap(expanded).words);
    // The words after `$( … )` (up to the command's end) are the arguments of what it printed.
    if (printedRuns !== null) {
      nest(runLine(printedRuns, then === '(' ? [] : expanded), elsewhere, null);
      printedRuns = null;
    }
    if (outputRuns && then !== '(') {
      if (printed !== null) {
        if (then === ')') printedRuns = printed;
        else nest(printed, elsewhere, null);
      }
      outputRuns = false;
    }
    if (expanded.length > 0 || writes.length > 0) emit(expanded, { writes, stdin: [...stdin, ...piped], then, fromInput: false, elsewhere, dirs: [] }, 0, null);
    piped = then === '|' || then === '|&' ? [printed ?? ''] : [];
    words = [];
    writes = [];
    stdin = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const word = wordOf(token);
    if (word !== null) {
      // `NAME=value` before the program is an assignment: no brace expansion (bash does none there).
      words.push(...shellWords(word, ASSIGNMENT.test(word) && words.every((before) => ASSIGNMENT.test(before) || RESERVED.has(before))));
      continue;
    }
    if (typeof token === 'string' || 'comment' in token) continue;
    const op = (token as { op: string }).op;
    if (WRITE_REDIRECTS.has(op) || READ_REDIRECTS.has(op)) {
      // `2>` arrives as the word "2" then ">": the digit is a file descriptor, not an argument.
      if (/^\d+$/.test(words[words.length - 1] ?? '') && words.length > 1) words.pop();
      const target = tokens[i + 1] !== undefined ? wordOf(tokens[i + 1]!) : null;
      if (HEREDOC.has(op)) stdin.push(bodies.shift() ?? '');
      if (target !== null) {
        i++;
        if (WRITE_REDIRECTS.has(op) && !/^\d+$/.test(target) && target !== '-') writes.push(literal(unmarkBraces(target)));
        if (op === '<<<') stdin.push(literal(target));
      }
      continue;
    }
    const head = words[0] === 'function' ? words.slice(1) : words;
    if (op === '(' && head.length === 1 && FUNCTION_NAME.test(head[0]!) && typeof tokens[i + 1] === 'object' && (tokens[i + 1] as { op?: string }).op === ')') {
      // `name() { …; }`: a function head, not a command (its body is checked where it stands).
      words = [];
      i++;
      continue;
    }
    if (op === '(' && words[words.length - 1] === '$') {
      // `$(` : the shell runs its output when it stands as the program, or is what eval / sh -c run.
      const before = unwrap(words.slice(0, -1)).words;
      outputRuns = before.length === 0 || (before.length === 1 && basename(before[0]!) === 'eval');
    }
    if (SEPARATORS.has(op)) finish(op);
  }
  finish(null);
  for (const script of substitutions(text)) out.push(...splitCommands(script, depth + 1, elsewhere, variables));
  for (const inner of nested) out.push(...splitCommands(inner.script, depth + 1, inner.elsewhere, inner.variables));
  return out;
}

/** A command line: printed text run as a command, then (marked) words as its arguments. */
function runLine(printed: string, args: string[]): string {
  return [printed, ...args.map(requote)].join(' ');
}

/** What a substitution's script prints, when it is one `echo`/`printf`; null otherwise (its output is not known). */
function printedByScript(script: string): string | null {
  const words: string[] = [];
  for (const token of tokenize(script)) {
    const word = wordOf(token);
    if (word === null) {
      if (typeof token === 'object' && 'op' in token) break;
      continue;
    }
    words.push(...shellWords(word, false));
  }
  return printedBy(words);
}

/** A command as one line, whitespace normalised: what a denial names and an approval matches. */
export function normaliseCommand(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}
