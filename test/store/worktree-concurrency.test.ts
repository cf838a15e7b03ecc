/**
 * Must-show: the claim space is shared by every worktree. 4 worktrees × 4 writer processes (each a
 * real child process calling the library's postEntry) × 50 posts, two writers SIGKILLed mid-run: no
 * sequence number twice across the repository, nothing partial, every completed post visible to
 * `cos scan` from any worktree.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../src/protocol/entry.js';
import { parseEntryFileName } from '../../src/protocol/filename.js';
import { readStore } from '../../src/store/read.js';
import { cos } from '../helpers/cli.js';
import { startWriter } from '../helpers/racers.js';
import { worktreeRepo } from '../helpers/worktrees.js';

const POSTS = 50;

describe('one claim space across worktrees', () => {
  it('4 worktrees × 4 writer processes × 50 posts, 2 SIGKILLed: no duplicate seq, nothing partial, all visible from any worktree', { timeout: 300_000 }, async () => {
    const repo = await worktreeRepo(3);
    const roots = [repo.main, ...repo.worktrees];
    // Writer 1 of worktree 0 and writer 2 of worktree 2 are killed right after reporting their 9th and 27th post.
    const killAt: Record<string, number> = { '0-1': 9, '2-2': 27 };
    const runs = roots.flatMap((root, w) =>
      Array.from({ length: 4 }, (_, i) => {
        const kill = killAt[`${w}-${i}`];
        return { root, key: `${w}-${i}`, run: startWriter(root, `w${w}-writer-${i}`, kill === undefined ? POSTS : 100_000, { sprint: `sprint-w${w}-writer-${i}`, killAfter: kill }) };
      }),
    );
    const results = await Promise.all(runs.map((r) => r.run.done));

    let reported = 0;
    for (const [i, result] of results.entries()) {
      const { root, key, run } = runs[i]!;
      if (killAt[key] !== undefined) {
        expect(result.signal).toBe('SIGKILL');
      } else {
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(run.lines).toHaveLength(POSTS);
      }
      reported += run.lines.length;
      // Each writer wrote into its own worktree only.
      for (const file of run.lines) expect(statSync(join(root, '.agent/status/current', file)).size).toBeGreaterThan(0);
    }

    // Every file on disk is a complete entry or a hidden temp file; seqs are unique across all worktrees.
    const seqs: number[] = [];
    for (const root of roots) {
      const dir = join(root, '.agent/status/current');
      for (const name of readdirSync(dir)) {
        if (name === '.gitkeep') continue;
        if (name.startsWith('.')) {
          expect(name).toMatch(/^\..+\.tmp$/);
          continue;
        }
        const parsed = parseEntry(readFileSync(join(dir, name), 'utf8'), { file: name, path: name, location: 'current' });
        if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
        seqs.push(parseEntryFileName(name)!.seq);
      }
    }
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.length).toBeGreaterThanOrEqual(reported);
    expect(seqs.length).toBeLessThanOrEqual(reported + 2);

    const reportedNames = new Set(runs.flatMap((r) => r.run.lines));
    for (const root of roots) {
      const snapshot = readStore(root);
      expect(snapshot.problems).toEqual([]);
      expect(snapshot.entries).toHaveLength(seqs.length);
      const names = new Set(snapshot.entries.map((entry) => entry.file));
      for (const name of reportedNames) expect(names.has(name)).toBe(true);
      const scan = await cos(['scan', '--json', '--fail-on', 'never'], { cwd: root });
      const json = JSON.parse(scan.stdout) as { entries: number; findings: Array<{ kind: string }> };
      expect(json.entries).toBe(seqs.length);
      expect(json.findings.filter((f) => f.kind === 'duplicate-seq' || f.kind === 'malformed')).toEqual([]);
    }
  });
});
