/**
 * Must-show (issue 12): the hostile-repository suite. For each hostile repository (every content
 * attack in one, each layout attack alone), every cos command runs once as a child process of
 * dist/cli.js, with HOME set to a temp folder holding the user's secrets and global files. Then:
 * - every command ended within its time bound, with exit 0–5, and on exit 1 with one sentence
 *   on stderr; no stack trace, no "unexpected error", no secret in its output;
 * - not one byte outside the repository changed (HOME hashed before and after; the declared
 *   local agent directory's roles/ and skills/ excepted: cos sync may write there);
 * - no secret's content appears anywhere inside the repository.
 * Plus the attacks' own outcomes: which command refuses, in which words.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTACKS, filesContaining, hashTree, hostileHome, hostileRepo, runBounded, type Attack, type Bounded } from './hostile-repo.js';

const TIME_BOUND_MS = 60_000;

/** Every command with arguments that reach its work (commands not listed here run with --json alone). */
function commands(repo: string): Array<{ args: string[]; input?: string }> {
  const hook = (event: string) => ({ args: ['hook', event], input: JSON.stringify({ session_id: 'abc', cwd: repo, hook_event_name: event, tool_name: 'Bash', tool_input: { command: 'cos post --sprint s --agent a --status IN_PROGRESS' } }) });
  const d = ['--dir', repo];
  return [
    { args: ['--help'] },
    { args: ['init', ...d] },
    { args: ['post', ...d, '--sprint', 's', '--agent', 'a', '--status', 'IN_PROGRESS'] },
    { args: ['post', ...d, '--sprint', 's', '--agent', 'b', '--status', 'IN_PROGRESS'] },
    { args: ['post', ...d, '--sprint', 's', '--agent', 'c', '--status', 'IN_PROGRESS'] },
    { args: ['heartbeat', ...d, '--sprint', 's', '--agent', 'a'] },
    { args: ['status', ...d] },
    { args: ['status', ...d, '--json'] },
    { args: ['scan', ...d, '--json'] },
    { args: ['health', ...d] },
    { args: ['brief', ...d] },
    { args: ['dispatch', ...d, 'developer', 'fresh-sprint'] },
    { args: ['dispatch', ...d, 'evil', 'other-sprint'] },
    { args: ['archive', ...d, '--dry-run'] },
    { args: ['archive', ...d] },
    { args: ['review', ...d, '--since', '7d'] },
    { args: ['notion', 'check', ...d] },
    { args: ['notion', 'setup', ...d] },
    { args: ['notion', 'sync', ...d, '--dry-run'] },
    { args: ['notion', 'sync', ...d] },
    { args: ['watch', ...d, '--once'] },
    { args: ['sync', ...d] },
    { args: ['sync', ...d, '--pull'] },
    { args: ['cleanup', ...d] },
    { args: ['cleanup', ...d, '--apply'] },
    { args: ['setup', 'claude', ...d] },
    { args: ['setup', 'claude', ...d, '--remove'] },
    { args: ['setup', 'agents-md', ...d] },
    hook('session-start'),
    hook('post-tool-use'),
    hook('stop'),
    { args: ['mcp', ...d], input: mcpSession() },
    // A server runs until stopped: its snapshot reads everything the page would.
    { args: ['board', ...d, '--out', join(repo, 'board-snapshot.html')] },
  ];
}

/** An MCP client trying to post files from outside the repository, and reading the resources. */
function mcpSession(): string {
  const post = (id: number, body_file: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'post', arguments: { sprint: 'mcp-sprint', agent: 'mcp', status: 'IN_PROGRESS', body_file } } });
  return [
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'hostile', version: '1' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    post(10, '/etc/hostname'),
    post(11, '../../../../../../etc/passwd'),
    post(12, 'notes/link.md'),
    post(13, 'notes/outside/secret.txt'),
    post(14, 'notes/../../x'),
    post(15, 'notes/ok.md'),
    { jsonrpc: '2.0', id: 20, method: 'resources/read', params: { uri: 'cos://runbook' } },
    { jsonrpc: '2.0', id: 21, method: 'resources/read', params: { uri: 'cos://roles/evil' } },
    { jsonrpc: '2.0', id: 22, method: 'resources/read', params: { uri: 'cos://roles/developer' } },
  ].map((message) => JSON.stringify(message)).join('\n') + '\n';
}

/** The command names `cos --help` lists: a command added later is run too (with --json). */
async function listedCommands(env: NodeJS.ProcessEnv, cwd: string): Promise<string[]> {
  const help = await runBounded(['--help'], { cwd, env, timeoutMs: TIME_BOUND_MS });
  const names: string[] = [];
  let inCommands = false;
  for (const line of help.stdout.split('\n')) {
    if (/^Commands:/.test(line)) inCommands = true;
    else if (inCommands && /^\s{2}([a-z][a-z-]*)\s/.test(line)) names.push(/^\s{2}([a-z][a-z-]*)/.exec(line)![1]!);
    else if (inCommands && line.trim() === '') inCommands = false;
  }
  return names;
}

const STACK = /^\s+at .+[:(].*\d+:\d+\)?$/m;

