/**
 * Hooks in a linked worktree nested inside the main checkout (Claude Code's `.claude/worktrees/<x>`),
 * with $CLAUDE_PROJECT_DIR naming the main checkout: the hook acts on the worktree's own `.agent/`,
 * and in a worktree without `.agent/` it does nothing — never on the main checkout's.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cos } from '../helpers/cli.js';
import { git, testdir } from '../helpers/tmp.js';
import { hook } from './run-hook.js';

function fixture(name: string, cwd: string, change: (input: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixtures hold a literal ${CWD} placeholder
  const text = readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8').replaceAll('${CWD}', cwd);
  const input = JSON.parse(text) as Record<string, unknown>;
  change(input);
  return input;
}

const notes = (root: string) => {
  const current = join(root, '.agent/status/current');
  return existsSync(current) ? readdirSync(current).filter((name) => name.endsWith('.md') && /status: NOTE/.test(readFileSync(join(current, name), 'utf8'))) : [];
};

/** A main checkout with `cos init` committed, and two worktrees nested in it: one from after the init, one from before. */
async function nested() {
  const main = testdir();
  git(main, 'init', '-q', '-b', 'main');
  git(main, 'config', 'user.name', 'cos test');
  git(main, 'config', 'user.email', 'cos-test@example.invalid');
  git(main, 'config', 'commit.gpgsign', 'false');
  git(main, 'commit', '-q', '--allow-empty', '-m', 'before cos');
  expect((await cos(['init', '--dir', main])).code).toBe(0);
  git(main, 'add', '-A');
  git(main, 'commit', '-q', '-m', 'cos init');
  const withAgent = join(main, '.claude/worktrees/feature');
  const without = join(main, '.claude/worktrees/old');
  git(main, 'worktree', 'add', '-q', withAgent, '-b', 'feature');
  git(main, 'worktree', 'add', '-q', without, '-b', 'old', 'HEAD~1');
  return { main, withAgent, without };
}

describe('hooks in a worktree nested in the main checkout', () => {
  it('act on the worktree’s own .agent/, even when the hook JSON has no cwd and CLAUDE_PROJECT_DIR is the main checkout', async () => {
    const { main, withAgent, without } = await nested();
    expect(existsSync(join(withAgent, '.agent/config/coordination.yaml'))).toBe(true);
    expect(existsSync(join(without, '.agent'))).toBe(false);
    const env = { CLAUDE_PROJECT_DIR: main, COS_SPRINT: 'feature', COS_AGENT: 'dev' };

    const fromWorktree = await hook('notification', fixture('notification', withAgent), { cwd: withAgent, env });
    expect(fromWorktree).toEqual({ code: 0, stdout: '', stderr: '' });
    // Claude Code's JSON always has a cwd; a hook without one falls back on its own cwd, then on CLAUDE_PROJECT_DIR.
    const noCwd = await hook('notification', fixture('notification', withAgent, (input) => {
      delete input.cwd;
      input.session_id = 'session-2';
    }), { cwd: withAgent, env: { ...env, COS_AGENT: 'dev2' } });
    expect(noCwd.code).toBe(0);
    expect(notes(withAgent)).toHaveLength(2);
    expect(notes(main)).toEqual([]);
    expect(existsSync(join(main, '.agent/state/sessions'))).toBe(false);

    // A worktree whose branch has no .agent/ is no cos project: nothing is written, here or in the main checkout.
    const bare = await hook('notification', fixture('notification', without, (input) => (input.session_id = 'session-3')), { cwd: without, env: { ...env, COS_AGENT: 'dev3' } });
    expect(bare).toEqual({ code: 0, stdout: '', stderr: '' });
    const bareSub = await hook('notification', fixture('notification', without, (input) => (input.session_id = 'session-4')), { cwd: main, env: { ...env, COS_AGENT: 'dev4' } });
    expect(bareSub.code).toBe(0);
    expect(notes(main)).toEqual([]);
    expect(existsSync(join(without, '.agent'))).toBe(false);

    // From the main checkout itself, CLAUDE_PROJECT_DIR or not, the main .agent/ is the project.
    expect((await hook('notification', fixture('notification', main, (input) => (input.session_id = 'session-5')), { cwd: main, env: { ...env, COS_AGENT: 'lead' } })).code).toBe(0);
    expect(notes(main)).toHaveLength(1);
  }, 120_000);
});
