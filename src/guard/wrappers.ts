/**
 * Wrappers: programs that run the rest of their words (or a string) as a command — `sudo rm -rf /`
 * is an `rm`. Each is read with its own option grammar, so an option's value (`timeout -s KILL`,
 * `exec -a NAME`, `strace -o FILE`, `flock -w 5 FILE`) is never taken for the command. Pure.
 *
 * | wrapper | what it runs |
 * |---|---|
 * | `sudo`, `doas`, `nohup`, `time`, `command`, `builtin`, `exec`, `setsid`, `nice`, `ionice`, `chrt PRIO`, `taskset MASK`, `timeout DURATION`, `stdbuf`, `unbuffer`, `chronic`, `caffeinate`, `strace`, `ltrace`, `busybox`, `toybox`, `chroot NEWROOT`, `flock FILE` | the words after its options (and positionals) |
 * | `env` | the words after its options and `NAME=value`s; `-S STRING` is split into words first; `-C DIR` runs it in DIR |
 * | `sudo -D DIR` | runs it in DIR |
 * | `flock FILE -c STRING`, `su`/`runuser -c STRING`, `watch WORDS` | the string (watch: its words joined), as a script |
 * | `runuser -u USER [--] CMD…` | the words after its options |
 * | `xargs`, `parallel` | the words after its options, with arguments read from input |
 *
 * `chroot NEWROOT` is seen through as if NEWROOT were `/`: the paths its command names are read as
 * this machine's (a seat belt errs on the side of denying).
 */
import { literal } from './marks.js';

export const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

export function basename(word: string): string {
  const at = word.lastIndexOf('/');
  return at === -1 ? word : word.slice(at + 1);
}

/** The words after leading options (`--` ends them; an option in `withValue` takes the next word). */
export function skipOptions(words: string[], withValue: ReadonlySet<string>): string[] {
  let i = 0;
  while (i < words.length && words[i]!.startsWith('-') && words[i] !== '-') {
    if (words[i] === '--') return words.slice(i + 1);
    if (withValue.has(words[i]!)) i++;
    i++;
  }
  return words.slice(i);
}

export interface Unwrapped {
  /** The command run, wrappers and assignments taken off. */
  words: string[];
  /** Some of its arguments are read from input (`xargs`, `parallel`). */
  fromInput: boolean;
  /** The string `xargs -I STRING` replaces with each input item (null: none). */
  replace: string | null;
  /** xargs reads its items otherwise than from its input at blanks (`-0`, `--null`, `-d`, `--delimiter`, `-a FILE`, `--arg-file`). */
  rawInput: boolean;
  /** Directories it is run in (`env -C`, `sudo -D`), each relative to the one before. */
  dirs: string[];
  /** Scripts a wrapper runs (`su -c`, `flock -c`, `watch`), as shell text. */
  scripts: string[];
}

interface Grammar {
  /** Options that take the next word as their value. */
  values?: readonly string[];
  /** Words after the options that are not the command (timeout's duration, chroot's new root). */
  positionals?: number;
}

