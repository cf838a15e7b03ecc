/**
 * The read cache replaced or removed by another cos while a scan runs (store/read-cache.ts,
 * rawOf/recordsOf). A warm scan that leaves every settled folder unread never reads the cache's
 * data part; when it then saves (something else changed), that data part must come from the file
 * whose index it read. If it cannot (another cos replaced the file, or it was removed), the scan
 * leaves the cache as it finds it, rather than writing those folders with no entries
 * (qa-reviewer-s6b's case: every later scan and full read then missed them until they changed) or
 * with their records let go (qa-reviewer-s6c: the next reader would read every one of their files).
 */
import { copyFileSync, existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, scan } from '../../src/analyze.js';
import { readCachePath } from '../../src/store/read-cache.js';
import { readStore } from '../../src/store/read.js';
import { DAY, MINUTE, fileNameOf, fullScan, writeEntry, type EntrySpec } from '../helpers/status-files.js';
import { gitdir } from '../helpers/tmp.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const now = new Date(NOW);

/** A sprint finished and verified `at`, in its own archive folder. */
function verifiedSprint(sprint: string, first: number, at: number): EntrySpec[] {
  const complete: EntrySpec = { seq: first, sprint, agent: 'dev', status: 'COMPLETE', at, folder: `archive/${sprint}` };
  const verified: EntrySpec = { seq: first + 1, sprint, agent: 'qa', status: 'VERIFIED', at: at + 30 * MINUTE, folder: `archive/${sprint}`, fields: { verifies: fileNameOf(complete) } };
  return [complete, verified];
}

/** cos scan through the cache; `meanwhile` runs once, after the cache's index was read (the cache's clock is first asked then). */
function scanWhile(root: string, meanwhile: () => void) {
  let done = false;
  const clock = () => {
    if (!done) {
      done = true;
      meanwhile();
    }
    return Date.now();
  };
  return scan(root, { now, cache: { racyMs: 0, now: clock } });
}

/** How the cache changes meanwhile, and the inode left at its path (null: none). */
const HOW: Record<string, (path: string) => number | null> = {
  'replaced by another cos (the same bytes, another file)': (path) => {
    copyFileSync(path, `${path}.next`);
    renameSync(`${path}.next`, path);
    return statSync(path).ino;
  },
  removed: (path) => {
    unlinkSync(path);
    return null;
  },
};

describe('a read cache replaced or removed during a scan that saves', () => {
  for (const [how, change] of Object.entries(HOW)) {
    it(`${how}: the scan, every later scan and a full read through the cache give what a read of every file gives`, () => {
      const root = gitdir();
      for (const spec of [...verifiedSprint('alpha', 1, NOW - 30 * DAY), ...verifiedSprint('beta', 3, NOW - 20 * DAY)]) writeEntry(root, spec);
      writeEntry(root, { seq: 40, sprint: 'gamma', agent: 'lead', status: 'IN_PROGRESS', at: NOW - 60 * MINUTE, beat: 50, ttl: 240, folder: 'current' });
      expect(scan(root, { now, cache: { racyMs: 0 } })).toEqual(fullScan(root, { now }));
      expect(scan(root, { now, cache: { racyMs: 0 } })).toEqual(fullScan(root, { now }));
      // A sprint archived since: this scan has something to save, and leaves alpha and beta unread.
      for (const spec of verifiedSprint('delta', 5, NOW - 10 * DAY)) writeEntry(root, spec);
      const expected = fullScan(root, { now });
      const path = readCachePath(root)!;
      let left: number | null | undefined;
      expect(scanWhile(root, () => (left = change(path)))).toEqual(expected);
      // The other cos's cache (or none) is left as it is, not overwritten with one that lost records.
      expect(existsSync(path) ? statSync(path).ino : null).toBe(left);
      expect(scan(root, { now, cache: { racyMs: 0 } })).toEqual(expected);
      expect(scan(root, { now, cache: { racyMs: 0 } })).toEqual(expected);
      expect(readStore(root, { cache: { racyMs: 0 } })).toEqual(readStore(root, { cache: false }));
      expect(analyze(root, { now, cache: { racyMs: 0 } }).findings).toEqual(analyze(root, { now, cache: false }).findings);
      expect(existsSync(path)).toBe(true);
    });
  }
});
