// cos board over 10,000 entries (issue 14): a real `cos board` process, entries posted with the
// library's postEntry (as an agent would), a real headless Chromium for post → visible.
//
//   first page load   server time to the last byte of GET / and GET /api/state, and to the whole
//                     first `state` event on /events (what the page renders first); median of 5
//   post → event      postEntry call → its `entry` event on /events, one post at a time on an idle
//                     board (the next post waits until the board has sent that post's `state`)
//   post → visible    postEntry of an URGENT → its finding in the page's banner, in Chromium
//                     (checked on each animation frame with the page's own querySelector)
//   server RSS        VmRSS of the board process after all that (and VmHWM, its peak)
//
// Two repositories of 10,000 entries of 1,000 sprints: "tidy" keeps 50 in current/ and the rest
// in archive/<sprint>/ (as cos archive keeps it), "crowded" leaves all 10,000 in current/ (the
// worst case). Every process and temp folder is cleaned up on exit, Ctrl-C or a crash (lib.mjs).
// COS_BENCH_ENTRIES=N runs on fewer entries (a quick look; the targets are for 10,000).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CLI, fmt, percentile, removeDir, spawnTracked, tempDir } from './lib.mjs';

const { postEntry } = await import('../dist/index.js');

const ENTRIES = Number(process.env.COS_BENCH_ENTRIES ?? 10_000);
const EVENT_POSTS = 200;
const CROWDED_POSTS = 40;
const PAGE_POSTS = 30;
const LOAD_RUNS = 5;
const EVENT_TIMEOUT_MS = 120_000;
const CHROMIUM = process.env.COS_CHROMIUM ?? '/usr/bin/chromium';

const load = () => loadavg()[0].toFixed(1);
const began = performance.now();
/** A progress line on stderr (the tables go to stdout at the end). */
const progress = (message) => process.stderr.write(`[board bench ${((performance.now() - began) / 1000).toFixed(0)} s, load ${load()}] ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => percentile(values, 50);

function entryText({ sprint, agent, status, at }) {
  return `---\ntimestamp: ${at}\nsprint: ${sprint}\nagent: ${agent}\nstatus: ${status}\nseverity: INFO\nheartbeat: ${at}\nttl_minutes: 30\n---\n## ${at} | ${sprint}\n**Agent:** ${agent}\n**Status:** ${status}\n\nBench entry with **some** markdown and \`code\`.\n`;
}

/** ENTRIES entries of 1,000 sprints (every 10th VERIFIED, the rest COMPLETE), tidy or crowded. */
function repo(where) {
  const root = tempDir('cos-bench-board-');
  mkdirSync(join(root, '.agent/config'), { recursive: true });
  // The reconcile is set to an hour: every event measured comes from the file watcher.
  writeFileSync(join(root, '.agent/config/coordination.yaml'), 'version: 1\nwatch:\n  reconcile_seconds: 3600\narchive:\n  max_current: 100000\n');
  const current = join(root, '.agent/status/current');
  mkdirSync(current, { recursive: true });
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (let i = 1; i <= ENTRIES; i++) {
    const agent = `agent-${i % 7}`;
    const sprint = `sprint-${i % 1000}`;
    const dir = where === 'crowded' || i > ENTRIES - 50 ? current : join(root, '.agent/status/archive', sprint);
    mkdirSync(dir, { recursive: true });
    const name = `${String(i).padStart(3, '0')}-${at.replace(/:/g, '-')}-${agent}.md`;
    writeFileSync(join(dir, name), entryText({ sprint, agent, status: i % 10 === 0 ? 'VERIFIED' : 'COMPLETE', at }));
  }
  return root;
}