const GRAMMARS: Record<string, Grammar> = {
  sudo: { values: ['-D', '--chdir', '-u', '--user', '-g', '--group', '-p', '--prompt', '-C', '--close-from', '-h', '--host', '-U', '--other-user', '-r', '--role', '-t', '--type', '-T', '--command-timeout', '-R', '--chroot'] },
  doas: { values: ['-u', '-C'] },
  nohup: {},
  time: { values: ['-f', '--format', '-o', '--output'] },
  command: {},
  builtin: {},
  exec: { values: ['-a'] },
  setsid: {},
  nice: { values: ['-n', '--adjustment'] },
  ionice: { values: ['-c', '--class', '-n', '--classdata', '-p', '--pid', '-P', '--pgid', '-u', '--uid'] },
  chrt: { values: ['-T', '--sched-runtime', '-P', '--sched-period', '-D', '--sched-deadline'], positionals: 1 },
  taskset: { positionals: 1 },
  timeout: { values: ['-s', '--signal', '-k', '--kill-after'], positionals: 1 },
  stdbuf: { values: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  unbuffer: {},
  chronic: {},
  caffeinate: { values: ['-w', '-t'] },
  strace: { values: ['-o', '--output', '-e', '-p', '--attach', '-u', '--user', '-E', '--env', '-s', '--string-limit', '-a', '--columns', '-b', '--detach-on', '-I', '--interruptible', '-O', '-S', '--summary-sort-by', '-P', '--trace-path', '-X', '--const-print-style', '-U', '--summary-columns'] },
  ltrace: { values: ['-o', '--output', '-e', '-p', '-u', '-s', '-a', '--align', '-n', '--indent', '-l', '--library', '-x', '-A', '-D', '--debug', '-F', '--config', '-w', '--where'] },
  busybox: {},
  toybox: {},
  chroot: { values: ['--userspec', '--groups'], positionals: 1 },
  // (-i, -l, -e and --replace, --max-lines, --eof take a value only attached: `-i{}`, `--eof=X`.)
  xargs: { values: ['-I', '-n', '-P', '-L', '-d', '-E', '-s', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file', '--max-chars', '--process-slot-var'] },
  parallel: { values: ['-j', '--jobs', '-I', '-n', '--max-args', '-d', '--delimiter', '-a', '--arg-file', '-S', '--sshlogin', '--joblog', '--results', '--tmpdir', '-E'] },
};

/** `xargs -I X` / `-IX` / `-i[X]` / `--replace[=X]`: the string it replaces (`{}` by default for -i). */
function replaceString(options: string[]): string | null {
  for (let i = 0; i < options.length; i++) {
    const option = options[i]!;
    if (option === '-I') return options[i + 1] ?? null;
    if (option.startsWith('-I')) return option.slice(2);
    if (option === '-i' || option === '--replace') return '{}';
    if (option.startsWith('-i')) return option.slice(2);
    if (option.startsWith('--replace=')) return option.slice('--replace='.length);
  }
  return null;
}

/**
 * Whether xargs's options make it read items otherwise than at blanks from its input: `-0`/`--null`
 * (NUL-separated), `-d`/`--delimiter`, `-a`/`--arg-file` (another file). A long option may be
 * abbreviated (getopt_long); a short cluster is read up to its first letter taking a value.
 */
function readsRaw(options: string[]): boolean {
  return options.some((option) => {
    if (option.startsWith('--')) {
      const name = option.slice(2).split('=')[0]!;
      return name.length > 0 && ['null', 'delimiter', 'arg-file'].some((full) => full.startsWith(name));
    }
    if (!/^-[^-]/.test(option)) return false;
    for (const letter of option.slice(1)) {
      if (letter === '0' || letter === 'a' || letter === 'd') return true;
      if ('IiLlnPsEe'.includes(letter)) return false;
    }
    return false;
  });
}

/** `env [OPTIONS] [NAME=value]... [COMMAND...]`: what it runs, where, and a `-S` string split into words. */
function env(words: string[], dirs: string[], split: (text: string) => string[]): string[] {
  let i = 1;
  while (i < words.length) {
    const word = words[i]!;
    if (word === '--') {
      i++;
      break;
    }
    if (word === '-' || ASSIGNMENT.test(word)) {
      i++;
      continue;
    }
    if (!word.startsWith('-')) break;
    const long = /^--(chdir|split-string|unset)(?:=(.*))?$/s.exec(word);
    const short = /^-[iv0]*([CSu])(.*)$/s.exec(word);
    const name = long ? long[1] : short ? { C: 'chdir', S: 'split-string', u: 'unset' }[short[1] as 'C' | 'S' | 'u'] : null;
    if (name === null || name === undefined) {
      i++;
      continue;
    }
    const attached = long ? long[2] : short![2] === '' ? undefined : short![2];
    const value = attached ?? words[i + 1] ?? '';
    i += attached === undefined ? 2 : 1;
    if (name === 'chdir') dirs.push(value);
    // -S: the string's words stand where it stood; env goes on reading options and assignments.
    else if (name === 'split-string') return ['env', ...split(value), ...words.slice(i)];
  }
  while (i < words.length && ASSIGNMENT.test(words[i]!)) i++;
  return words.slice(i);
}

const RUNUSER_VALUES = new Set(['-u', '--user', '-g', '--group', '-G', '--supp-group', '-s', '--shell', '-w', '--whitelist-environment', '-c', '--command', '--session-command']);

/** `su`/`runuser`: the `-c STRING` (`--command`, `--session-command`) it runs; nothing else is a command. */
function suScript(words: string[]): string | null {
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-c' || word === '--command' || word === '--session-command') return words[i + 1] ?? null;
    const long = /^--(?:session-)?command=(.*)$/s.exec(word);
    if (long) return long[1]!;
    if (/^-[a-zA-Z]*c$/.test(word) && !word.startsWith('--')) return words[i + 1] ?? null;
  }
  return null;
}

/**
 * Wrappers taken off, to the command they run. `split` turns an `env -S` string into words (the
 * caller's tokenizer); words arrive marked (guard/marks.ts) and scripts leave as shell text.
 */
export function stripWrappers(words: string[], split: (text: string) => string[]): Unwrapped {
  let rest = words;
  const out: Unwrapped = { words: rest, fromInput: false, replace: null, rawInput: false, dirs: [], scripts: [] };
  for (let guard = 0; guard < 16 && rest.length > 0; guard++) {
    while (rest.length > 0 && ASSIGNMENT.test(rest[0]!)) rest = rest.slice(1);
    const program = basename(rest[0] ?? '');
    if (program === 'env') {
      rest = env(rest, out.dirs, split);
      continue;
    }
    if (program === 'su' || program === 'runuser') {
      // `runuser -u USER [--] CMD…` runs CMD itself; otherwise what follows the user goes to a shell.
      const after = skipOptions(rest.slice(1), RUNUSER_VALUES);
      const options = rest.slice(0, rest.length - after.length);
      const direct = program === 'runuser' && options.some((word) => word === '-u' || word.startsWith('--user'));
      const script = suScript(direct ? options : rest);
      if (script !== null) out.scripts.push(literal(script));
      rest = direct && script === null ? after : [];
      if (rest.length > 0) continue;
      break;
    }
    if (program === 'watch') {
      const after = skipOptions(rest.slice(1), new Set(['-n', '--interval', '-q', '--equexit']));
      if (after.length > 0) out.scripts.push(after.map(literal).join(' '));
      rest = [];
      break;
    }
    if (program === 'flock') {
      let i = 1;
      let command = false;
      while (i < rest.length && rest[i]!.startsWith('-') && rest[i] !== '--') {
        if (['-w', '--wait', '--timeout', '-E', '--conflict-exit-code'].includes(rest[i]!)) i++;
        else if (/^-[a-zA-Z]*c$/.test(rest[i]!) && !rest[i]!.startsWith('--')) command = true;
        else if (rest[i] === '--command') command = true;
        i++;
      }
      if (rest[i] === '--') i++;
      i++; // the lock file, directory or descriptor
      if (rest[i] === '-c' || rest[i] === '--command') {
        command = true;
        i++;
      }
      if (command) {
        if (rest[i] !== undefined) out.scripts.push(literal(rest[i]!));
        rest = [];
        break;
      }
      rest = rest.slice(i);
      continue;
    }
    const grammar = GRAMMARS[program];
    if (grammar === undefined) break;
    const values = new Set(grammar.values ?? []);
    const after = skipOptions(rest.slice(1), values);
    const options = rest.slice(1, rest.length - after.length);
    if (program === 'sudo') {
      for (let i = 0; i < options.length; i++) {
        if (options[i] === '-D' || options[i] === '--chdir') out.dirs.push(options[i + 1] ?? '');
        else if (options[i]!.startsWith('--chdir=')) out.dirs.push(options[i]!.slice('--chdir='.length));
      }
    }
    if (program === 'xargs' || program === 'parallel') {
      out.fromInput = true;
      out.replace = replaceString(options) ?? out.replace;
      out.rawInput ||= program === 'xargs' && readsRaw(options);
    }
    rest = after.slice(grammar.positionals ?? 0);
  }
  out.words = rest;
  return out;
}
