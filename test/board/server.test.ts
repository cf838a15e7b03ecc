import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { postEntry } from '../../src/store/write.js';
import { cos } from '../helpers/cli.js';
import { startWatcher } from '../watch/watcher.js';
import { fetchRaw, readEvents, startBoardProcess, teamDay, type SseEvent } from './helpers.js';

const run = promisify(execFile);
const INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** Whether a TCP connection to host:port is accepted. */
function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(3000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

describe('cos board (server)', () => {
  it('serves /api/state with the sprints of cos status --json and the findings of cos scan --json', async () => {
    const root = await teamDay();
    const board = await startBoardProcess(root);
    const response = await fetchRaw(`${board.url}api/state`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const state = JSON.parse(response.body);
    const status = JSON.parse((await cos(['status', '--json', '--dir', root])).stdout);
    const scan = JSON.parse((await cos(['scan', '--json', '--dir', root])).stdout);
    expect(state.version).toBe(1);
    expect(state.sprints).toEqual(status.sprints);
    expect(state.findings).toEqual(scan.findings);
    const ready = JSON.parse((await cos(['ready', '--json', '--dir', root])).stdout);
    expect(state.ready).toEqual(ready.ready);
    expect(state.waiting).toEqual(ready.waiting);
    expect(state.ready.map((r: { sprint: string }) => r.sprint)).toEqual(['receipts-email']);
    expect(state.waiting.map((w: { sprint: string; waiting_on: string[] }) => `${w.sprint}<${w.waiting_on.join('+')}`)).toEqual([
      'payments-api<billing',
      'checkout-ui<payments-api+receipts-email',
      'launch-review<checkout-ui',
    ]);
    expect(state.plans).toHaveLength(1);
    expect(state.plans[0].steps.map((step: { sprint: string; state: string }) => `${step.sprint}:${step.state}`)).toEqual([
      'payments-api:WAITING',
      'receipts-email:READY',
      'checkout-ui:WAITING',
      'launch-review:WAITING',
    ]);
    expect(state.sprints.map((s: { sprint: string }) => s.sprint).sort()).toEqual(
      ['auth-api', 'billing', 'checkout-ui', 'data-export', 'launch-review', 'notifications', 'onboarding-ui', 'payments-api', 'receipts-email', 'release-notes', 'search'],
    );
    expect(state.findings.map((f: { kind: string; sprint: string }) => `${f.kind}:${f.sprint}`)).toEqual(
      expect.arrayContaining(['escalation:billing', 'stale:notifications', 'unverified:onboarding-ui']),
    );
    // The timeline carries each sprint's entries with the body rendered.
    expect(state.timeline.search.map((e: { agent: string }) => e.agent)).toEqual(['carol', 'carol', 'dave']);
    expect(state.timeline.search[1].body_html).toContain('<code>41 ms</code>');
    expect(state.agents.find((a: { agent: string }) => a.agent === 'grace')).toMatchObject({ sprint: 'notifications', stale: true, ttl_minutes: 30 });
    expect(await board.stop()).toBe(0);
    // Read-only: no watcher lock, no state folder, no log.
    expect(readdirSync(join(root, '.agent'))).not.toContain('state');
  });

  it('answers only GET and HEAD; other methods are 405 with Allow', async () => {
    const board = await startBoardProcess(await teamDay());
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      for (const path of ['', 'api/state', 'events']) {
        const response = await fetchRaw(`${board.url}${path}`, { method });
        expect(response.status, `${method} /${path}`).toBe(405);
        expect(response.headers.allow).toBe('GET, HEAD');
      }
    }
    const head = await fetchRaw(board.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const page = await fetchRaw(board.url);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'sha256-[^']+'/);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await fetchRaw(`${board.url}nope`)).status).toBe(404);
    const events = await fetchRaw(`${board.url}events`, { method: 'HEAD' });
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    await board.stop();
  });

  it('by default, only loopback can connect, and only with a loopback Host header', async () => {
    const board = await startBoardProcess(await teamDay());
    expect(new URL(board.url).hostname).toBe('127.0.0.1');
    expect(await canConnect('127.0.0.1', board.port)).toBe(true);
    for (const address of externalAddresses()) expect(await canConnect(address, board.port), address).toBe(false);
    // DNS rebinding: a page of another site that resolves to 127.0.0.1 sends its own Host.
    expect((await fetchRaw(`${board.url}api/state`, { headers: { Host: `evil.example:${board.port}` } })).status).toBe(403);
    expect((await fetchRaw(`${board.url}api/state`, { headers: { Host: `localhost:${board.port}` } })).status).toBe(200);
    expect(board.stderr()).toBe('');
    await board.stop();
  });

  it('--host another address prints a warning (and then that address connects)', async () => {
    const board = await startBoardProcess(await teamDay(), ['--host', '0.0.0.0']);
    expect(board.stderr()).toMatch(/warning: listening on 0\.0\.0\.0, not on 127\.0\.0\.1: anyone who can reach this machine/);
    for (const address of externalAddresses()) expect(await canConnect(address, board.port), address).toBe(true);
    await board.stop();
  });

  it('pushes an URGENT as a finding event, and its resolution as resolved', async () => {
    const root = await teamDay();
    const board = await startBoardProcess(root);
    const stream = await readEvents(`${board.url}events`);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    await stream.until((events) => events.length > 0, 'no first event');
    expect(stream.events[0]!.event).toBe('state');
    expect(stream.events[0]!.data.state.sprints).toHaveLength(11);
    const urgent = postEntry(root, { sprint: 'auth-api', agent: 'alice', status: 'BLOCKED', severity: 'URGENT', message: 'Prod token leak?' });
    await stream.until((events) => events.some((e) => e.event === 'finding' && e.data.finding.files.includes(urgent.path)), 'no finding event for the URGENT', 10_000);
    const entry = stream.events.find((e) => e.event === 'entry');
    expect(entry!.data.entry).toMatchObject({ name: urgent.file, sprint: 'auth-api', severity: 'URGENT' });
    // The entry comes before its finding, and a state event follows with the new column.
    const kinds = stream.events.map((e) => e.event);
    expect(kinds.indexOf('entry')).toBeLessThan(kinds.indexOf('finding'));
    await stream.until((events) => events.some((e) => e.event === 'state' && e.data.state.sprints.find((s: { sprint: string }) => s.sprint === 'auth-api').state === 'BLOCKED'), 'no state event with auth-api BLOCKED');
    const resolution = await cos(['post', '--dir', root, '--sprint', 'auth-api', '--agent', 'lead', '--status', 'IN_PROGRESS', '--resolves', urgent.file, '--message', 'False alarm.']);
    expect(resolution.code, resolution.stderr).toBe(0);
    await stream.until((events) => events.some((e) => e.event === 'resolved' && e.data.finding.files.includes(urgent.path)), 'no resolved event', 10_000);
    stream.close();
    await board.stop();
  });

  it('/events delivers every event of a 1,000-entry burst from 4 writer processes, in order per sprint', async () => {
    const root = await teamDay();
    const board = await startBoardProcess(root);
    const stream = await readEvents(`${board.url}events`);
    await stream.until((events) => events.length > 0, 'no first event');
    const writer = (n: number) =>
      run(process.execPath, [
        '--input-type=module',
        '-e',
        `import { postEntry } from ${JSON.stringify(INDEX)};
         for (let i = 0; i < 250; i++) postEntry(${JSON.stringify(root)}, { sprint: 'burst-${n}', agent: 'writer-${n}', status: 'IN_PROGRESS', message: 'step ' + i });`,
      ]);
    await Promise.all([0, 1, 2, 3].map(writer));
    await stream.until((events) => events.filter((e) => e.event === 'entry').length >= 1000, 'not every entry reached /events', 60_000);
    const entries = stream.events.filter((e) => e.event === 'entry').map((e) => e.data.entry);
    expect(entries).toHaveLength(1000);
    const written = readdirSync(join(root, '.agent/status/current')).filter((name) => /^\d+-.*-writer-\d\.md$/.test(name));
    expect(new Set(entries.map((e) => e.name))).toEqual(new Set(written));
    for (let n = 0; n < 4; n++) {
      const mine = entries.filter((e) => e.sprint === `burst-${n}`);
      expect(mine).toHaveLength(250);
      const seqs = mine.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(mine.map((e) => e.body_html.match(/step (\d+)/)![1]).map(Number)).toEqual([...Array(250).keys()]);
    }
    // Event ids increase by one: nothing was dropped between frames.
    const ids = stream.events.map((e) => Number(e.id));
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
    stream.close();
    await board.stop();
  });

  it('runs beside cos watch (no lock taken) and two boards run at once', async () => {
    const root = await teamDay();
    const watcher = startWatcher(root, ['--quiet-start', '--no-notion']);
    await watcher.waitFor((line) => line.event === 'watching', 'the watcher ready');
    const lock = readFileSync(join(root, '.agent/state/watch.lock'), 'utf8');
    const [one, two] = await Promise.all([startBoardProcess(root), startBoardProcess(root)]);
    for (const board of [one, two]) expect(JSON.parse((await fetchRaw(`${board.url}api/state`)).body).sprints).toHaveLength(11);
    postEntry(root, { sprint: 'side-by-side', agent: 'zoe', status: 'BLOCKED', severity: 'BLOCKER', message: 'seen by all three' });
    await watcher.waitFor((line) => line.event === 'finding' && line.finding.sprint === 'side-by-side', 'the watcher finding');
    for (const board of [one, two]) {
      const stream = await readEvents(`${board.url}events`);
      const has = (e: SseEvent) =>
        (e.event === 'state' && e.data.state.findings.some((f: { sprint: string }) => f.sprint === 'side-by-side')) || (e.event === 'finding' && e.data.finding.sprint === 'side-by-side');
      await stream.until((events) => events.some(has), 'the board has the finding', 10_000);
      stream.close();
    }
    expect(readFileSync(join(root, '.agent/state/watch.lock'), 'utf8')).toBe(lock);
    expect(await one.stop()).toBe(0);
    expect(await two.stop()).toBe(0);
    expect(watcher.lines.filter((line) => line.event === 'error')).toEqual([]);
    watcher.child.kill('SIGTERM');
    await watcher.exited;
  });

  it('refuses bad flags and a folder with no .agent/, one sentence each', async () => {
    const root = await teamDay();
    expect(await cos(['board', '--dir', root, '--port', 'http'])).toMatchObject({ code: 1, stderr: expect.stringContaining('Invalid --port "http"') });
    expect(await cos(['board', '--dir', root, '--port', '70000'])).toMatchObject({ code: 1, stderr: expect.stringContaining('0 to 65535') });
    expect(await cos(['board', '--dir', root, '--out', 'x.html', '--port', '1'])).toMatchObject({ code: 1 });
    const empty = (await import('../helpers/tmp.js')).testdir();
    expect(await cos(['board', '--dir', empty])).toMatchObject({ code: 1, stderr: expect.stringContaining('No .agent/ here') });
    const busy = await startBoardProcess(root);
    const second = await cos(['board', '--dir', root, '--port', String(busy.port)]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`Port ${busy.port} on 127.0.0.1 is already in use`);
    await busy.stop();
  });
});
