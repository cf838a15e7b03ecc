/**
 * `cos brief` in a repository of several worktrees (real git worktrees, the built CLI): entries
 * that live in another worktree than the one it runs in are marked `agent@worktree`, as in
 * `cos status`; its own are not; `--json` names the worktree of every item and of the briefing.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { worktreeRepo } from '../helpers/worktrees.js';

const run = (dir: string, ...args: string[]) => runCli(['--dir', dir, ...args], { env: { NO_COLOR: '1', COS_AGENT: '' } });

async function ok(dir: string, ...args: string[]): Promise<string> {
  const result = await run(dir, ...args);
  expect(result.code, `cos ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

describe('cos brief across worktrees', () => {
  it('marks the entries of the other worktrees, in text and JSON, from either side', async () => {
    const { main, worktrees } = await worktreeRepo(1);
    const wt1 = worktrees[0]!;
    await ok(wt1, 'post', '--sprint', 'search', '--agent', 'dev-a', '--status', 'IN_PROGRESS', '--message', 'indexing');
    await ok(main, 'post', '--sprint', 'billing', '--agent', 'dev-b', '--status', 'IN_PROGRESS', '--message', 'invoices');
    await ok(wt1, 'post', '--sprint', 'docs', '--agent', 'writer', '--status', 'COMPLETE', '--message', 'guide written');
    await ok(wt1, 'post', '--sprint', 'infra', '--agent', 'ops', '--status', 'BLOCKED', '--message', 'needs a key');

    const fromMain = await ok(main, 'brief');
    expect(fromMain).toMatch(/^- `search`: dev-a@wt1 IN_PROGRESS, heartbeat/m);
    expect(fromMain).toMatch(/^- `billing`: dev-b IN_PROGRESS, heartbeat/m);
    expect(fromMain).toMatch(/^- `docs`: writer@wt1 COMPLETE, \*\*not verified yet\*\*/m);
    expect(fromMain).toMatch(/^- `docs`: writer@wt1 COMPLETE in `/m);
    expect(fromMain).toMatch(/^- `infra`: ops@wt1 BLOCKED /m);

    const fromWt1 = await ok(wt1, 'brief');
    expect(fromWt1).toMatch(/^- `search`: dev-a IN_PROGRESS, heartbeat/m);
    expect(fromWt1).toMatch(/^- `billing`: dev-b@main IN_PROGRESS, heartbeat/m);
    expect(fromWt1).toMatch(/^- `docs`: writer COMPLETE, \*\*not verified yet\*\*/m);

    const json = JSON.parse(await ok(main, 'brief', '--json'));
    expect(json.worktree).toBe('main');
    expect(json.in_progress.map((item: { agent: string; worktree: string }) => [item.agent, item.worktree]).sort()).toEqual([
      ['dev-a', 'wt1'],
      ['dev-b', 'main'],
    ]);
    expect(json.completed[0]).toMatchObject({ agent: 'writer', worktree: 'wt1' });
    expect(json.unverified[0]).toMatchObject({ agent: 'writer', worktree: 'wt1' });
    expect(json.blocked[0]).toMatchObject({ agent: 'ops', worktree: 'wt1' });
  }, 120_000);
});
