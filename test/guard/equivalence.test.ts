/**
 * Rewrites the shell treats as the same command get the same decision from the guard (properties):
 * a word in an equivalent brace form, a wrapper in front, the command as the string a wrapper runs,
 * a value put in a variable earlier in the line. Pure: decideBash with a fixed context.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { decideBash, type GuardContext } from '../../src/guard/rules.js';

const context: GuardContext = {
  root: '/srv/project',
  cwd: '/srv/project',
  home: '/home/dev',
  deny: [...DEFAULT_CONFIG.guard.deny],
  protectedBranches: DEFAULT_CONFIG.guard.protected_branches,
  currentBranch: () => 'feature-login',
  remoteDefaultBranch: (remote) => (remote === 'origin' ? 'trunk' : null),
  gitConfig: () => new Map(),
};

/** Commands as words (no quotes, no shell syntax in a word), destructive and harmless. */
const COMMANDS: string[][] = [
  ['rm', '-rf', '~'],
  ['rm', '-r', '/tmp/cache'],
  ['rm', '-rf', './build'],
  ['rm', '-rf', 'dist', 'node_modules'],
  ['rm', 'notes.txt'],
  ['git', 'push', '-f', 'origin', 'main'],
  ['git', 'push', '--force', 'origin', 'feature-login'],
  ['git', 'push', 'origin', 'main'],
  ['find', '~', '-delete'],
  ['find', '.', '-name', 'x.tmp', '-delete'],
  ['find', '..', '-name', 'x', '-delete'],
  ['dropdb', 'app'],
  ['npm', 'test'],
];

const decision = (line: string) => {
  const result = decideBash(line, context);
  return result.decision === 'deny' ? result.rule : 'allow';
};

const command = fc.constantFrom(...COMMANDS);

describe('equivalent shell forms get the same decision', () => {
  it('the table of commands has destructive and harmless ones', () => {
    const decisions = COMMANDS.map((words) => decision(words.join(' ')));
    expect(decisions.filter((d) => d === 'allow').length).toBeGreaterThanOrEqual(5);
    expect(decisions.filter((d) => d !== 'allow').length).toBeGreaterThanOrEqual(5);
  });

  it('an argument rewritten as an equivalent brace form (w → p{s,s}: the same argument twice) keeps the decision (property)', () => {
    fc.assert(
      fc.property(command, fc.nat(), fc.nat(), (words, at, cut) => {
        const i = 1 + (at % (words.length - 1));
        const word = words[i]!;
        const k = cut % (word.length + 1);
        const rewritten = words.map((w, j) => (j === i ? `${word.slice(0, k)}{${word.slice(k)},${word.slice(k)}}` : w));
        expect(decision(rewritten.join(' '))).toBe(decision(words.join(' ')));
      }),
      { numRuns: 400 },
    );
  });

  const PREFIXES = ['sudo', 'sudo -u deploy', 'doas', 'env', 'env -i PATH=/usr/bin', 'env -u LANG', 'nohup', 'nice -n 5', 'ionice -c 3', 'chrt -f 10', 'taskset 0x3', 'timeout 10', 'timeout -s KILL 5m', 'exec -a name', 'setsid -f', 'flock /tmp/lock', 'flock -w 5 /tmp/lock', 'busybox', 'strace -f -o /tmp/trace', 'ltrace -o /tmp/trace', 'chroot /', 'stdbuf -oL', 'command', 'time -p', 'X=1', 'runuser -u deploy --', 'env -C .', 'sudo -D .', 'watch -x', 'setsid'];

  it('any command behind any chain of supported wrappers gets the decision of the bare command (property)', () => {
    fc.assert(
      fc.property(command, fc.array(fc.constantFrom(...PREFIXES), { minLength: 1, maxLength: 3 }), (words, prefixes) => {
        expect(decision(`${prefixes.join(' ')} ${words.join(' ')}`)).toBe(decision(words.join(' ')));
      }),
      { numRuns: 400 },
    );
  });

  const STRING_RUNNERS = [(c: string) => `su -c '${c}'`, (c: string) => `su - root -c '${c}'`, (c: string) => `flock /tmp/lock -c '${c}'`, (c: string) => `env -S '${c}'`, (c: string) => `bash -c '${c}'`, (c: string) => `sudo sh -c '${c}'`, (c: string) => `watch ${c}`];

  it('a command given as the string su -c / flock -c / env -S / sh -c / watch run gets the decision of the command (property)', () => {
    fc.assert(
      fc.property(command, fc.constantFrom(...STRING_RUNNERS), (words, run) => {
        expect(decision(run(words.join(' ')))).toBe(decision(words.join(' ')));
      }),
      { numRuns: 200 },
    );
  });

  it('a program printed by a substitution ($(echo P) ARGS, `echo P` ARGS, eval "$(printf …)") gets the decision of P ARGS (property)', () => {
    const forms = [(p: string, a: string) => `$(echo ${p}) ${a}`, (p: string, a: string) => `\`echo ${p}\` ${a}`, (p: string, a: string) => `"$(printf '%s' ${p})" ${a}`, (p: string, a: string) => `eval "$(echo ${p} ${a})"`, (p: string, a: string) => `bash -c "$(echo ${p} ${a})"`];
    fc.assert(
      fc.property(command, fc.constantFrom(...forms), (words, form) => {
        expect(decision(form(words[0]!, words.slice(1).join(' ')))).toBe(decision(words.join(' ')));
      }),
      { numRuns: 200 },
    );
  });

  it('a word put in a variable earlier in the line (V=word; … $V …) keeps the decision (property)', () => {
    fc.assert(
      fc.property(command, fc.nat(), fc.constantFrom('; ', ' && ', '\n'), fc.boolean(), (words, at, sep, exported) => {
        const i = 1 + (at % (words.length - 1)); // an argument, not the program
        const line = `${exported ? 'export ' : ''}V=${words[i]}${sep}${words.map((w, j) => (j === i ? '$V' : w)).join(' ')}`;
        expect(decision(line)).toBe(decision(words.join(' ')));
      }),
      { numRuns: 300 },
    );
  });
});
