/**
 * A force push that names no refspec (`git push -f`) goes where git's configuration sends it:
 * push.default, the branch's upstream, remote.<name>.push. The guard reads the real git config of
 * a real clone, through the built CLI's pre-tool-use hook, and must deny exactly when git itself
 * (asked with `git push --dry-run --porcelain`) would rewrite a shared branch.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cos } from '../helpers/cli.js';
import { git, testdir } from '../helpers/tmp.js';
import { bashPreToolUse, hook } from '../hooks/run-hook.js';


/** The remote branches `git push --dry-run --porcelain ARGS` would update (null: git refuses the push). */
function gitWouldPush(clone: string, args: string[], global: string[] = []): string[] | null {
  try {
    const out = execFileSync('git', [...global, 'push', '--dry-run', '--porcelain', ...args], { cwd: clone, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return [...out.matchAll(/:refs\/heads\/(\S+)\t/g)].map((match) => match[1]!).sort();
  } catch {
    return null;
  }
}

async function cloneTracking(): Promise<string> {
  const dir = testdir();
  const remote = join(dir, 'remote.git');
  const seed = join(dir, 'seed');
  const clone = join(dir, 'clone');
  git(dir, 'init', '--bare', '-b', 'main', remote);
  git(dir, 'init', '-b', 'main', seed);
  git(seed, 'commit', '--allow-empty', '-m', 'first');
  git(seed, 'push', remote, 'HEAD:main');
  git(seed, 'push', remote, 'HEAD:feature-base');
  git(dir, 'clone', remote, clone);
  const init = await cos(['init', '--dir', clone]);
  if (init.code !== 0) throw new Error(init.stderr);
  // The agent's branch `work` tracks origin/main (git checkout -b work --track origin/main).
  git(clone, 'checkout', '-b', 'work', '--track', 'origin/main');
  git(clone, 'commit', '--allow-empty', '-m', 'work');
  return clone;
}

const ENV = { COS_SPRINT: 'pushing', COS_AGENT: 'dev' };

describe('force push with no refspec, decided from the real git config', () => {
  it('denied exactly when git would rewrite main: push.default upstream/tracking/matching/simple/current/nothing, remote.origin.push', { timeout: 120_000 }, async () => {
    const clone = await cloneTracking();
    const cases: Array<{ name: string; config: Array<[string, string]>; command: string; args: string[]; denied: boolean }> = [
      { name: 'upstream', config: [['push.default', 'upstream']], command: 'git push -f', args: ['-f'], denied: true },
      { name: 'tracking, remote named', config: [['push.default', 'tracking']], command: 'git push --force-with-lease origin', args: ['--force-with-lease', 'origin'], denied: true },
      { name: 'matching (a local main exists)', config: [['push.default', 'matching']], command: 'git push -f', args: ['-f'], denied: true },
      { name: 'simple', config: [['push.default', 'simple']], command: 'git push -f', args: ['-f'], denied: false },
      { name: 'current', config: [['push.default', 'current']], command: 'git push -f', args: ['-f'], denied: false },
      { name: 'nothing', config: [['push.default', 'nothing']], command: 'git push -f', args: ['-f'], denied: false },
      { name: 'upstream, not forced', config: [['push.default', 'upstream']], command: 'git push', args: [], denied: false },
      { name: 'remote.origin.push', config: [['push.default', 'current'], ['remote.origin.push', 'HEAD:refs/heads/main']], command: 'git push -f', args: ['-f'], denied: true },
    ];
    for (const item of cases) {
      spawnSync('git', ['config', '--unset-all', 'remote.origin.push'], { cwd: clone, stdio: 'ignore' }); // exit 5 when unset: fine
      for (const [key, value] of item.config) git(clone, 'config', key, value);
      // Ground truth: what git itself would update on the remote.
      const targets = gitWouldPush(clone, item.args);
      // A force push is denied exactly when git would push it to main; a plain push to main is no rewrite.
      const forced = item.args.some((arg) => arg.startsWith('-f') || arg.startsWith('--force'));
      expect({ case: item.name, deniedByGitTruth: forced && (targets?.includes('main') ?? false) }).toEqual({ case: item.name, deniedByGitTruth: item.denied });
      if (item.name === 'upstream, not forced') expect(targets).toEqual(['main']);
      const result = await hook('pre-tool-use', bashPreToolUse(clone, item.command, 'push-config-session', 'push'), { cwd: clone, env: ENV });
      expect(result.code).toBe(0);
      if (item.denied) {
        const reason = JSON.parse(result.stdout).hookSpecificOutput.permissionDecisionReason as string;
        expect({ case: item.name, reason }).toEqual({ case: item.name, reason: expect.stringMatching(/rule force-push\): a force push.*(?:of main on origin|every branch of origin)/) });
      } else expect({ case: item.name, stdout: result.stdout }).toEqual({ case: item.name, stdout: '' });
    }
  });

  it('git -c on the command line overrides the config files for that push, as git does', { timeout: 120_000 }, async () => {
    const clone = await cloneTracking();
    const cases: Array<{ name: string; file: string; global: string[]; denied: boolean }> = [
      { name: '-c push.default=upstream over simple', file: 'simple', global: ['-c', 'push.default=upstream'], denied: true },
      { name: '-c push.default=current over upstream', file: 'upstream', global: ['-c', 'push.default=current'], denied: false },
      { name: '-c remote.origin.push=HEAD:main', file: 'current', global: ['-c', 'remote.origin.push=HEAD:refs/heads/main'], denied: true },
      { name: '-c given twice: the last push.default wins', file: 'simple', global: ['-c', 'push.default=current', '-c', 'push.default=upstream'], denied: true },
      { name: 'an unrelated -c', file: 'simple', global: ['-c', 'color.ui=never'], denied: false },
    ];
    for (const item of cases) {
      git(clone, 'config', 'push.default', item.file);
      const targets = gitWouldPush(clone, ['-f'], item.global);
      expect({ case: item.name, deniedByGitTruth: targets?.includes('main') ?? false }).toEqual({ case: item.name, deniedByGitTruth: item.denied });
      const command = `git ${item.global.join(' ')} push -f`;
      const result = await hook('pre-tool-use', bashPreToolUse(clone, command, 'push-config-session', 'push'), { cwd: clone, env: ENV });
      expect(result.code).toBe(0);
      if (item.denied) expect({ case: item.name, reason: JSON.parse(result.stdout).hookSpecificOutput.permissionDecisionReason }).toEqual({ case: item.name, reason: expect.stringMatching(/rule force-push\): a force push.*of main on origin/) });
      else expect({ case: item.name, stdout: result.stdout }).toEqual({ case: item.name, stdout: '' });
    }
  });

  it('a branch tracking a branch of its own may be force-pushed with push.default=upstream', { timeout: 60_000 }, async () => {
    const clone = await cloneTracking();
    git(clone, 'branch', '--set-upstream-to', 'origin/feature-base');
    git(clone, 'config', 'push.default', 'upstream');
    expect(gitWouldPush(clone, ['-f'])).toEqual(['feature-base']);
    const result = await hook('pre-tool-use', bashPreToolUse(clone, 'git push -f', 'push-config-session', 'push'), { cwd: clone, env: ENV });
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });

  it('a push without -f that git config forces (a + refspec in remote.origin.push) or mirrors (remote.origin.mirror) is denied, as git --dry-run shows', { timeout: 180_000 }, async () => {
    const clone = await cloneTracking();
    // A branch whose history has left main's: pushing it onto main is a forced update.
    git(clone, 'checkout', '-b', 'side', 'origin/main');
    git(clone, 'commit', '--amend', '--allow-empty', '-m', 'rewritten');
    const cases: Array<{ name: string; file?: [string, string]; global: string[]; args: string[]; denied: boolean }> = [
      { name: '-c remote.origin.push=+HEAD:main, git push', global: ['-c', 'remote.origin.push=+HEAD:main'], args: [], denied: true },
      { name: 'remote.origin.push=+HEAD:main in .git/config, git push', file: ['remote.origin.push', '+HEAD:main'], global: [], args: [], denied: true },
      { name: 'remote.origin.push=+HEAD:main in .git/config, git push origin', file: ['remote.origin.push', '+HEAD:main'], global: [], args: ['origin'], denied: true },
      { name: '-c remote.origin.mirror=true, git push', global: ['-c', 'remote.origin.mirror=true'], args: [], denied: true },
      { name: 'remote.origin.mirror=true in .git/config, git push origin', file: ['remote.origin.mirror', 'true'], global: [], args: ['origin'], denied: true },
      { name: 'explicit +HEAD:main', global: [], args: ['origin', '+HEAD:main'], denied: true },
      { name: 'remote.origin.push=HEAD:main without + (git refuses the non-fast-forward)', file: ['remote.origin.push', 'HEAD:main'], global: [], args: [], denied: false },
      { name: 'a new branch of its own', global: [], args: ['origin', 'side'], denied: false },
      { name: '-c remote.origin.mirror=false', global: ['-c', 'remote.origin.mirror=false'], args: ['origin', 'side'], denied: false },
    ];
    for (const item of cases) {
      for (const key of ['remote.origin.push', 'remote.origin.mirror']) spawnSync('git', ['config', '--unset-all', key], { cwd: clone, stdio: 'ignore' });
      if (item.file) git(clone, 'config', item.file[0], item.file[1]);
      // Ground truth: git's own flags for each ref (+ forced update, - deleted, ! rejected, * new, space fast-forward).
      const run = spawnSync('git', [...item.global, 'push', '--dry-run', '--porcelain', ...item.args], { cwd: clone, encoding: 'utf8' });
      const rewrites = [...run.stdout.matchAll(/^([+-])\t[^\t]*:refs\/heads\/(\S+)\t/gm)].map((match) => `${match[1]}${match[2]}`);
      expect({ case: item.name, deniedByGitTruth: rewrites.some((ref) => ref === '+main' || ref === '-main' || ref.startsWith('-')) }).toEqual({ case: item.name, deniedByGitTruth: item.denied });
      const command = ['git', ...item.global, 'push', ...item.args].join(' ');
      const result = await hook('pre-tool-use', bashPreToolUse(clone, command, 'push-config-session', 'push'), { cwd: clone, env: ENV });
      expect(result.code).toBe(0);
      if (item.denied) expect({ case: item.name, reason: JSON.parse(result.stdout).hookSpecificOutput.permissionDecisionReason }).toEqual({ case: item.name, reason: expect.stringMatching(/rule force-push\): a (?:force|mirror) push.*(?:of main on origin|every branch of origin)/) });
      else expect({ case: item.name, stdout: result.stdout }).toEqual({ case: item.name, stdout: '' });
    }
    // An explicit + on the line: denied whatever git would do now (main is up to date here).
    for (const command of ['git push origin +main', 'git push origin +HEAD:main', 'git push origin +refs/heads/side:refs/heads/main']) {
      const result = await hook('pre-tool-use', bashPreToolUse(clone, command, 'push-config-session', 'push'), { cwd: clone, env: ENV });
      expect({ command, reason: JSON.parse(result.stdout || '{}').hookSpecificOutput?.permissionDecisionReason }).toEqual({ command, reason: expect.stringMatching(/rule force-push\): a force push.*of main on origin/) });
    }
  });
});
