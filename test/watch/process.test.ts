/**
 * `cos watch` as a real process (the built dist/cli.js), fed by other real processes. Nothing here
 * asserts on latency: every wait is for a line, with a generous timeout.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { postEntry } from '../../src/store/write.js';
import { agentPaths } from '../../src/store/paths.js';
import { CLI, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { gone, pidFrom, until } from './procs.js';
import { startWatcher, summaryWhere, type Line } from './watcher.js';

const config = (reconcileSeconds: number) => ({ '.agent/config/coordination.yaml': `version: 1\nwatch:\n  reconcile_seconds: ${reconcileSeconds}\n` });
const isFinding = (kind: string, sprint?: string) => (l: Line) => l.event === 'finding' && l.finding.kind === kind && (sprint === undefined || l.finding.sprint === sprint);
const isResolved = (kind: string, sprint?: string) => (l: Line) => l.event === 'resolved' && l.finding.kind === kind && (sprint === undefined || l.finding.sprint === sprint);

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build first');
});

describe('cos watch (real processes)', () => {
  it('prints a BLOCKER entry written by another process, and shuts down cleanly on SIGTERM', async () => {
    const root = testdir(config(3600));
    const watcher = startWatcher(root);
    const watching = await watcher.waitFor((l) => l.event === 'watching', 'the watching event');
    expect(watching).toMatchObject({ version: 1, pid: watcher.child.pid, polling: false });
    const post = await runCli(['post', '--dir', root, '--sprint', 'payments', '--agent', 'dev', '--status', 'BLOCKED', '--severity', 'BLOCKER', '--message', 'no database access']);
    expect(post.code).toBe(0);
    const line = await watcher.waitFor(isFinding('escalation', 'payments'), 'the escalation');
    expect(line).toMatchObject({ version: 1, event: 'finding', finding: { severity: 'BLOCKER', files: [post.stdout.trim()] } });
    expect(line.initial).toBeUndefined();
    expect(Number.isNaN(Date.parse(line.at))).toBe(false);
    expect(existsSync(join(root, '.agent/state/watch.lock'))).toBe(true);
    watcher.child.kill('SIGTERM');
    expect(await watcher.exited).toEqual({ code: 0, signal: null });
    expect(watcher.lines.at(-1)).toMatchObject({ event: 'summary', reason: 'shutdown', summary: { entries: 1 } });
    expect(existsSync(join(root, '.agent/state/watch.lock'))).toBe(false);
    expect(watcher.stderr()).toBe('');
  });

  it('reports a stale agent when its ttl runs out, with no file event and no reconcile', async () => {
    // The entry is written before the watcher starts, its ttl (1 minute) running out `margin` ms
    // later, and nothing is written afterwards. The watcher must hold it as fresh at start (no
    // finding in its `watching` summary) and then report it stale from its timer alone. On a
    // machine so loaded that starting took longer than the margin, try again with a longer one.
    for (const margin of [8_000, 20_000, 45_000]) {
      const root = testdir(config(3600));
      const entry = postEntry(root, { sprint: 'search', agent: 'quiet', status: 'IN_PROGRESS', ttl_minutes: 1, now: new Date(Date.now() - 60_000 + margin) });
      const watcher = startWatcher(root);
      const watching = await watcher.waitFor((l) => l.event === 'watching', 'the watching event');
      if (watching.summary.findings !== 0) {
        watcher.child.kill('SIGKILL');
        await watcher.exited;
        continue;
      }
      expect(watcher.lines.filter((l) => l.event === 'finding')).toEqual([]);
      const stale = await watcher.waitFor(isFinding('stale', 'search'), 'the stale finding', margin + 30_000);
      expect(stale.initial).toBeUndefined();
      expect(stale.finding.files).toEqual([entry.path]);
      // `at` has whole seconds: the timer fires just after the expiry, in the same second or later.
      expect(Date.parse(stale.at)).toBeGreaterThanOrEqual(Date.parse(entry.heartbeat) + 60_000);
      const beat = await runCli(['heartbeat', '--dir', root, '--sprint', 'search', '--agent', 'quiet']);
      expect(beat.code).toBe(0);
      await watcher.waitFor(isResolved('stale', 'search'), 'the stale resolution');
      watcher.child.kill('SIGINT');
      expect((await watcher.exited).code).toBe(0);
      return;
    }
    throw new Error('the watcher never started within 45 s of the entry being written');
  });

  it('reports a conflict made by two processes once, through heartbeats and reconciles, then its resolution', async () => {
    const root = testdir(config(1));
    const watcher = startWatcher(root);
    await watcher.waitFor((l) => l.event === 'watching', 'the watching event');
    const [a, b] = await Promise.all([
      runCli(['post', '--dir', root, '--sprint', 'checkout', '--agent', 'ann', '--status', 'IN_PROGRESS']),
      runCli(['post', '--dir', root, '--sprint', 'checkout', '--agent', 'bob', '--status', 'DISPATCHED']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const conflict = await watcher.waitFor(isFinding('conflict', 'checkout'), 'the conflict');
    expect([...conflict.finding.files].sort()).toEqual([a.stdout.trim(), b.stdout.trim()].sort());
    expect((await runCli(['heartbeat', '--dir', root, '--sprint', 'checkout', '--agent', 'ann', '--ttl', '45'])).code).toBe(0);
    // A marker on another sprint: once it is printed, the heartbeat before it has been handled.
    expect((await runCli(['post', '--dir', root, '--sprint', 'marker', '--agent', 'ops', '--status', 'BLOCKED', '--severity', 'URGENT'])).code).toBe(0);
    await watcher.waitFor(isFinding('escalation', 'marker'), 'the marker');
    // Let a few full reconciles (every second here) pass over the conflict: none may repeat it.
    await summaryWhere(watcher, (s) => s.entries === 3 && s.reconciles >= 3, '3 entries after 2 reconciles');
    // bob stops holding (a BLOCKED would still hold the sprint): FAILED holds nothing.
    expect((await runCli(['post', '--dir', root, '--sprint', 'checkout', '--agent', 'bob', '--status', 'FAILED', '--message', 'ann has it'])).code).toBe(0);
    await watcher.waitFor(isResolved('conflict', 'checkout'), 'the resolution');
    watcher.child.kill('SIGINT');
    expect((await watcher.exited).code).toBe(0);
    expect(watcher.lines.filter(isFinding('conflict'))).toHaveLength(1);
    expect(watcher.lines.filter(isResolved('conflict'))).toHaveLength(1);
  });

  it('refuses a second watcher on the same repository (exit 3, naming the first), and restarts after SIGKILL', async () => {
    const root = testdir(config(3600));
    const first = startWatcher(root);
    const watching = await first.waitFor((l) => l.event === 'watching', 'the watching event');
    const second = await runCli(['watch', '--dir', root]);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(new RegExp(`another cos watch is already running on this repository: pid ${first.child.pid} on host \\S+, started \\d{4}-`));
    expect(second.stdout).toBe('');
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(existsSync(join(root, '.agent/state/watch.lock'))).toBe(true); // left behind
    const third = startWatcher(root);
    const again = await third.waitFor((l) => l.event === 'watching', 'the restarted watcher');
    expect(again.pid).not.toBe(watching.pid);
    expect(readFileSync(join(root, '.agent/state/watch.log'), 'utf8')).toContain(`replaced an abandoned watcher lock (pid ${first.child.pid}`);
    third.child.kill('SIGINT');
    expect((await third.exited).code).toBe(0);
    expect(existsSync(join(root, '.agent/state/watch.lock'))).toBe(false);
  });

  it('accounts for every one of 1,000 entries posted within about a second by four processes', async () => {
    const root = testdir(config(3600));
    const watcher = startWatcher(root);
    await watcher.waitFor((l) => l.event === 'watching', 'the watching event');
    const write = new URL('../../dist/store/write.js', import.meta.url).href;
    const script = `import { postEntry } from ${JSON.stringify(write)};
      const [root, who] = process.argv.slice(1);
      for (let i = 0; i < 250; i++) postEntry(root, { sprint: 'burst-' + who + '-' + i, agent: 'w' + who, status: i % 10 === 0 ? 'BLOCKED' : 'COMPLETE', severity: i % 10 === 0 ? 'URGENT' : 'INFO' });`;
    const started = Date.now();
    const writers = await Promise.all(
      [1, 2, 3, 4].map((who) => spawnWriter(script, root, String(who))),
    );
    expect(writers).toEqual([0, 0, 0, 0]);
    const elapsed = Date.now() - started;
    const summary = await summaryWhere(watcher, (s) => s.entries >= 1000, '1000 entries');
    expect(summary.summary).toMatchObject({ entries: 1000, current: 1000, problems: 0, maxSeq: 1000 });
    // A summary counts the files held; the findings of the last ones are printed once the engine
    // has settled them (a few ms later), so a summary may come in between: wait for the lines.
    const escalated = () => new Set(watcher.lines.filter(isFinding('escalation')).map((l) => l.finding.sprint));
    await until(() => escalated().size >= 100, 'escalations for all 100 blocked sprints');
    expect(escalated().size).toBe(100);
    watcher.child.kill('SIGTERM');
    expect((await watcher.exited).code).toBe(0);
    expect(watcher.lines.at(-1)).toMatchObject({ event: 'summary', reason: 'shutdown', summary: { entries: 1000 } });
    console.log(`burst: 1000 entries written by 4 processes in ${elapsed} ms (including process start)`);
  });

  it('survives malformed files, a deleted and recreated current/, and an archive run moving hundreds of files', async () => {
    // Nobody verifies here: a COMPLETE finishes its sprint (verification: optional), so it archives.
    const root = testdir({ '.agent/config/coordination.yaml': `${config(3600)['.agent/config/coordination.yaml']}verification: optional\n` });
    const paths = agentPaths(root);
    for (let i = 0; i < 300; i++) postEntry(root, { sprint: `done-${i % 30}`, agent: 'dev', status: 'COMPLETE' });
    postEntry(root, { sprint: 'live', agent: 'ann', status: 'IN_PROGRESS' });
    const watcher = startWatcher(root, ['--quiet-start']);
    const watching = await watcher.waitFor((l) => l.event === 'watching', 'the watching event');
    expect(watching.summary).toMatchObject({ entries: 301, current: 301 });
    expect(watcher.lines.filter((l) => l.event === 'finding')).toEqual([]); // --quiet-start

    const archive = await runCli(['archive', '--json', '--dir', root]);
    expect(archive.code).toBe(0);
    const moved = JSON.parse(archive.stdout).moved.length as number;
    expect(moved).toBeGreaterThanOrEqual(300);
    await summaryWhere(watcher, (s) => s.archive === moved, `${moved} archived files`);
    const after = await summaryWhere(watcher, (s) => s.current === 301 - moved, 'the rest in current/');
    expect(after.summary).toMatchObject({ entries: 301, problems: 0 });

    const bad = join(paths.current, '900-2026-01-01T00-00-00Z-zed.md');
    writeFileSync(bad, '---\nsprint: [unclosed\n---\n');
    await watcher.waitFor(isFinding('malformed'), 'the malformed finding');
    expect(watcher.child.exitCode).toBeNull();

    // Two agents on one sprint, then current/ is deleted and recreated by hand.
    await runCli(['post', '--dir', root, '--sprint', 'live', '--agent', 'bob', '--status', 'IN_PROGRESS']);
    await watcher.waitFor(isFinding('conflict', 'live'), 'the conflict');
    const saved = join(root, 'saved-current');
    renameSync(paths.current, saved);
    await watcher.waitFor(isResolved('conflict', 'live'), 'the conflict resolved by the deletion');
    await watcher.waitFor(isResolved('malformed'), 'the malformed file gone');
    rmSync(saved, { recursive: true });
    mkdirSync(paths.current);
    await runCli(['post', '--dir', root, '--sprint', 'reborn', '--agent', 'cid', '--status', 'IN_PROGRESS']);
    await runCli(['post', '--dir', root, '--sprint', 'reborn', '--agent', 'dee', '--status', 'IN_PROGRESS']);
    await watcher.waitFor(isFinding('conflict', 'reborn'), 'a conflict in the recreated current/');
    watcher.child.kill('SIGTERM');
    expect((await watcher.exited).code).toBe(0);
    expect(watcher.stderr()).toBe('');
  });

  it('is not stopped by a FIFO or a symbolic link dropped into current/ (both malformed, never opened or followed)', async () => {
    const root = testdir(config(3600));
    const paths = agentPaths(root);
    const watcher = startWatcher(root);
    await watcher.waitFor((l) => l.event === 'watching', 'the watching event');
    // Opening a FIFO for reading waits for a writer: a watcher that did so would hang for good.
    const fifo = spawn('mkfifo', [join(paths.current, '050-2026-01-01T00-00-00Z-pipe.md')]);
    expect(await new Promise((resolve) => fifo.on('exit', resolve))).toBe(0);
    const outside = join(testdir(), 'elsewhere.md');
    writeFileSync(outside, 'not an entry\n');
    const link = join(paths.current, '051-2026-01-01T00-00-00Z-link.md');
    symlinkSync(outside, link);
    const fifoRel = paths.rel(join(paths.current, '050-2026-01-01T00-00-00Z-pipe.md'));
    const linked = await watcher.waitFor((l) => isFinding('malformed')(l) && l.finding.files.includes(paths.rel(link)), 'the symbolic link reported');
    expect(linked.finding.message).toMatch(/symbolic link/);
    // The FIFO is reported from its type (lstat), never opened: it is no entry, and no longer silent.
    const piped = await watcher.waitFor((l) => isFinding('malformed')(l) && l.finding.files.includes(fifoRel), 'the FIFO reported');
    expect(piped.finding.message).toMatch(/named pipe, not a regular file/);
    const post = await runCli(['post', '--dir', root, '--sprint', 'after-fifo', '--agent', 'ann', '--status', 'BLOCKED', '--severity', 'BLOCKER']);
    expect(post.code).toBe(0);
    await watcher.waitFor(isFinding('escalation', 'after-fifo'), 'the escalation posted after the FIFO');
    // A reconcile agrees with the events: the link and the FIFO stay malformed, never resolved.
    const summary = await summaryWhere(watcher, (s) => s.entries === 1, 'the entry held');
    expect(summary.summary).toMatchObject({ problems: 2 });
    watcher.child.kill('SIGINT');
    expect(await watcher.exited).toEqual({ code: 0, signal: null });
    expect(watcher.lines.filter(isResolved('malformed'))).toEqual([]);
  });

  it('sees entries written into a current/ that is a symbolic link to another folder of the repository', async () => {
    const root = testdir(config(3600));
    const paths = agentPaths(root);
    // Inside the repository: a link out is refused before the watch starts (docs/security.md).
    const elsewhere = join(root, 'shared-status');
    mkdirSync(elsewhere, { recursive: true });
    mkdirSync(paths.status, { recursive: true });
    symlinkSync(elsewhere, paths.current);
    const watcher = startWatcher(root);
    await watcher.waitFor((l) => l.event === 'watching', 'the watching event');
    const post = await runCli(['post', '--dir', root, '--sprint', 'linked', '--agent', 'ann', '--status', 'BLOCKED', '--severity', 'BLOCKER']);
    expect(post.code).toBe(0);
    const line = await watcher.waitFor(isFinding('escalation', 'linked'), 'the escalation in the linked current/');
    expect(line.finding.files).toEqual([post.stdout.trim()]);
    watcher.child.kill('SIGINT');
    expect((await watcher.exited).code).toBe(0);
  });

  it('runs --exec for new findings at or above --exec-on, and logs its failures', async () => {
    const root = testdir(config(3600));
    const out = testdir();
    const watcher = startWatcher(root, ['--exec', 'printf "%s %s\\n" "$COS_KIND" "$COS_SPRINT" >> "$OUT/ran"; cat > /dev/null; exit 4'], { OUT: out });
    await watcher.waitFor((l) => l.event === 'watching', 'the watching event');
    await runCli(['post', '--dir', root, '--sprint', 'quiet', '--agent', 'ann', '--status', 'BLOCKED', '--severity', 'WARN']);
    await runCli(['post', '--dir', root, '--sprint', 'loud', '--agent', 'bob', '--status', 'FAILED', '--severity', 'URGENT']);
    const error = await watcher.waitFor((l) => l.event === 'error' && l.source === 'exec', 'the exec failure');
    expect(error).toMatchObject({ version: 1, message: expect.stringMatching(/--exec for escalation on loud exited with 4/), finding: { kind: 'escalation', sprint: 'loud' } });
    expect(readFileSync(join(out, 'ran'), 'utf8')).toBe('escalation loud\n');
    expect(readFileSync(join(root, '.agent/state/watch.log'), 'utf8')).toMatch(/exec: --exec for escalation on loud exited with 4/);
    watcher.child.kill('SIGTERM');
    expect((await watcher.exited).code).toBe(0);
  });

  it('on SIGTERM kills a running --exec command and exits 0; stops cleanly when its reader goes away', async () => {
    const root = testdir(config(3600));
    const out = testdir();
    const watcher = startWatcher(root, ['--exec', 'echo $$ > "$OUT/pid"; exec sleep 60'], { OUT: out });
    await watcher.waitFor((l) => l.event === 'watching', 'the watching event');
    await runCli(['post', '--dir', root, '--sprint', 'pager', '--agent', 'ann', '--status', 'BLOCKED', '--severity', 'BLOCKER']);
    await watcher.waitFor(isFinding('escalation', 'pager'), 'the escalation');
    const pid = await pidFrom(join(out, 'pid'), 'the --exec command never started');
    watcher.child.kill('SIGTERM');
    expect(await watcher.exited).toEqual({ code: 0, signal: null });
    // Gone with the watcher: killed before it exited (reaping an orphan may take init a moment).
    await gone(pid, `the --exec command (pid ${pid}) still runs after the watcher exited`);

    // `cos watch --json | head -1`: the pipe closes, the next write fails, the watcher stops (exit 0).
    const piped = startWatcher(root);
    await piped.waitFor((l) => l.event === 'watching', 'the second watcher');
    piped.child.stdout!.destroy();
    await runCli(['post', '--dir', root, '--sprint', 'after-pipe', '--agent', 'bob', '--status', 'BLOCKED', '--severity', 'URGENT']);
    expect(await piped.exited).toEqual({ code: 0, signal: null });
    expect(piped.stderr()).toBe('');
    expect(existsSync(join(root, '.agent/state/watch.lock'))).toBe(false);
  });
});

function spawnWriter(script: string, root: string, who: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, root, who], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => resolve(code));
  });
}
