/**
 * Must-show (issue 12): the concurrent archive/scan test. `cos archive` (a child process of
 * dist/cli.js) moves 1,500 finished sprints from current/ to archive/ while another process scans
 * the repository again and again. No scan may report a finding that a quiet scan before and a
 * quiet scan after would not give: an entry met in current/ and again in archive/ mid-move is one
 * entry (identity is the file name), never two FAILED attempts (a false repeated-failure), a
 * duplicate seq or a conflict; and none is missed (current/ is listed before archive/).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serializeEntry } from '../../src/protocol/entry.js';
import { entryFileName } from '../../src/protocol/filename.js';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const SPRINTS = 1_500;
const LOOP = fileURLToPath(new URL('./scan-loop.mjs', import.meta.url));
const NOW = '2026-02-01T00:00:00Z';

/** Each sprint: a FAILED attempt, a COMPLETE claim, its VERIFIED by another agent — finished. */
function build(root: string): void {
  const current = join(root, '.agent/status/current');
  mkdirSync(current, { recursive: true });
  let seq = 0;
  for (let i = 0; i < SPRINTS; i++) {
    const sprint = `race-${String(i).padStart(4, '0')}`;
    const at = (m: number) => new Date(Date.UTC(2026, 0, 20, 0, 0, 0) + (i * 3 + m) * 1000).toISOString().replace('.000Z', 'Z');
    const write = (agent: string, status: string, m: number, extra: Record<string, unknown> = {}) => {
      const timestamp = at(m);
      const file = entryFileName(++seq, timestamp, agent);
      const fields = { timestamp, sprint, agent, status, severity: 'INFO', heartbeat: timestamp, ttl_minutes: 30, extra: {}, ...extra } as Parameters<typeof serializeEntry>[0];
      writeFileSync(join(current, file), serializeEntry(fields, ''));
      return file;
    };
    write('dev', 'FAILED', 0, { error: 'flaky-network' });
    const claim = write('dev', 'COMPLETE', 1);
    write('qa', 'VERIFIED', 2, { verifies: claim });
  }
}

interface ScanLine {
  started: number;
  ended: number;
  entries: number;
  findings: string[];
}

function scanOnce(root: string): Promise<ScanLine> {
  const stop = join(root, '.stop-now');
  writeFileSync(stop, '');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOOP, root, stop, NOW], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', () => resolve(JSON.parse(out.trim().split('\n')[0]!) as ScanLine));
  });
}

describe('scans while cos archive moves 1,500 sprints', () => {
  it('no scan gives a finding that a quiet scan before and after would not give', async () => {
    const root = testdir();
    expect((await runCli(['init', '--dir', root])).code).toBe(0);
    build(root);
    const before = await scanOnce(root);
    expect(before.entries).toBe(SPRINTS * 3);
    // The trap is real: each sprint has one FAILED attempt, so counting one twice would be a finding.
    expect(before.findings.filter((key) => key.startsWith('repeated-failure'))).toEqual([]);

    const stop = join(root, '.stop-scanning');
    const scanner = spawn(process.execPath, [LOOP, root, stop, NOW], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: ScanLine[] = [];
    let buffer = '';
    let firstScan: () => void = () => {};
    const started = new Promise<void>((resolve) => (firstScan = resolve));
    scanner.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let at: number;
      while ((at = buffer.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buffer.slice(0, at)) as ScanLine);
        buffer = buffer.slice(at + 1);
        firstScan();
      }
    });
    const scannerDone = new Promise<void>((resolve) => scanner.on('close', () => resolve()));
    await started;
    const archiveStart = Date.now();
    const archived = await runCli(['archive', '--dir', root, '--json']);
    const archiveEnd = Date.now();
    writeFileSync(stop, '');
    await scannerDone;
    expect(archived.code, archived.stderr).toBe(0);
    const moved = (JSON.parse(archived.stdout) as { moved: unknown[] }).moved.length;
    expect(moved).toBe(SPRINTS * 3);
    expect(readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md'))).toEqual([]);

    const after = await scanOnce(root);
    expect(after.entries).toBe(SPRINTS * 3);
    const quiet = new Set([...before.findings, ...after.findings]);
    const during = lines.filter((line) => line.ended >= archiveStart && line.started <= archiveEnd);
    // At least one scan read while the moves ran (the scanner loops from before the archive starts).
    expect(during.length).toBeGreaterThan(0);
    const extra = new Set<string>();
    for (const line of lines) {
      expect(line.entries).toBe(SPRINTS * 3);
      for (const key of line.findings) if (!quiet.has(key)) extra.add(key);
    }
    expect([...extra].slice(0, 20)).toEqual([]);
  }, 600_000);
});