interface Ran extends Bounded {
  args: string[];
}

async function attackAll(attacks: Attack[]) {
  const home = hostileHome();
  const repo = hostileRepo(home, attacks);
  // cos sync may write into the user's local agent directory, unless the repository moved it.
  const excepted = attacks.some((attack) => attack.localRoot) ? [] : [join(home.localRoot, 'roles'), join(home.localRoot, 'skills')];
  const skip = (path: string) => excepted.some((dir) => path === dir || path.startsWith(`${dir}/`));
  const before = hashTree(home.home, skip);
  const list = commands(repo);
  const covered = new Set(list.map((c) => c.args[0]!));
  for (const name of await listedCommands(home.env, repo)) if (!covered.has(name)) list.push({ args: [name, '--dir', repo, '--json'] });
  const ran: Ran[] = [];
  for (const command of list) {
    const result = await runBounded(command.args, { cwd: repo, env: home.env, input: command.input ?? '', timeoutMs: TIME_BOUND_MS });
    ran.push({ ...result, args: command.args });
  }
  return { home, repo, ran, changed: diff(before, hashTree(home.home, skip)), leaked: filesContaining(repo, home.secrets) };
}

function diff(before: Record<string, string>, after: Record<string, string>): string[] {
  const out: string[] = [];
  for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) if (before[path] !== after[path]) out.push(`${path}: ${before[path] ?? 'absent'} → ${after[path] ?? 'absent'}`);
  return out.sort();
}

/** The properties every command must keep, whatever the repository holds. */
function expectWellBehaved(ran: Ran[], secrets: string[]): void {
  const problems: string[] = [];
  for (const r of ran) {
    const what = `cos ${r.args.filter((a) => !a.startsWith('/')).join(' ')}`;
    if (r.timedOut) problems.push(`${what}: did not end within ${TIME_BOUND_MS / 1000} s`);
    if (r.code === null || r.code < 0 || r.code > 5) problems.push(`${what}: exit ${r.code}`);
    if (STACK.test(r.stderr) || STACK.test(r.stdout)) problems.push(`${what}: a stack trace: ${r.stderr.slice(0, 300)}`);
    if (/unexpected error/i.test(r.stderr)) problems.push(`${what}: ${r.stderr.trim()}`);
    if (r.code === 1 && r.args[0] !== 'mcp') {
      const lines = r.stderr.trim().split('\n').filter((line) => line.trim() !== '');
      if (lines.length !== 1) problems.push(`${what}: exit 1 with ${lines.length} lines on stderr: ${r.stderr.trim().slice(0, 400)}`);
    }
    for (const secret of secrets) if (r.stdout.includes(secret) || r.stderr.includes(secret)) problems.push(`${what}: printed a secret`);
    // NO_COLOR is set: not one control character but line breaks and tabs reaches the terminal.
    const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
    if (control.test(r.stdout) || control.test(r.stderr)) problems.push(`${what}: printed a control character: ${JSON.stringify((r.stdout + r.stderr).match(/.{0,40}[\u0000-\u0008\u000b-\u001f\u007f-\u009f].{0,40}/)?.[0])}`);
  }
  expect(problems).toEqual([]);
}

/** The run whose arguments, without `--dir <repo>`, are exactly `args`. */
const find = (ran: Ran[], ...args: string[]) =>
  ran.find((r) => {
    const rest = r.args.filter((a, i) => a !== '--dir' && r.args[i - 1] !== '--dir');
    return rest.length === args.length && args.every((a, i) => rest[i] === a);
  })!;