function startBoard(root) {
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, [CLI, 'board', '--json', '--port', '0', '--dir', root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`cos board exited ${code} before listening`)));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      const { url } = JSON.parse(out.slice(0, out.indexOf('\n')));
      resolve({
        child,
        url,
        startMs: performance.now() - t0,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
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

/**
 * An /events reader. `first` resolves with the time to the whole first `state` event; `next`
 * waits for an event matching `match` and resolves with the time it arrived. The buffer is
 * scanned from where the last scan stopped (a 3 MB first event arrives in many chunks).
 */
function openEvents(url) {
  const listeners = new Set();
  const t0 = performance.now();
  let firstResolve;
  const first = new Promise((resolve) => (firstResolve = resolve));
  const req = request(`${url}events`, (res) => {
    let buffer = '';
    let scanned = 0;
    res.setEncoding('utf8').on('data', (chunk) => {
      const now = performance.now();
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n', scanned)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        scanned = 0;
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!event || !data) continue;
        if (event === 'state' && firstResolve) {
          firstResolve({ ms: now - t0, bytes: Buffer.byteLength(data) });
          firstResolve = null;
        }
        for (const listener of listeners) listener(event, data, now);
      }
      scanned = Math.max(0, buffer.length - 1);
    });
  });
  req.on('error', () => {});
  req.end();
  const next = (match, what) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`no ${what} on /events within ${EVENT_TIMEOUT_MS / 1000} s`));
      }, EVENT_TIMEOUT_MS);
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

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** First page load, median of LOAD_RUNS: GET /, the whole first state on /events, GET /api/state. */
async function firstLoad(url) {
  const page = [];
  const state = [];
  const api = [];
  let bytes = { page: 0, state: 0, api: 0 };
  for (let i = 0; i < LOAD_RUNS; i++) {
    const p = await timedGet(url);
    const events = openEvents(url);
    const s = await events.first;
    events.close();
    const a = await timedGet(`${url}api/state`);
    page.push(p.ms);
    state.push(s.ms);
    api.push(a.ms);
    bytes = { page: p.bytes, state: s.bytes, api: a.bytes };
    await sleep(200);
  }
  return { page: median(page), state: median(state), api: median(api), bytes };
}

/**
 * `posts` posts, one at a time: each waits for its entry event (timed from the postEntry call),
 * then for the board to finish that evaluation (its `state` event), then 50 ms.
 */
async function postToEvent(root, url, posts, prefix) {
  const events = openEvents(url);
  await events.first;
  const times = [];
  const writes = [];
  for (let i = 0; i < posts; i++) {
    const sprint = `${prefix}-${i}`;
    const seen = events.next((event, data) => event === 'entry' && data.includes(`"sprint":"${sprint}"`), `entry event of ${sprint}`);
    const settled = events.next((event, data) => event === 'state' && data.includes(`"sprint":"${sprint}"`), `state event with ${sprint}`);
    const t0 = performance.now();
    postEntry(root, { sprint, agent: 'bench', status: 'IN_PROGRESS' });
    writes.push(performance.now() - t0);
    times.push((await seen) - t0);
    await settled;
    await sleep(50);
  }
  events.close();
  return { times, writes };
}

async function visible(root, url) {
  if (!existsSync(CHROMIUM)) return null;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('.column', { timeout: EVENT_TIMEOUT_MS });
    const times = [];
    for (let i = 0; i < PAGE_POSTS; i++) {
      const sprint = `urgent-${i}`;
      const t0 = performance.now();
      postEntry(root, { sprint, agent: 'bench', status: 'BLOCKED', severity: 'URGENT', message: 'visible?' });
      // Checked with the page's own querySelector on each animation frame (resolved in the frame
      // that paints it). Not page.waitForSelector: playwright's selector engine walks every element
      // of the page on each poll, which on a page of 1,000 sprint cards took most of the page's
      // main thread and delayed what it was measuring.
      await page.waitForFunction((selector) => document.querySelector(selector) !== null, `#findings .finding[data-sprint="${sprint}"]`, { polling: 'raf', timeout: EVENT_TIMEOUT_MS });
      times.push(performance.now() - t0);
      await sleep(300);
    }
    return times;
  } finally {
    await browser.close();
  }
}

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const dist = (times) => `${fmt(percentile(times, 50))} | ${fmt(percentile(times, 95))} | ${fmt(percentile(times, 99))} | ${fmt(Math.max(...times))}`;
const verdict = (value, target) => (value <= target ? 'met' : 'NOT met');

