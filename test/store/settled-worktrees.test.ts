/**
 * A settled folder checked out in several worktrees is left unread only when every worktree holds
 * the same copy (store/read.ts `decide`, the fingerprint in the read cache): the full read keeps,
 * name by name, the copy with the latest heartbeat, so two copies each quiet on their own can make
 * an open escalation together. Found by qa-reviewer-s5a (session 5).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCachePath } from '../../src/store/read-cache.js';
import { DAY, MINUTE, expectScanMatches, fastScan, fileNameOf, kinds, writeEntry, type EntrySpec } from '../helpers/status-files.js';
import { git, gitdir } from '../helpers/tmp.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const now = new Date(NOW);
const options = { now, cache: { racyMs: 0 } };

describe('settled folders across worktrees', () => {
  it('two worktrees with different copies of a quiet folder: the names mixed by heartbeat leave an escalation open, and the scan reports it', () => {
    const root = gitdir();
    const at = NOW - 30 * DAY;
    // Here: qa's URGENT NOTE (heartbeat +10 min), resolved by lead's NOTE (+1 min): quiet alone.
    const urgent: EntrySpec = { seq: 1, sprint: 'alpha', agent: 'qa', status: 'NOTE', severity: 'URGENT', at, beat: 10, folder: 'archive/alpha' };
    const answer: EntrySpec = { seq: 2, sprint: 'alpha', agent: 'lead', status: 'NOTE', at: at + MINUTE, beat: 0, folder: 'archive/alpha', fields: { resolves: [fileNameOf(urgent)] } };
    writeEntry(root, urgent);
    writeEntry(root, answer);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'alpha');
    const other = join(root, '..', `${root.split('/').pop()}-copy`);
    git(root, 'worktree', 'add', '-q', other, '-b', 'copy');
    try {
      // There, the same two names: an INFO NOTE (heartbeat +0) and a plain NOTE (+20 min): quiet alone too.
      writeEntry(other, { ...urgent, severity: 'INFO', beat: 0 });
      writeEntry(other, { ...answer, beat: 20, fields: {} });
      // The full read keeps qa's URGENT from here (later heartbeat) and the plain NOTE from there: open.
      for (const from of [root, other]) {
        expect(kinds(expectScanMatches(from, options, 'cold'))).toContain(`escalation ${fileNameOf(urgent)}`);
        expect(kinds(expectScanMatches(from, options, 'warm'))).toContain(`escalation ${fileNameOf(urgent)}`);
      }
      // Both copies are marked settled in the cache: only their differing fingerprints keep them read.
      const index = readFileSync(readCachePath(root)!, 'utf8').split('\n', 1)[0]!;
      const folders = (JSON.parse(index) as { folders: unknown[][] }).folders.filter((folder) => String(folder[0]).endsWith(join('archive', 'alpha')));
      expect(folders).toHaveLength(2);
      for (const folder of folders) expect(folder[8]).toEqual(['alpha', expect.any(Number), expect.any(String)]);
      expect((folders[0]![8] as string[])[2]).not.toBe((folders[1]![8] as string[])[2]);
      expect(fastScan(root, options).entries).toBe(2);
    } finally {
      git(root, 'worktree', 'remove', '--force', other);
    }
  });
});
