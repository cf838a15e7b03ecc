/**
 * The shell-side gaps a review found (session 4), through the built CLI's pre-tool-use hook with
 * the PreToolUse JSON Claude Code sends: brace expansion, wrappers, values known only at run time,
 * find -delete, an xargs-run shell — denied; each harmless twin, SQL in literals and comments, a
 * quoted `*` and a case fall-through — allowed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashPreToolUse, expectGuardTable, hook, project } from '../hooks/run-hook.js';

const ENV = { COS_SPRINT: 'shell-gaps', COS_AGENT: 'dev' };

const DENIED: Array<[string, string]> = [
  ['rm -rf {~,x}', 'recursive-delete-outside-repo'],
  ['rm -r{f,} ~', 'recursive-delete-outside-repo'],
  ['git push -f origin {main,x}', 'force-push'],
  ['env -C dir rm -rf ~', 'recursive-delete-outside-repo'],
  ['env --chdir=dir rm -rf ~', 'recursive-delete-outside-repo'],
  ['env -S "rm -rf ~"', 'recursive-delete-outside-repo'],
  ['exec -a name rm -rf ~', 'recursive-delete-outside-repo'],
  ['setsid rm -rf ~', 'recursive-delete-outside-repo'],
  ['flock /tmp/l rm -rf ~', 'recursive-delete-outside-repo'],
  ["flock /tmp/l -c 'rm -rf ~'", 'recursive-delete-outside-repo'],
  ['busybox rm -rf ~', 'recursive-delete-outside-repo'],
  ["su -c 'rm -rf ~'", 'recursive-delete-outside-repo'],
  ['strace -f -o /tmp/trace rm -rf ~', 'recursive-delete-outside-repo'],
  ['chroot / rm -rf ~', 'recursive-delete-outside-repo'],
  ['git -c remote.origin.push=HEAD:main push -f', 'force-push'],
  ['X=-rf; rm $X ~', 'recursive-delete-outside-repo'],
  ['B=main; git push -f origin $B', 'force-push'],
  ['bash -c "$(echo rm -rf ~)"', 'recursive-delete-outside-repo'],
  ['find ~ -delete', 'recursive-delete-outside-repo'],
  ['find / -name x -delete', 'recursive-delete-outside-repo'],
  ['find .. -delete', 'recursive-delete-outside-repo'],
  ["xargs -I{} sh -c 'rm -rf {}'", 'recursive-delete-outside-repo'],
  // Backticks nested with escapes: bash runs the inner ones as substitutions of their own (qa-reviewer-h5).
  ['echo `echo \\`rm -rf ~\\``', 'recursive-delete-outside-repo'],
  ['echo `echo \\`echo \\\\\\`git push -f origin main\\\\\\`\\``', 'force-push'],
];

const ALLOWED = [
  'echo {~,x}',
  'env -C dir ls',
  "find . -name '*.tmp' -delete",
  'X=./build; rm -rf $X',
  'B=feature; git push -f origin $B',
  'psql -c "SELECT \'DROP TABLE x\'"',
  'psql -c "-- DROP TABLE x\nSELECT 1"',
  'rm -rf "*"',
  "rm -rf '*'",
  'case "$1" in a) echo a;& b) echo b;; esac',
  'case "$1" in a) echo a;;& rm) echo b;; esac',
  'echo `echo \\`date\\``',
  'echo `echo \\`echo rm -rf ~\\``',
];

describe('the shell-side gaps, through the built CLI', () => {
  it('each gap is denied with its rule; each harmless twin passes', { timeout: 180_000 }, async () => {
    await expectGuardTable(await project(), { denied: DENIED, allowed: ALLOWED, session: 'shell-gaps-session', env: ENV });
  });
});

/** `bash -c` (or `eval`) around `inner`, `times` deep, quoted as a shell would need. */
function nested(program: string, inner: string, times: number): string {
  let text = inner;
  for (let i = 0; i < times; i++) text = `${program} ${JSON.stringify(text)}`;
  return text;
}

