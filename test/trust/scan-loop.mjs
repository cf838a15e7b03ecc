// Scans a repository again and again with the built library (dist/index.js) until the file named
// by argv[3] exists; prints one JSON line per scan: { started, ended, findings: [keys] }.
// Used by archive-race.test.ts as "another process" reading while cos archive moves entries.
import { existsSync } from 'node:fs';

const [root, stopFile, nowIso] = process.argv.slice(2);
const { scan } = await import(new URL('../../dist/index.js', import.meta.url).href);
const now = new Date(nowIso);
const name = (file) => file.slice(file.lastIndexOf('/') + 1);
for (;;) {
  const started = Date.now();
  const result = scan(root, { now });
  const keys = result.findings.map((f) => (f.kind === 'overflow' ? `overflow|${f.severity}` : `${f.kind}|${f.sprint}|${f.severity}|${f.files.map(name).sort().join(',')}`));
  process.stdout.write(`${JSON.stringify({ started, ended: Date.now(), entries: result.entries, findings: keys })}\n`);
  if (existsSync(stopFile)) break;
}
