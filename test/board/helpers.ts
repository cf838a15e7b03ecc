/**
 * The board under test: a real `node dist/cli.js board` child process, a scripted team day to show
 * on it, and a reader of its /events stream.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { postEntry } from '../../src/store/write.js';
import { initRepo } from '../../src/store/init.js';
import { applyPlan } from '../../src/plans/apply.js';
import { CLI } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const children = new Set<ChildProcess>();

function killChildren(): void {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Gone already.
    }
  }
  children.clear();
}

afterEach(killChildren);

// A test file that is interrupted or crashes never reaches afterEach: the board processes it
// started go when its worker exits, loses its parent (vitest's main process, interrupted, leaves
// a forked worker running on its own: its IPC channel closes), or is stopped by a signal (which
// is then raised again, so the worker ends as it would have).
process.once('exit', killChildren);
process.once('disconnect', killChildren);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killChildren();
    process.kill(process.pid, signal);
  });
}

export interface BoardProcess {
  child: ChildProcess;
  url: string;
  port: number;
  stderr(): string;
  /** SIGTERM, then wait for the exit code. */
  stop(): Promise<number | null>;
}

/** Start `cos board --port 0 --json` on `root` and wait for its address. */
export function startBoardProcess(root: string, args: string[] = []): Promise<BoardProcess> {
  const child = spawn(process.execPath, [CLI, 'board', '--json', '--port', '0', '--dir', root, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => children.delete(child));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cos board printed no address in 180 s; stderr: ${stderr}`)), 180_000);
    child.on('exit', (code) => reject(new Error(`cos board exited (${code}) before listening; stderr: ${stderr}`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      const line = JSON.parse(stdout.slice(0, nl)) as { url: string; port: number };
      resolve({
        child,
        url: line.url,
        port: line.port,
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

/** Minutes before now, as a Date. */
export function minutesAgo(minutes: number, now = Date.now()): Date {
  return new Date(Math.floor((now - minutes * 60_000) / 1000) * 1000);
}

/**
 * A scripted team day, posted through the library: a sprint per state, an URGENT escalation, a
 * stale agent and an unverified claim.
 *   auth-api       alice IN_PROGRESS (live), holding a path lease on src/auth/** (ttl 45 min)
 *   billing        bob BLOCKED, URGENT ("Stripe test keys")
 *   search         carol COMPLETE, dave VERIFIED
 *   onboarding-ui  erin COMPLETE (unverified)
 *   data-export    frank FAILED
 *   notifications  grace IN_PROGRESS, silent for 2 hours (stale)
 *   release-notes  heidi DISPATCHED
 * and the plan checkout-v2 (TEAM_PLAN): receipts-email READY, payments-api, checkout-ui and
 * launch-review WAITING.
 */
/** The team day's plan: two steps on finished or running sprints, two waiting on them. */
export const TEAM_PLAN = `summary: Checkout v2
steps:
  - sprint: payments-api
    title: Payments API on the new billing
    role: developer
    done_when: charges and refunds pass the contract tests
    depends_on: [billing]
  - sprint: receipts-email
    title: Receipt emails
    role: developer
    done_when: a receipt reaches the test inbox
    depends_on: [search]
  - sprint: checkout-ui
    title: Checkout screens
    role: developer
    done_when: the three screens pass the visual tests
    depends_on: [payments-api, receipts-email]
  - sprint: launch-review
    title: Launch review
    role: qa-reviewer
    done_when: every step verified
    depends_on: [checkout-ui]
`;

export async function teamDay(): Promise<string> {
  const root = join(testdir(), 'acme-shop');
  mkdirSync(root);
  initRepo(root);
  const post = (minutes: number, input: Parameters<typeof postEntry>[1]) => postEntry(root, { ttl_minutes: 30, ...input, now: minutesAgo(minutes) });
  post(300, { sprint: 'notifications', agent: 'grace', status: 'DISPATCHED', role: 'developer', title: 'Push notifications' });
  post(240, { sprint: 'search', agent: 'carol', status: 'IN_PROGRESS', role: 'developer', title: 'Search index' });
  post(200, { sprint: 'notifications', agent: 'grace', status: 'IN_PROGRESS', message: 'Wiring the **APNs** client; see https://example.com/apns.' });
  const claim = post(150, { sprint: 'search', agent: 'carol', status: 'COMPLETE', message: 'Index rebuilt; p95 query `41 ms`.\n\n- tokenizer\n- ranking' });
  post(120, { sprint: 'search', agent: 'dave', status: 'VERIFIED', role: 'qa-reviewer', verifies: claim.file, message: 'Checked the ranking tests.' });
  post(90, { sprint: 'data-export', agent: 'frank', status: 'FAILED', error: 'csv-encoding', message: 'Exports break on non-ASCII names.' });
  post(60, { sprint: 'onboarding-ui', agent: 'erin', status: 'COMPLETE', message: 'Three-step wizard done.' });
  post(45, { sprint: 'billing', agent: 'bob', status: 'IN_PROGRESS', role: 'developer', title: 'Invoices' });
  post(20, { sprint: 'auth-api', agent: 'alice', status: 'IN_PROGRESS', role: 'developer', title: 'Token refresh', message: 'Refresh tokens rotate now.' });
  // As `cos lease --sprint auth-api --agent alice --ttl 45 'src/auth/**'` writes it.
  post(18, { sprint: 'auth-api', agent: 'alice', status: 'NOTE', lease: ['src/auth/**'], ttl_minutes: 45, message: 'alice leases src/auth/** for its work on auth-api.' });
  post(10, { sprint: 'billing', agent: 'bob', status: 'BLOCKED', severity: 'URGENT', message: 'Need the Stripe test keys from a human.' });
  post(5, { sprint: 'release-notes', agent: 'heidi', status: 'DISPATCHED', role: 'writer', title: 'Release notes' });
  post(1, { sprint: 'auth-api', agent: 'alice', status: 'IN_PROGRESS', message: 'Tests green; opening the PR.' });
  await applyPlan(root, { name: 'checkout-v2', text: TEAM_PLAN });
  return root;
}

export interface SseEvent {
  id: string;
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

export interface SseReader {
  events: SseEvent[];
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Resolves once `check` holds over the events (polled), or rejects after `ms`. */
  until(check: (events: SseEvent[]) => boolean, what: string, ms?: number): Promise<void>;
  close(): void;
}

/** Read `url` as a server-sent event stream. */
export function readEvents(url: string): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Accept: 'text/event-stream' } }, (res) => {
      const events: SseEvent[] = [];
      let buffer = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
          }
          if (fields.event && fields.data) events.push({ id: fields.id ?? '', event: fields.event, data: JSON.parse(fields.data) });
        }
      });
      res.on('error', () => {});
      resolve({
        events,
        status: res.statusCode ?? 0,
        headers: res.headers,
        async until(check, what, ms = 30_000) {
          const stop = Date.now() + ms;
          while (!check(events)) {
            if (Date.now() > stop) throw new Error(`${what} (waited ${ms} ms; ${events.length} events)`);
            await new Promise((r) => setTimeout(r, 25));
          }
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** One plain HTTP request: status, headers, body. */
export function fetchRaw(url: string, options: { method?: string; headers?: Record<string, string>; host?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
