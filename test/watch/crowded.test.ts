/**
 * A crowded current/ (10,000 entries): an entry written the way every writer writes one — a
 * hidden temp file, then a rename into place — must reach `cos watch` and `cos board` from its
 * file event, not only at the next full reconcile (set to an hour here).
 *
 * The regression this catches: chokidar re-listed the whole folder on each change and counted
 * changes arriving during a listing for 1 s only, so when the listing of a big folder outlasted
 * that second, the rename that followed the temp file's creation was dropped, and the entry
 * showed up only at the reconcile (60 s by default). Writers here leave 100 ms between the two
 * steps, as a writer on a busy machine does, so the temp file's event starts a listing before
 * the rename happens. Real processes throughout; the assertion is that every entry arrives
 * well before the reconcile would bring it, never how fast.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { initRepo } from '../../src/store/init.js';
import { readEvents, startBoardProcess } from '../board/helpers.js';
import { testdir } from '../helpers/tmp.js';
import { startWatcher } from './watcher.js';

const run = promisify(execFile);
const ENTRIES = 10_000;
const RECONCILE_SECONDS = 3600;
/** Far below the reconcile interval: an entry that arrives only by the reconcile fails. */
const WAIT_MS = 90_000;
/** Writing and reading 10,000 files takes minutes on a loaded machine. */
const TEST_TIMEOUT_MS = 600_000;

function entryText(sprint: string, agent: string, status: string, severity: string, at: string): string {
  return `---\ntimestamp: ${at}\nsprint: ${sprint}\nagent: ${agent}\nstatus: ${status}\nseverity: ${severity}\nheartbeat: ${at}\nttl_minutes: 600\n---\nbody\n`;
}

/** A repository with ENTRIES entries in current/ and an hour between reconciles. */
function crowded(): string {
  const root = join(testdir(), 'crowded');
  mkdirSync(root);
  initRepo(root);
  writeFileSync(
    join(root, '.agent/config/coordination.yaml'),
    `version: 1\nwatch:\n  reconcile_seconds: ${RECONCILE_SECONDS}\narchive:\n  max_current: 100000\n`,
  );
  const current = join(root, '.agent/status/current');
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (let i = 1; i <= ENTRIES; i++) {
    writeFileSync(
      join(current, `${String(i).padStart(5, '0')}-${at.replace(/:/g, '-')}-agent-${i % 7}.md`),
      entryText(`sprint-${i % 1000}`, `agent-${i % 7}`, 'COMPLETE', 'INFO', at),
    );
  }
  return root;
}

/**
 * Another process writes one entry as writers do: temp file, a pause, rename into place.
 * Returns the entry's file name.
 */
async function writeEntry(root: string, seq: number, sprint: string, agent: string, status: string, severity: string): Promise<string> {
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const name = `${seq}-${at.replace(/:/g, '-')}-${agent}.md`;
  const script = `
    const { writeFileSync, renameSync } = require('node:fs');
    const [dir, name, text] = process.argv.slice(1);
    const temp = dir + '/.' + name + '.' + process.pid + '.tmp';
    writeFileSync(temp, text);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    renameSync(temp, dir + '/' + name);`;
  await run(process.execPath, ['-e', script, join(root, '.agent/status/current'), name, entryText(sprint, agent, status, severity, at)]);
  return name;
}

describe('a crowded current/ (10,000 entries)', () => {
  it('cos board: an entry renamed into place after its temp file arrives on /events from its file event', async () => {
    const root = crowded();
    const board = await startBoardProcess(root);
    const events = await readEvents(`${board.url}events`);
    await events.until((list) => list.some((e) => e.event === 'state'), 'the first state', WAIT_MS);
    for (let i = 0; i < 3; i++) {
      const name = await writeEntry(root, ENTRIES + 1 + i, `late-${i}`, 'writer', 'IN_PROGRESS', 'INFO');
      await events.until((list) => list.some((e) => e.event === 'entry' && e.data.entry.name === name), `the entry event of ${name}`, WAIT_MS);
    }
    events.close();
    expect(await board.stop()).toBe(0);
  }, TEST_TIMEOUT_MS);

  it('cos watch: an URGENT renamed into place after its temp file is reported from its file event', async () => {
    const root = crowded();
    const watcher = startWatcher(root, ['--quiet-start']);
    await watcher.waitFor((line) => line.event === 'watching', 'the watching line', WAIT_MS);
    for (let i = 0; i < 3; i++) {
      await writeEntry(root, ENTRIES + 1 + i, `urgent-${i}`, 'writer', 'BLOCKED', 'URGENT');
      const line = await watcher.waitFor((l) => l.event === 'finding' && l.finding.sprint === `urgent-${i}`, `the escalation on urgent-${i}`, WAIT_MS);
      expect(line.finding.kind).toBe('escalation');
    }
    watcher.child.kill('SIGTERM');
    expect((await watcher.exited).code).toBe(0);
  }, TEST_TIMEOUT_MS);
});
