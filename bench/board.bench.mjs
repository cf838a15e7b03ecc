// cos board over 10,000 entries: the server time of a first page load (GET /, then the full state
// the page receives first on /events, and GET /api/state), post → `entry` event on /events, post →
// escalation visible in a real headless Chromium page, and the server's memory. Whole processes:
// the built CLI; entries are posted with the library (postEntry), as an agent would.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { CLI, fmt, percentile, removeDir, spawnTracked, tempDir } from './lib.mjs';

const { postEntry } = await import('../dist/index.js');

const ENTRIES = Number(process.env.COS_BENCH_ENTRIES ?? 10_000);
const EVENT_POSTS = 200;
// All 10,000 in current/ is the worst case (chokidar re-lists the folder on every change): fewer posts.
const CROWDED_POSTS = 20;
const PAGE_POSTS = 30;
const CHROMIUM = process.env.COS_CHROMIUM ?? '/usr/bin/chromium';

function entryText({ sprint, agent, status, at }) {
  return `---\ntimestamp: ${at}\nsprint: ${sprint}\nagent: ${agent}\nstatus: ${status}\nseverity: INFO\nheartbeat: ${at}\nttl_minutes: 30\n---\n## ${at} | ${sprint}\n**Agent:** ${agent}\n**Status:** ${status}\n\nBench entry with **some** markdown and \`code\`.\n`;
}

/**
 * 10,000 entries of 1,000 sprints: `archive` keeps 50 in current/ and the rest in
 * archive/<sprint>/ (a repository cos archive keeps tidy); `current` leaves all of them in
 * current/, so all 1,000 sprints are on the board with their timelines.
 */
function repo(where) {
  const root = tempDir('cos-bench-board-');
  mkdirSync(join(root, '.agent/config'), { recursive: true });
  writeFileSync(join(root, '.agent/config/coordination.yaml'), 'version: 1\nwatch:\n  reconcile_seconds: 3600\narchive:\n  max_current: 100000\n');
  const current = join(root, '.agent/status/current');
  mkdirSync(current, { recursive: true });
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (let i = 1; i <= ENTRIES; i++) {
    const agent = `agent-${i % 7}`;
    const sprint = `sprint-${i % 1000}`;
    const dir = where === 'current' || i > ENTRIES - 50 ? current : join(root, '.agent/status/archive', sprint);
    mkdirSync(dir, { recursive: true });
    const name = `${String(i).padStart(3, '0')}-${at.replace(/:/g, '-')}-${agent}.md`;
    writeFileSync(join(dir, name), entryText({ sprint, agent, status: i % 10 === 0 ? 'VERIFIED' : 'COMPLETE', at }));
  }
  return root;
}

