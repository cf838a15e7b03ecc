// Notion sync throughput: time to sync N = 300 changed sprints through the built CLI against the
// Notion-shaped test server limited to 3 requests/s (bursts of 10), as a ratio to the floor N/3 s
// (one request per sprint at Notion's average rate). Also: a sync with nothing to do.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI, fmt, medianProcess, removeDir, tempDir } from './lib.mjs';

const N = 300;
const { initRepo, postEntry } = await import('../dist/index.js');

/**
 * The test server is TypeScript (test/notion/server.ts). Compile it to JavaScript in a temp folder
 * with the project's own TypeScript (a devDependency, the compiler `npm run build` uses), so the
 * bench needs nothing that only a dependency of a dependency provides.
 */
async function loadTestServer() {
  const project = fileURLToPath(new URL('..', import.meta.url));
  const out = tempDir('cos-bench-notion-server-');
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(project, 'node_modules', '@types')],
      rootDir: join(project, 'test', 'notion'),
      outDir: out,
    },
    files: [join(project, 'test', 'notion', 'server.ts')],
  };
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify(tsconfig));
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  const compiled = spawnSync(process.execPath, [tsc, '-p', join(out, 'tsconfig.json')], { encoding: 'utf8' });
  if (compiled.status !== 0) throw new Error(`compiling test/notion/server.ts failed (exit ${compiled.status}): ${compiled.stdout}${compiled.stderr}`);
  try {
    return await import(pathToFileURL(join(out, 'server.js')).href);
  } finally {
    removeDir(out);
  }
}

const serverModule = await loadTestServer();
const server = await serverModule.startNotionServer({ rate: 1000, burst: 1000 });
const root = tempDir('cos-bench-notion-');
try {
  const { databaseId } = server.createDatabase({
    properties: {
      Status: 'select:DISPATCHED,IN_PROGRESS,BLOCKED,FAILED,COMPLETE,VERIFIED',
      Severity: 'select:INFO,WARN,URGENT,BLOCKER',
      Agents: 'multi_select',
      'Last update': 'date',
      'Completed at': 'date',
      'Verified at': 'date',
      'Latest entry': 'rich_text',
      Entries: 'number',
      Failures: 'number',
    },
  });
  initRepo(root);
  const config = (rate, burst) =>
    writeFileSync(join(root, '.agent/config/notion-sync.yaml'), `database_id: ${databaseId}\nrate_per_second: ${rate}\nburst: ${burst}\n`);
  for (let i = 0; i < N; i++) postEntry(root, { sprint: `sprint-${String(i).padStart(3, '0')}`, agent: 'developer', status: 'IN_PROGRESS' });
  const env = { ...process.env, NOTION_TOKEN: server.token, NOTION_BASE_URL: server.url };
  // Asynchronous: the server answers from this process, so it must not be blocked.
  const sync = () =>
    new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      const child = spawn(process.execPath, [CLI, 'notion', 'sync', '--json', '--dir', root], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (code !== 0) reject(new Error(`cos notion sync exited ${code}: ${stderr}`));
        else resolve({ ms, summary: JSON.parse(stdout) });
      });
    });

  // First sync (unmeasured, fast): every sprint gets its page and a ledger record.
  config(1000, 50);
  const first = await sync();
  if (first.summary.created !== N) throw new Error(`first sync created ${first.summary.created}`);

  // Nothing changed: the cost of a sync that has nothing to do (what `cos watch` pays most often).
  // It sends no request, so a blocking spawn cannot starve the server.
  const idle = medianProcess([CLI, 'notion', 'sync', '--dir', root], 9, { env });

  // Every sprint changes; Notion's limit and the client's defaults from here on.
  for (let i = 0; i < N; i++) postEntry(root, { sprint: `sprint-${String(i).padStart(3, '0')}`, agent: 'developer', status: 'COMPLETE' });
  config(3, 3);
  server.setRate(3, 10);
  await new Promise((resolve) => setTimeout(resolve, 4000)); // let the server's bucket refill
  const before = server.requests.length;
  const limitedBefore = server.rateLimited;
  const measured = await sync();
  const requests = server.requests.length - before;
  const floor = (N / 3) * 1000;
  const ratio = measured.ms / floor;

  console.log(`## Notion sync (bench/notion.bench.mjs)\n`);
  console.log(`${N} changed sprints synced by \`cos notion sync\` (a real process, the real @notionhq/client) against the Notion-shaped`);
  console.log(`test server on loopback limited to 3 requests/s (token bucket, bursts of 10); the client at its defaults`);
  console.log(`(rate_per_second 3, burst 3, concurrency 3). The floor is ${N}/3 s: one request per sprint at Notion's average rate.\n`);
  console.log('| figure | value |');
  console.log('|---|---|');
  console.log(`| sprints updated | ${measured.summary.updated} (failed ${measured.summary.failed}) |`);
  console.log(`| requests sent | ${requests} |`);
  console.log(`| answered 429 | ${server.rateLimited - limitedBefore} |`);
  console.log(`| wall time (process start to exit) | ${(measured.ms / 1000).toFixed(1)} s |`);
  console.log(`| floor N/3 s | ${(floor / 1000).toFixed(1)} s |`);
  console.log(`| **ratio to the floor** (target ≤ 1.15) | **${ratio.toFixed(3)}** |`);
  console.log(`| first sync, ${N} creates, unthrottled | ${fmt(first.ms)} |`);
  console.log(`| sync with nothing to do (median of 9 processes) | ${fmt(idle)} |`);
  console.log('');
} finally {
  await server.close();
  removeDir(root);
}