describe('a hostile repository cannot turn cos against its user', () => {
  it('every content attack in one repository: every command, nothing changes outside, no secret comes in', async () => {
    const content = ATTACKS.filter((attack) => !attack.layout && !attack.localRoot);
    const { home, repo, ran, changed, leaked } = await attackAll(content);
    expectWellBehaved(ran, home.secrets);
    expect(changed).toEqual([]);
    expect(leaked).toEqual([]);

    // The attacks' own outcomes.
    expect(find(ran, 'setup', 'claude').code).toBe(1);
    expect(find(ran, 'setup', 'claude').stderr).toMatch(/: \.claude\/settings\.json leads outside the repository/);
    expect(find(ran, 'setup', 'agents-md').stderr).toMatch(/: AGENTS\.md leads outside the repository/);
    expect(find(ran, 'archive').code).toBe(1);
    expect(find(ran, 'archive').stderr).toMatch(/: \.agent\/status\/archive\/done-sprint is a symbolic link leading outside the repository/);
    // A role's preflight does not count a link out as a file of the repository (nor stat through it).
    expect(find(ran, 'dispatch', 'developer', 'fresh-sprint').code).toBe(4);
    expect(find(ran, 'dispatch', 'developer', 'fresh-sprint').stderr).toMatch(/runbook\.md leads outside the repository/);
    // The repository's notify routes are not run: they were never approved on this machine.
    expect(find(ran, 'watch', '--once').stdout).toMatch(/notify: The notify routes for INFO, WARN, URGENT, BLOCKER in \.agent\/config\/coordination\.yaml are not approved on this machine/);
    expect(JSON.parse(find(ran, 'notify', '--json').stdout).routes.map((route: { approved: boolean }) => route.approved)).toEqual([false, false, false, false]);
    expect(find(ran, 'notion', 'sync').stderr).toMatch(/"token_env" is "GITHUB_TOKEN" but must name an environment variable whose name starts with NOTION_ or COS_/);
    // Three posts after the 9007199254740990 entry: each ends, with a small number.
    const posts = ran.filter((r) => r.args[0] === 'post');
    expect(posts.map((r) => r.code)).toEqual([0, 0, 0]);
    for (const post of posts) expect(Number(/current\/(\d+)-/.exec(post.stdout)?.[1])).toBeLessThan(1000);
    const scan = JSON.parse(find(ran, 'scan', '--json').stdout) as { findings: Array<{ kind: string; files: string[]; message: string }> };
    const malformed = scan.findings.filter((f) => f.kind === 'malformed').flatMap((f) => f.files.map((file) => `${file} ${f.message}`)).join('\n');
    expect(malformed).toMatch(/9007199254740990-2026-01-14T04-00-00Z-x\.md.*sequence number is larger than/);
    expect(malformed).toMatch(/999999999999-2026-01-14T04-00-00Z-x\.md.*lies more than 1,000,000 past every lower one/);
    expect(malformed).toMatch(/050-2026-01-14T04-00-00Z-z\.md.*symbolic link/);
    expect(malformed).toMatch(/052-2026-01-14T04-00-00Z-\uFFFD\uFFFD\.md.*not valid UTF-8/);
    expect(malformed).toMatch(/055-2026-01-14T04-00-00Z-f\.md.*named pipe, not a regular file/);
    expect(malformed).toMatch(/archive\/sp\uFFFD\uFFFD .*its name is not valid UTF-8, so cos cannot read the entries in it/);
    expect(find(ran, 'sync').stdout).toMatch(/skip +roles\/r\uFFFD\.md: in \.agent\/: its name is not valid UTF-8/);
    expect(malformed).toMatch(/053-2026-01-14T04-00-00Z-dev\.md.*old\.lock.*\.lock/);
    expect(scan.findings.some((f) => f.kind === 'stale' && /ghost.*heartbeat in the future/.test(f.message))).toBe(true);
    // MCP: each body_file from outside is refused in one sentence; the one inside is posted.
    const mcp = find(ran, 'mcp').stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: number; result?: { isError?: boolean; content?: Array<{ text: string }> }; error?: { message: string } });
    const answer = (id: number) => mcp.find((m) => m.id === id)!;
    for (const id of [10, 11, 12, 13, 14]) {
      expect(answer(id).result?.isError, `body_file call ${id}`).toBe(true);
      expect(answer(id).result!.content![0]!.text).toMatch(/^Invalid body_file .*(without \.\.|leads outside the repository)/);
    }
    expect(answer(15).result?.isError).toBeFalsy();
    expect(answer(20).error?.message ?? '').toMatch(/runbook\.md leads outside the repository|symbolic link/);
    expect(answer(21).error?.message ?? '').toMatch(/evil\.md.*symbolic link/);
    expect(JSON.stringify(answer(22))).toMatch(/developer/);
    expect(repo).toBeTruthy();
  }, 1_200_000);

  for (const attack of ATTACKS.filter((a) => a.localRoot)) {
    it(`${attack.name}: cos sync and cos cleanup refuse the repository's local_root; not a byte of HOME changes, no exception`, async () => {
      const { home, ran, changed, leaked } = await attackAll([attack]);
      expectWellBehaved(ran, home.secrets);
      expect(changed).toEqual([]);
      expect(leaked).toEqual([]);
      for (const args of [['sync'], ['sync', '--pull'], ['cleanup'], ['cleanup', '--apply']]) {
        const r = find(ran, ...args);
        expect(r.code, `cos ${args.join(' ')}`).toBe(1);
        expect(r.stderr).toMatch(/coordination\.yaml sets local_root to "~", which was not approved on this machine/);
      }
    }, 1_200_000);
  }

  for (const attack of ATTACKS.filter((a) => a.layout)) {
    it(`${attack.name}: every command ends with one sentence, nothing changes outside`, async () => {
      const { home, ran, changed, leaked } = await attackAll([attack]);
      expectWellBehaved(ran, home.secrets);
      expect(changed).toEqual([]);
      expect(leaked).toEqual([]);
      // The commands that read the repository refuse, in a sentence naming what leads out;
      // no command succeeds by using it (a hook does nothing and exits 0).
      for (const args of [['status'], ['scan', '--json'], ['post'], ['archive'], ['watch', '--once'], ['brief'], ['dispatch']]) {
        const r = ran.find((run) => args.every((a) => run.args.includes(a)))!;
        expect(r.code, `cos ${r.args.slice(0, 2).join(' ')}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toMatch(attack.names!);
      }
      for (const r of ran) if (r.args[0] === 'hook') expect(r.code).toBe(0);
    }, 1_200_000);
  }
});