function startBoard(root) {
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, [CLI, 'board', '--json', '--port', '0', '--dir', root], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`cos board exited ${code}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      const { url } = JSON.parse(out.slice(0, out.indexOf('\n')));
      resolve({ child, url, startMs: performance.now() - t0, stop: () => new Promise((done) => (child.kill('SIGTERM'), child.on('exit', done))) });
    });
  });
}

/** Time to the last byte of a GET, and the body size. */
function timedGet(url) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    request(url, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => resolve({ ms: performance.now() - t0, bytes }));
    })
      .on('error', reject)
      .end();
  });
}

/** An /events reader: resolves `first` with the time to the first full state event. */
function openEvents(url) {
  const listeners = new Set();
  const t0 = performance.now();
  let firstResolve;
  const first = new Promise((resolve) => (firstResolve = resolve));
  const req = request(`${url}events`, (res) => {
    let buffer = '';
    res.setEncoding('utf8').on('data', (chunk) => {
      const now = performance.now();
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!event || !data) continue;
        if (event === 'state' && firstResolve) {
          firstResolve({ ms: now - t0, bytes: Buffer.byteLength(data) });
          firstResolve = null;
        }
        for (const listener of listeners) listener(event, data, now);
      }
    });
  });
  req.end();
  const next = (match) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no event in 120 s')), 120_000);
      const listener = (event, data, at) => {
        if (!match(event, data)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(at);
      };
      listeners.add(listener);
    });
  return { first, next, close: () => req.destroy() };
}

function rssMiB(pid) {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}

async function loadAndEvents(where, posts) {
  const root = repo(where);
  const board = await startBoard(root);
  const page = await timedGet(board.url);
  const events = openEvents(board.url);
  const state = await events.first;
  const api = await timedGet(`${board.url}api/state`);
  const times = [];
  for (let i = 0; i < posts; i++) {
    const sprint = `latency-${i}`;
    const seen = events.next((event, data) => event === 'entry' && data.includes(`"sprint":"${sprint}"`));
    const t0 = performance.now();
    postEntry(root, { sprint, agent: 'bench', status: 'IN_PROGRESS' });
    times.push((await seen) - t0);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const rss = rssMiB(board.child.pid);
  events.close();
  await board.stop();
  removeDir(root);
  return { startMs: board.startMs, page, state, api, times, rss };
}

async function visible() {
  if (!existsSync(CHROMIUM)) return null;
  const { chromium } = await import('playwright-core');
  const root = repo('archive');
  const board = await startBoard(root);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const page = await browser.newPage();
  await page.goto(board.url);
  await page.waitForSelector('.column');
  const times = [];
  for (let i = 0; i < PAGE_POSTS; i++) {
    const sprint = `urgent-${i}`;
    const t0 = performance.now();
    postEntry(root, { sprint, agent: 'bench', status: 'BLOCKED', severity: 'URGENT', message: 'visible?' });
    await page.waitForSelector(`#findings .finding[data-sprint="${sprint}"]`, { timeout: 30_000 });
    times.push(performance.now() - t0);
  }
  await browser.close();
  await board.stop();
  removeDir(root);
  return times;
}

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const row = (label, times) => `| ${label} | ${fmt(percentile(times, 50))} | ${fmt(percentile(times, 95))} | ${fmt(percentile(times, 99))} | ${fmt(Math.max(...times))} |`;
const loadRow = (label, r) => `| ${label} | ${fmt(r.page.ms)} (${kib(r.page.bytes)}) | ${fmt(r.state.ms)} (${kib(r.state.bytes)}) | ${fmt(r.api.ms)} | ${fmt(r.startMs)} | ${r.rss.toFixed(0)} MiB |`;
console.log(`## cos board\n`);
const tidy = await loadAndEvents('archive', EVENT_POSTS);
console.log(`First page load over ${ENTRIES.toLocaleString('en')} entries, server time to the last byte (loopback; target ≤ 300 ms): the page, then the full state it receives first on /events; GET /api/state alongside:\n`);
console.log('| repository | GET / | first state on /events | GET /api/state | start-up to listening | server RSS |');
console.log('|---|---|---|---|---|---|');
console.log(loadRow('50 in current/, the rest in archive/<sprint>/', tidy));
console.log(`\nPost (library postEntry, timed from the call) → its \`entry\` event on /events (one post at a time; target p95 ≤ 100 ms):\n`);
console.log('| repository | p50 | p95 | p99 | max |');
console.log('|---|---|---|---|---|');
console.log(row(`50 in current/, the rest archived (${EVENT_POSTS} posts)`, tidy.times));
const seen = await visible();
if (seen) {
  console.log(`\nPost of an URGENT → its finding visible in the page in headless Chromium (${PAGE_POSTS} posts over ${ENTRIES.toLocaleString('en')} entries; target p95 ≤ 1 s):\n`);
  console.log('| p50 | p95 | p99 | max |');
  console.log('|---|---|---|---|');
  console.log(`| ${fmt(percentile(seen, 50))} | ${fmt(percentile(seen, 95))} | ${fmt(percentile(seen, 99))} | ${fmt(Math.max(...seen))} |`);
} else {
  console.log(`\n(No Chromium at ${CHROMIUM}: post → visible in the page not measured.)`);
}
const crowded = await loadAndEvents('current', CROWDED_POSTS);
console.log(`\nThe worst case, all 10,000 entries in current/ (1,000 sprints on the board): first page load`);
console.log('| repository | GET / | first state on /events | GET /api/state | start-up to listening | server RSS |');
console.log('|---|---|---|---|---|---|');
console.log(loadRow('all 10,000 in current/', crowded));
console.log('');
console.log(row(`post → entry event, all 10,000 in current/ (${CROWDED_POSTS} posts)`, crowded.times));
console.log('');
