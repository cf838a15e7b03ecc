/**
 * Must-show: exclusive, atomic entry creation under real concurrency. Real child processes, some
 * of them killed with SIGKILL at arbitrary instants.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../src/protocol/entry.js';
import { parseEntryFileName } from '../../src/protocol/filename.js';
import { readStore } from '../../src/store/read.js';
import { runCli } from '../helpers/cli.js';
import { startWriter } from '../helpers/racers.js';
import { testdir } from '../helpers/tmp.js';

const TEMP = /^\..+\.\d+\.[0-9a-f]+\.tmp$/;

/** Every file in current/: a complete, valid entry under its final name, or a hidden temp file. */
function checkFolder(root: string): { entries: number; temps: number } {
  const dir = join(root, '.agent', 'status', 'current');
  let entries = 0;
  let temps = 0;
  for (const name of readdirSync(dir)) {
    if (name === '.gitkeep') continue;
    if (name.startsWith('.')) {
      expect(name).toMatch(TEMP);
      temps++;
      continue;
    }
    const text = readFileSync(join(dir, name), 'utf8');
    expect(statSync(join(dir, name)).size).toBeGreaterThan(0);
    const parsed = parseEntry(text, { file: name, path: name, location: 'current' });
    if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
    expect(text.endsWith('\n')).toBe(true);
    entries++;
  }
  return { entries, temps };
}

describe('exclusive, atomic creation', () => {
  it('16 writer processes × 100 postEntry, 3 SIGKILLed mid-run: all parse, no duplicate seq, nothing partial', async () => {
    const root = testdir();
    const killAt: Record<number, number> = { 2: 7, 7: 33, 12: 61 };
    // The three victims are told to write more than they ever will, so that the kill always lands
    // mid-run however the machine schedules them; they are killed right after reporting their 7th, 33rd and 61st entry.
    const writers = Array.from({ length: 16 }, (_, i) => startWriter(root, `writer-${i}`, killAt[i] === undefined ? 100 : 100_000, { killAfter: killAt[i] }));
    const results = await Promise.all(writers.map((writer) => writer.done));

    let reported = 0;
    for (const [i, result] of results.entries()) {
      const writer = writers[i]!;
      if (killAt[i] !== undefined) {
        expect(result.signal).toBe('SIGKILL');
        expect(writer.lines.length).toBeGreaterThanOrEqual(killAt[i]!);
      } else {
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(writer.lines).toHaveLength(100);
      }
      reported += writer.lines.length;
      // Every entry a writer reported is there, under its final name, complete.
      for (const file of writer.lines) expect(() => statSync(join(root, '.agent', 'status', 'current', file))).not.toThrow();
    }

    const folder = checkFolder(root);
    const snapshot = readStore(root);
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.entries).toHaveLength(folder.entries);
    // A killed writer may have linked one entry it never got to report; never more.
    expect(folder.entries).toBeGreaterThanOrEqual(reported);
    expect(folder.entries).toBeLessThanOrEqual(reported + 3);
    const seqs = snapshot.entries.map((entry) => entry.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    const names = readdirSync(join(root, '.agent', 'status', 'current')).filter((name) => !name.startsWith('.'));
    expect(new Set(names.map((name) => parseEntryFileName(name)!.seq)).size).toBe(names.length);
  });

  it('8 concurrent `cos post` processes × 25 each: 200 entries, 200 distinct seqs', async () => {
    const root = testdir();
    expect((await runCli(['init', '--dir', root])).code).toBe(0);
    const worker = async (w: number) => {
      const paths: string[] = [];
      for (let i = 0; i < 25; i++) {
        const result = await runCli(['post', '--dir', root, '--sprint', `sprint-${w % 3}`, '--agent', `agent-${w}`, '--status', 'IN_PROGRESS', '--message', `post ${i}`]);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        paths.push(result.stdout.trim());
      }
      return paths;
    };
    const paths = (await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)))).flat();
    expect(new Set(paths).size).toBe(200);
    const snapshot = readStore(root);
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.entries).toHaveLength(200);
    expect(new Set(snapshot.entries.map((entry) => entry.seq)).size).toBe(200);
    expect(snapshot.entries.map((entry) => entry.path).sort()).toEqual([...paths].sort());
    expect(checkFolder(root)).toEqual({ entries: 200, temps: 0 });
    // 200 process starts: on a shared two-core machine under load this takes minutes, not seconds.
  }, 480_000);
});