async function run(where) {
  progress(`${where}: writing ${ENTRIES.toLocaleString('en')} entries`);
  const root = repo(where);
  const board = await startBoard(root);
  progress(`${where}: cos board listening after ${fmt(board.startMs)}; first page loads`);
  const loadBefore = load();
  const first = await firstLoad(board.url);
  const posts = where === 'tidy' ? EVENT_POSTS : CROWDED_POSTS;
  progress(`${where}: ${posts} posts → entry events`);
  const events = await postToEvent(root, board.url, posts, `${where}-latency`);
  if (where === 'tidy') progress(`${where}: ${PAGE_POSTS} URGENT posts → visible in Chromium`);
  const seen = where === 'tidy' ? await visible(root, board.url) : null;
  await sleep(1000);
  const mem = memory(board.child.pid);
  await board.stop();
  removeDir(root);
  return { startMs: board.startMs, first, events, seen, mem, load: `${loadBefore}–${load()}` };
}

const count = ENTRIES.toLocaleString('en');
console.log(`## cos board (${count} entries of 1,000 sprints)\n`);
const tidy = await run('tidy');
const crowded = await run('crowded');
const rows = [
  ['tidy: 50 in current/, the rest in archive/<sprint>/', tidy],
  [`crowded: all ${count} in current/`, crowded],
];

console.log('First page load, server time to the last byte over loopback (median of 5; target ≤ 300 ms):\n');
console.log('| repository | GET / | GET /api/state | first state on /events | start-up to listening | load avg (1 min) |');
console.log('|---|---|---|---|---|---|');
for (const [label, r] of rows) {
  console.log(`| ${label} | ${fmt(r.first.page)} (${kib(r.first.bytes.page)}) | ${fmt(r.first.api)} (${kib(r.first.bytes.api)}) | ${fmt(r.first.state)} (${kib(r.first.bytes.state)}) | ${fmt(r.startMs)} | ${r.load} |`);
}
console.log(`\nTarget (tidy, GET / then GET /api/state): ${fmt(tidy.first.page + tidy.first.api)} — ${verdict(tidy.first.page + tidy.first.api, 300)}.`);

console.log('\nPost → its `entry` event on /events, timed from the postEntry call (one post at a time on an idle board; target p95 ≤ 100 ms):\n');
console.log('| repository | posts | p50 | p95 | p99 | max | postEntry alone p50 |');
console.log('|---|---|---|---|---|---|---|');
for (const [label, r] of rows) console.log(`| ${label} | ${r.events.times.length} | ${dist(r.events.times)} | ${fmt(percentile(r.events.writes, 50))} |`);
console.log(`\nTarget (tidy p95): ${fmt(percentile(tidy.events.times, 95))} — ${verdict(percentile(tidy.events.times, 95), 100)}.`);

if (tidy.seen) {
  console.log(`\nPost of an URGENT → its finding visible in the page in headless Chromium (tidy, ${PAGE_POSTS} posts; target p95 ≤ 1 s):\n`);
  console.log('| p50 | p95 | p99 | max |');
  console.log('|---|---|---|---|');
  console.log(`| ${dist(tidy.seen)} |`);
  console.log(`\nTarget: ${fmt(percentile(tidy.seen, 95))} — ${verdict(percentile(tidy.seen, 95), 1000)}.`);
} else {
  console.log(`\n(No Chromium at ${CHROMIUM}: post → visible in the page not measured.)`);
}

console.log('\nServer memory after the above:\n');
console.log('| repository | RSS | peak RSS (VmHWM) |');
console.log('|---|---|---|');
for (const [label, r] of rows) console.log(`| ${label} | ${r.mem.rss.toFixed(0)} MiB | ${r.mem.peak.toFixed(0)} MiB |`);
console.log('');
