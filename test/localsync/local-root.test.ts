/**
 * The local agent directory is the user's to declare (docs/security.md): a committed local_root
 * other than ~/.claude is used by cos sync and cos cleanup only once approved on this machine
 * (cos sync --allow-local-root); --target and COS_LOCAL_ROOT come from the user and need none.
 * Real git (a bare remote, the attacker's clone, the victim's), a fake HOME hashed before and
 * after, real child processes of dist/cli.js.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseLocalRoot, configuredLocalRoot, localRootHash } from '../../src/localsync/local-root.js';
import { runCli } from '../helpers/cli.js';
import { git, testdir } from '../helpers/tmp.js';
import { hashTree } from '../trust/hostile-repo.js';

const CONFIG = '.agent/config/coordination.yaml';

function setLocalRoot(repo: string, value: string): void {
  const path = join(repo, CONFIG);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/^local_root:.*$/m, `local_root: ${JSON.stringify(value)}`));
}

interface TeamRepo {
  /** The team's (or an attacker's) clone, with cos init done. */
  team: string;
  /** Commit everything in `team` and push it. */
  commit: (message: string) => void;
  /** Another machine's clone of the remote. */
  clone: () => string;
}

/** A bare remote and the team's clone of it. */
async function teamRepo(): Promise<TeamRepo> {
  const remote = testdir();
  git(remote, 'init', '-q', '--bare', '-b', 'main');
  const team = testdir();
  git(team, 'clone', '-q', remote, '.');
  expect((await runCli(['init', '--dir', team])).code).toBe(0);
  const commit = (message: string) => {
    git(team, 'add', '-A');
    git(team, '-c', 'user.name=a', '-c', 'user.email=a@example.invalid', 'commit', '-q', '-m', message);
    git(team, 'push', '-q', 'origin', 'HEAD:main');
  };
  const clone = () => {
    const dir = testdir();
    git(dir, 'clone', '-q', remote, '.');
    return dir;
  };
  return { team, commit, clone };
}

/** An attacker's repository committing `local_root: <value>`, and the victim's clone of it. */
async function victimOf(value: string): Promise<string> {
  const attacker = await teamRepo();
  setLocalRoot(attacker.team, value);
  attacker.commit('hostile local_root');
  return attacker.clone();
}

/** A team repository whose committed local_root is `agents`, a real folder inside it. */
async function inRepoLocalRoot(): Promise<TeamRepo> {
  const repo = await teamRepo();
  mkdirSync(join(repo.team, 'agents'));
  writeFileSync(join(repo.team, 'agents/.keep'), '');
  setLocalRoot(repo.team, 'agents');
  repo.commit('local_root inside the repository');
  return repo;
}

function fakeHome(): string {
  return testdir({ '.bashrc': '# bashrc\n', '.ssh/id_ed25519': 'SECRET KEY\n', '.claude/settings.json': '{}\n', 'outside/keep.txt': 'mine\n' });
}

const REFUSAL = (value: string, command: string) =>
  new RegExp(`^${command}: \\.agent/config/coordination\\.yaml sets local_root to ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, which was not approved on this machine, so ${command} will not use it as your local agent directory; approve exactly that value with cos sync --allow-local-root, or give --target DIR \\(or COS_LOCAL_ROOT=DIR\\)\\.\\n$`);

