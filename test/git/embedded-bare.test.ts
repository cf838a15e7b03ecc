/**
 * A repository can commit a folder that looks like a bare git repository (HEAD, config, objects/,
 * refs/): git run inside that folder uses it, with its committed `config` — a remote whose URL
 * runs a command (`ext::`, allowed by `protocol.allow`), hooks, fsmonitor. A cos project in such a
 * folder (or a hook whose cwd is there) must not make git use it: every git cos runs has
 * `safe.bareRepository=explicit` (docs/security.md). Real clones, real git, real processes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { git, testdir } from '../helpers/tmp.js';

function hostileClone(marker: string): { victim: string; evil: string } {
  const attacker = testdir();
  git(attacker, 'init', '-q', '-b', 'main');
  const evil = join(attacker, 'vendor', 'evil');
  mkdirSync(join(evil, 'objects'), { recursive: true });
  mkdirSync(join(evil, 'refs'), { recursive: true });
  writeFileSync(join(evil, 'objects', '.keep'), '');
  writeFileSync(join(evil, 'refs', '.keep'), '');
  writeFileSync(join(evil, 'HEAD'), 'ref: refs/heads/main\n');
  const run = `sh -c touch% ${marker.replaceAll(' ', '%20')}`;
  writeFileSync(join(evil, 'config'), `[core]\n\tbare = true\n[protocol]\n\tallow = always\n[remote "origin"]\n\turl = "ext::${run}"\n`);
  execFileSync(process.execPath, [CLI, 'init', '--dir', evil]);
  writeFileSync(join(evil, '.agent', 'config', 'coordination.yaml'), 'version: 1\ndispatch:\n  remote: origin\n');
  git(attacker, 'add', '-A');
  git(attacker, 'commit', '-q', '-m', 'vendored');
  const victim = testdir();
  git(victim, 'clone', '-q', attacker, '.');
  return { victim, evil: join(victim, 'vendor', 'evil') };
}

describe('an embedded bare repository in a clone', () => {
  it('git itself runs its remote command from inside it (the attack is real)', () => {
    const marker = join(testdir(), 'ran-by-plain-git');
    const { evil } = hostileClone(marker);
    try {
      git(evil, 'ls-remote', '--', 'origin');
    } catch {
      // The command ran; the remote then "fails".
    }
    expect(existsSync(marker)).toBe(true);
  });

  it('cos run there never lets git use it: one sentence, nothing runs', { timeout: 120_000 }, async () => {
    const marker = join(testdir(), 'ran-by-cos');
    const { evil } = hostileClone(marker);
    const runs = [
      ['dispatch', 'developer', 'some-sprint', '--dir', evil],
      ['dispatch', 'developer', 'other-sprint', '--dir', evil, '--remote', 'origin'],
      ['post', '--dir', evil, '--sprint', 's', '--agent', 'a', '--status', 'IN_PROGRESS', '--commit'],
      ['review', '--dir', evil],
      ['cleanup', '--dir', evil, '--remote', 'origin'],
      ['setup', 'git-hooks', '--dir', evil],
    ];
    for (const args of runs) {
      const result = await runCli(args, { cwd: evil });
      const lines = result.stderr.trim().split('\n').filter((line) => line.trim() !== '');
      if (result.code !== 0) expect(lines, `cos ${args.slice(0, 2).join(' ')}`).toHaveLength(1);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(marker), `cos ${args.join(' ')}`).toBe(false);
    }
    const dispatched = await runCli(['dispatch', 'developer', 'third-sprint', '--dir', evil], { cwd: evil });
    expect(dispatched.stderr).toMatch(/is a bare git repository that git will not use here/);
  });
});
