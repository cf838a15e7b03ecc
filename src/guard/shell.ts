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
 * - shell reserved words and grouping at the start of a simple command (`if`, `then`, `do`, `while`,
 *   `{`, `!`, `coproc`, `function NAME`, ...) are taken off, so `if true; then rm -rf ~; fi` runs
 *   `true` and `rm -rf ~`; a `for NAME in WORDS` / `select` head, a `case WORD in` head, the case
 *   patterns (`a|b)`) and a `name()` function head are not commands;
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
  /**
   * Run somewhere else — in a container (`docker exec`, `kubectl exec`, ...) or on another host
   * (`ssh HOST CMD`): its paths are not this machine's, but what it does (drop a database) is.
   */
  elsewhere: boolean;
}

/** How deep `bash -c "bash -c '…'"` and `$( $( … ) )` are followed. */
const MAX_DEPTH = 4;

const SEPARATORS = new Set([';', '&&', '||', '|', '|&', '&', ';;', '(', ')', '<(', '>(']);
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

/**
 * Wrappers that run the rest of their words as a command, taken off: the command they run, and
 * whether it reads some of its arguments from input (`xargs`).
 */
function stripWrappers(words: string[]): { words: string[]; fromInput: boolean } {
  let rest = words;
  let fromInput = false;
  for (let guard = 0; guard < 16 && rest.length > 0; guard++) {
    rest = stripReserved(rest);
    while (rest.length > 0 && ASSIGNMENT.test(rest[0]!)) rest = rest.slice(1);
    const program = basename(rest[0] ?? '');
    if (program === 'sudo' || program === 'doas') rest = skipOptions(rest.slice(1), new Set(['-u', '-g', '-p', '-C', '-h', '-U', '-r', '-t', '-D']));
    else if (program === 'env') {
      rest = skipOptions(rest.slice(1), new Set(['-u', '-C', '-S', '--unset', '--chdir']));
      while (rest.length > 0 && ASSIGNMENT.test(rest[0]!)) rest = rest.slice(1);
    } else if (program === 'nohup' || program === 'time' || program === 'command' || program === 'exec' || program === 'builtin' || program === 'stdbuf' || program === 'unbuffer' || program === 'chronic' || program === 'caffeinate') rest = skipOptions(rest.slice(1), new Set());
    else if (program === 'nice' || program === 'ionice' || program === 'chrt' || program === 'taskset') rest = skipOptions(rest.slice(1), new Set(['-n', '-c', '-p']));
    else if (program === 'timeout') {
      rest = skipOptions(rest.slice(1), new Set(['-s', '-k', '--signal', '--kill-after']));
      rest = rest.slice(1); // the duration
    } else if (program === 'xargs' || program === 'parallel') {
      rest = skipOptions(rest.slice(1), new Set(['-I', '-i', '-n', '-P', '-L', '-l', '-d', '-E', '-e', '-s', '-a', '-j', '--jobs', '--max-args', '--max-procs', '--delimiter', '--arg-file', '--replace', '--max-lines']));
      fromInput = true;
    } else break;
  }
  return { words: rest, fromInput };
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
function wrappedCommand(words: string[]): { words: string[]; fromInput: boolean } | { script: string } | null {
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
      return { words: words.slice(at + 1, end === -1 ? undefined : end), fromInput: true };
    }
  } else if (program === 'ssh') {
    const after = skipOptions(words.slice(1), SSH_WITH_VALUE).slice(1); // the host
    return after.length > 0 ? { script: after.join(' ') } : null;
  }
  return rest !== null && rest.length > 0 ? { words: rest, fromInput: false } : null;
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

/** Every simple command the line runs, in order (substitutions and `-c` scripts after their line). */
export function splitCommands(text: string, depth = 0, elsewhere = false): SimpleCommand[] {
  if (depth > MAX_DEPTH) return [];
  const { text: line, bodies } = takeHeredocs(text);
  const tokens = parse(newlinesAsSeparators(line), (name) => `$${name}`);
  const out: SimpleCommand[] = [];
  let words: string[] = [];
  let writes: string[] = [];
  let stdin: string[] = [];
  /** What the command before this one printed into the pipe, when it only prints text (echo, printf). */
  let piped: string[] = [];
  const nested: Array<{ script: string; elsewhere: boolean }> = [];
  const emit = (raw: string[], simple: { writes: string[]; stdin: string[]; then: string | null; fromInput: boolean; elsewhere: boolean }, level: number) => {
    const stripped = stripWrappers(raw);
    if (stripped.words.length === 0) {
      if (simple.writes.length > 0) out.push({ ...simple, words: [] });
      return;
    }
    const command: SimpleCommand = { ...simple, words: stripped.words, fromInput: simple.fromInput || stripped.fromInput };
    out.push(command);
    const script = innerScript(command.words);
    if (script !== null) nested.push({ script, elsewhere: command.elsewhere });
    // A shell reading its script from stdin runs what is piped or given to it there.
    if (shellReadsStdin(command.words)) for (const text of command.stdin) nested.push({ script: text, elsewhere: command.elsewhere });
    const inner = level < MAX_DEPTH ? wrappedCommand(command.words) : null;
    if (inner !== null && 'script' in inner) nested.push({ script: inner.script, elsewhere: true });
    else if (inner !== null) emit(inner.words, { ...command, writes: [], fromInput: inner.fromInput, elsewhere: command.elsewhere || basename(command.words[0]!) !== 'find' }, level + 1);
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
    if (then === ';;') pattern = true;
    const printer = basename(stripWrappers(words).words[0] ?? '');
    const printed = printer === 'echo' || printer === 'printf' ? stripWrappers(words).words.slice(1) : [];
    if (words.length > 0 || writes.length > 0) emit(words, { writes, stdin: [...stdin, ...piped], then, fromInput: false, elsewhere }, 0);
    piped = then === '|' || then === '|&' ? [printed.filter((word) => !/^-[a-zA-Z]+$/.test(word)).join(' ')] : [];
    words = [];
    writes = [];
    stdin = [];
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
      if (HEREDOC.has(op)) stdin.push(bodies.shift() ?? '');
      if (target !== null) {
        i++;
        if (WRITE_REDIRECTS.has(op) && !/^\d+$/.test(target) && target !== '-') writes.push(target);
        if (op === '<<<') stdin.push(target);
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
    if (SEPARATORS.has(op)) finish(op);
  }
  finish(null);
  for (const script of substitutions(text)) out.push(...splitCommands(script, depth + 1, elsewhere));
  for (const inner of nested) out.push(...splitCommands(inner.script, depth + 1, inner.elsewhere));
  return out;
}

/** A command as one line, whitespace normalised: what a denial names and an approval matches. */
export function normaliseCommand(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}