describe('local_root comes from the user, or is approved by the user', () => {
  for (const value of ['~', '~/.ssh', '/HOME/outside', '../../etc']) {
    it(`a committed local_root ${value}: sync, sync --pull, cleanup --apply refuse in one sentence; not a byte of HOME changes`, async () => {
      const home = fakeHome();
      const declared = value.replace('/HOME', home);
      const victim = await victimOf(declared);
      const before = hashTree(home);
      for (const args of [['sync'], ['sync', '--pull'], ['sync', '--dry-run'], ['cleanup'], ['cleanup', '--apply']]) {
        const run = await runCli([...args, '--dir', victim], { env: { HOME: home, COS_LOCAL_ROOT: '' } });
        expect(run.code, `cos ${args.join(' ')}`).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(REFUSAL(declared, `cos ${args[0]}`));
      }
      expect(hashTree(home)).toEqual(before);
      expect(git(victim, 'status', '--porcelain')).toBe('');
    }, 240_000);
  }

  it('cos sync --allow-local-root approves exactly that value (in the git common dir); a changed value after a pull is refused again', async () => {
    const home = fakeHome();
    const { team, commit, clone } = await teamRepo();
    setLocalRoot(team, '~/agents');
    commit('team local_root');
    const me = clone();
    const env = { HOME: home, COS_LOCAL_ROOT: '' };

    const approved = await runCli(['sync', '--allow-local-root', '--dir', me], { env });
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(/^Approved on this machine \(recorded in \.git\/cos\/notify-approved\.json\): local_root "~\/agents" of \.agent\/config\/coordination\.yaml/);
    expect(existsSync(join(home, 'agents/roles/developer.md'))).toBe(true);
    const record = JSON.parse(readFileSync(join(me, '.git/cos/notify-approved.json'), 'utf8'));
    expect(record.local_root_sha256).toEqual([localRootHash('~/agents', join(home, 'agents'))]);
    expect(git(me, 'status', '--porcelain')).toBe('');
    // Approved: the next sync, and cleanup, use it without asking.
    expect((await runCli(['sync', '--dir', me], { env })).code).toBe(0);
    expect(JSON.parse((await runCli(['cleanup', '--json', '--dir', me], { env })).stdout).local_root).toBe(join(home, 'agents'));
    // cos notify revoke forgets route approvals only.
    expect((await runCli(['notify', 'revoke', '--dir', me], { env })).code).toBe(0);
    expect((await runCli(['sync', '--dir', me], { env })).code).toBe(0);

    // The team (or an attacker) changes local_root; after the pull it waits for a new approval.
    setLocalRoot(team, '~/.ssh');
    commit('move local_root');
    git(me, 'pull', '-q', '--ff-only');
    const before = hashTree(home);
    const refused = await runCli(['sync', '--dir', me], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(REFUSAL('~/.ssh', 'cos sync'));
    expect(hashTree(home)).toEqual(before);
  }, 240_000);

  it('--target and COS_LOCAL_ROOT are the user\'s: used without approval, --target first', async () => {
    const home = fakeHome();
    const victim = await victimOf('~');
    const mine = testdir();
    const other = testdir();
    const byEnv = await runCli(['sync', '--json', '--dir', victim], { env: { HOME: home, COS_LOCAL_ROOT: mine } });
    expect(byEnv.code).toBe(0);
    expect(JSON.parse(byEnv.stdout).target).toBe(mine);
    const byFlag = await runCli(['sync', '--json', '--target', other, '--dir', victim], { env: { HOME: home, COS_LOCAL_ROOT: mine } });
    expect(JSON.parse(byFlag.stdout).target).toBe(other);
    expect(existsSync(join(home, 'roles'))).toBe(false);
  }, 240_000);

  it('an approved relative local_root that a later commit turns into a link out (to HOME) needs a new approval: nothing is written there', async () => {
    const home = fakeHome();
    const { team, commit, clone } = await inRepoLocalRoot();
    const me = clone();
    const env = { HOME: home, COS_LOCAL_ROOT: '' };
    const approved = await runCli(['sync', '--allow-local-root', '--dir', me], { env });
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`leading to ${join(realpathSync(me), 'agents')}`);

    // The attacker's commit: the same value, now a link to the victim's home.
    rmSync(join(team, 'agents'), { recursive: true });
    symlinkSync(home, join(team, 'agents'));
    commit('agents is a link now');
    // The synced copies are untracked; once they are cleaned away (git clean -fdx), the pull lands.
    git(me, 'clean', '-q', '-fdx', 'agents');
    git(me, 'pull', '-q', '--ff-only');
    const before = hashTree(home);
    const refused = await runCli(['sync', '--dir', me], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`sets local_root to "agents" (it leads to ${realpathSync(home)})`);
    expect(hashTree(home)).toEqual(before);
    expect(existsSync(join(home, 'roles'))).toBe(false);
  }, 240_000);

  it('an approved local_root inside the repository whose roles/, skills/ or todos/ a later commit turns into links out: sync, sync --pull and cleanup --apply touch nothing of HOME', async () => {
    const home = fakeHome();
    writeFileSync(join(home, 'outside/secret.txt'), 'TOPSECRET\n');
    writeFileSync(join(home, 'outside/settings.json'), '{}\n');
    const { team, commit, clone } = await inRepoLocalRoot();
    const me = clone();
    const env = { HOME: home, COS_LOCAL_ROOT: '' };
    expect((await runCli(['sync', '--allow-local-root', '--dir', me], { env })).code).toBe(0);

    // The attacker's commit: agents/ stays a real folder (the approval still matches); what is under it leads out.
    symlinkSync(join(home, '.ssh'), join(team, 'agents/roles'));
    symlinkSync(home, join(team, 'agents/skills'));
    symlinkSync(join(home, 'outside'), join(team, 'agents/todos'));
    writeFileSync(join(team, '.agent/roles/evil.md'), '# evil\n');
    mkdirSync(join(team, '.agent/skills/outside'), { recursive: true });
    writeFileSync(join(team, '.agent/skills/outside/SKILL.md'), '# a skill named like a folder of HOME\n');
    commit('links under agents/');
    const old = new Date(Date.now() - 3 * 3_600_000);
    utimesSync(join(home, 'outside/settings.json'), old, old);
    git(me, 'clean', '-q', '-fdx', 'agents');
    git(me, 'pull', '-q', '--ff-only');
    const before = hashTree(home);
    for (const args of [['sync'], ['sync', '--pull'], ['cleanup', '--apply']]) {
      const run = await runCli([...args, '--dir', me], { env });
      expect(run.stdout + run.stderr, args.join(' ')).not.toMatch(/at |TypeError/);
      expect(hashTree(home), args.join(' ')).toEqual(before);
    }
    expect(git(me, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  }, 240_000);

  it('outside git the approval lives in the user state dir, never in the folder', async () => {
    const home = fakeHome();
    const state = testdir();
    const dir = testdir();
    expect((await runCli(['init', '--dir', dir])).code).toBe(0);
    setLocalRoot(dir, '~/agents');
    const env = { HOME: home, XDG_STATE_HOME: state, COS_LOCAL_ROOT: '' };
    expect((await runCli(['sync', '--dir', dir], { env })).code).toBe(1);
    expect((await runCli(['sync', '--allow-local-root', '--dir', dir], { env })).code).toBe(0);
    expect((await runCli(['sync', '--dir', dir], { env })).code).toBe(0);
    // A copy of the folder elsewhere (an archive of it) carries no approval.
    const copy = testdir();
    expect((await runCli(['init', '--dir', copy])).code).toBe(0);
    setLocalRoot(copy, '~/agents');
    expect((await runCli(['sync', '--dir', copy], { env })).code).toBe(1);
  }, 240_000);
});

describe('chooseLocalRoot (pure)', () => {
  const env = { HOME: '/home/u' };
  const base = { root: '/repo', cwd: '/cwd', env, command: 'cos sync' };
  it('the default needs no approval, in any spelling that resolves to ~/.claude', () => {
    for (const configured of ['~/.claude', '/home/u/.claude', '~/.claude/', '~/x/../.claude']) {
      expect(chooseLocalRoot({ ...base, configured }, () => new Set())).toEqual({ path: '/home/u/.claude', from: 'default' });
    }
  });
  it('any other value is used exactly when its own hash was approved', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 1, maxLength: 30 }), (configured, approvedValue) => {
        if (['~/.claude', '/home/u/.claude'].includes(configured)) return;
        const approved = new Set([configuredLocalRoot('/repo', approvedValue, '/home/u', same).hash]);
        let used = true;
        try {
          chooseLocalRoot({ ...base, configured }, () => approved, same);
        } catch (error) {
          used = false;
          expect((error as Error).message).toContain(JSON.stringify(configured));
        }
        const isDefault = chooseLocalRootPath(configured) === '/home/u/.claude';
        expect(used).toBe(isDefault || configured === approvedValue);
      }),
    );
  });
});

/** No links in the pure tests: every path leads to itself. */
const same = (path: string) => path;

function chooseLocalRootPath(configured: string): string | null {
  try {
    return chooseLocalRoot({ ...{ root: '/repo', cwd: '/cwd', env: { HOME: '/home/u' }, command: 'x' }, configured }, () => new Set(), same).path;
  } catch {
    return null;
  }
}