describe('the guard fails closed at its limits, through the built CLI', () => {
  const TOO_COMPLEX = [
    `rm -rf ${'{1..1}'.repeat(3000)} ~`, // bash runs rm -rf 111…1 ~; the expansion recursed once per group
    'rm -rf {{1..1024},~}',
    `rm -rf {a,${'{a,'.repeat(1025)}~${'}'.repeat(1025)}}`,
    'git push -f origin {{1..1100},main}',
    nested('bash -c', 'rm -rf ~', 5),
    nested('eval', 'rm -rf ~', 5),
    `rm -rf ${'$('.repeat(10_000)}x${')'.repeat(10_000)} ~`,
    `rm -rf ~ ${'a '.repeat(500_000)}`, // 1 MB
  ];
  const HARMLESS = [
    `echo ${'hello world '.repeat(90_000)}`, // 1 MB, no word any rule looks for
    'mkdir -p src/{a,b,c}',
    'echo {1..2000}', // past the brace limit, but no rule's word: nothing to deny
    'rm -rf {1..1000}', // under the limit: read to the end (paths in the repository)
    nested('bash -c', 'rm -rf ./build', 4), // as deep as the parser follows
  ];

  it('denies a command with a rule word that it cannot read to the end, naming the limit; harmless twins pass', { timeout: 300_000 }, async () => {
    const root = await project();
    for (const command of TOO_COMPLEX) {
      const result = await hook('pre-tool-use', bashPreToolUse(root, command, 'limits-session', 'limit'), { cwd: root, env: ENV });
      const shown = command.slice(0, 60);
      expect({ shown, code: result.code }).toEqual({ shown, code: 0 });
      const output = result.stdout === '' ? null : JSON.parse(result.stdout).hookSpecificOutput;
      expect({ shown, decision: output?.permissionDecision, reason: output?.permissionDecisionReason }).toEqual({
        shown,
        decision: 'deny',
        reason: expect.stringMatching(/\(rule too-complex\): it is too complex for the guard to check: .+ Split it into simpler commands/),
      });
    }
    for (const command of HARMLESS) {
      const result = await hook('pre-tool-use', bashPreToolUse(root, command, 'limits-session', 'twin'), { cwd: root, env: ENV });
      const shown = command.slice(0, 60);
      expect({ shown, result }).toEqual({ shown, result: { code: 0, stdout: '', stderr: '' } });
    }
    // In .agent/config (Claude Code keeps cd), a bare name is a protected file: no word needed.
    const inConfig = bashPreToolUse(root, 'cp /tmp/evil.yaml {1..2000} co*.yaml', 'limits-session', 'config');
    const result = await hook('pre-tool-use', { ...inConfig, cwd: join(root, '.agent/config') }, { cwd: root, env: ENV });
    expect(JSON.parse(result.stdout || '{}').hookSpecificOutput?.permissionDecisionReason).toMatch(/\(rule too-complex\)/);
  });
});

describe('a denial names the variable it cannot place, through the built CLI', () => {
  it('T=$(mktemp -d) && rm -rf "$T" names $T, whose value is known only at run time', { timeout: 60_000 }, async () => {
    const root = await project();
    for (const [command, named] of [
      ['T=$(mktemp -d) && rm -rf "$T"', 'rm -r of $T deletes'],
      ['T=`mktemp -d`; rm -rf $T/x', 'rm -r of $T/x deletes'],
    ] as const) {
      const result = await hook('pre-tool-use', bashPreToolUse(root, command, 'variable-session', 'var'), { cwd: root, env: ENV });
      const reason = JSON.parse(result.stdout || '{}').hookSpecificOutput?.permissionDecisionReason as string | undefined;
      expect({ command, reason }).toEqual({ command, reason: expect.stringContaining(named) });
      expect(reason).toContain('($T: its value is unknown at check time)');
    }
  });
});
