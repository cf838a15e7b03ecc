import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { compareEntries } from '../../src/protocol/order.js';
import { agentPaths } from '../../src/store/paths.js';
import { postEntry } from '../../src/store/write.js';
import { createEngine, type EngineUpdate } from '../../src/watch/engine.js';
import { readEntryFile } from '../../src/watch/files.js';
import { testdir } from '../helpers/tmp.js';
import { FakeClock } from './fake-clock.js';

const START = new Date('2026-03-02T10:00:00Z');

function setup() {
  const root = testdir({ '.agent/config/coordination.yaml': 'version: 1\n' });
  const paths = agentPaths(root);
  const clock = new FakeClock(START);
  const updates: EngineUpdate[] = [];
  const engine = createEngine({ config: structuredClone(DEFAULT_CONFIG), now: clock.now, timers: clock, emit: () => {}, onEvaluated: (u) => updates.push(u) });
  const put = (path: string, location: 'current' | 'archive' = 'current') => engine.put(readEntryFile(paths, join(root, path), location)!);
  const added = () => updates.flatMap((u) => u.added.map((e) => e.file));
  return { root, paths, clock, engine, updates, put, added };
}

describe('watch engine: entries added (the board feed)', () => {
  it('reports each new file once, in protocol order, never the ones held at start, a rewrite or a move', () => {
    const { root, clock, engine, updates, put, added } = setup();
    const first = postEntry(root, { sprint: 'alpha', agent: 'ann', status: 'IN_PROGRESS', now: START });
    put(first.path);
    engine.evaluate({ initial: true });
    expect(updates).toHaveLength(1);
    expect(updates[0]!.added).toEqual([]);
    expect(updates[0]!.sprints.map((s) => s.sprint)).toEqual(['alpha']);
    const b = postEntry(root, { sprint: 'alpha', agent: 'bob', status: 'IN_PROGRESS', now: START });
    const c = postEntry(root, { sprint: 'beta', agent: 'cid', status: 'IN_PROGRESS', now: START });
    // Seen out of order: reported in order.
    put(c.path);
    put(b.path);
    clock.advance(100);
    expect(added()).toEqual([b.file, c.file]);
    // The same file rewritten (a heartbeat), then moved to the archive: not new.
    const moved = join('.agent/status/archive/alpha', b.file);
    put(b.path);
    mkdirSync(join(root, '.agent/status/archive/alpha'), { recursive: true });
    renameSync(join(root, b.path), join(root, moved));
    engine.remove(b.path);
    put(moved, 'archive');
    clock.advance(100);
    expect(added()).toEqual([b.file, c.file]);
  });

  it('property: over any order of puts and evaluations, every file is reported exactly once and each batch is sorted', () => {
    const { root } = setup();
    const entries = Array.from({ length: 12 }, (_, i) => postEntry(root, { sprint: `s${i % 3}`, agent: `a${i % 4}`, status: 'IN_PROGRESS', now: START }));
    fc.assert(
      fc.property(fc.shuffledSubarray(entries, { minLength: entries.length }), fc.array(fc.boolean(), { minLength: entries.length, maxLength: entries.length }), (order, evaluateAfter) => {
        const paths = agentPaths(root);
        const clock = new FakeClock(START);
        const updates: EngineUpdate[] = [];
        const engine = createEngine({ config: structuredClone(DEFAULT_CONFIG), now: clock.now, timers: clock, emit: () => {}, onEvaluated: (u) => updates.push(u) });
        engine.evaluate({ initial: true });
        order.forEach((entry, i) => {
          engine.put(readEntryFile(paths, join(root, entry.path), 'current')!);
          if (evaluateAfter[i]) engine.evaluate();
        });
        engine.evaluate();
        engine.close();
        const all = updates.flatMap((u) => u.added.map((e) => e.file));
        if (all.length !== entries.length || new Set(all).size !== entries.length) return false;
        return updates.every((u) => u.added.every((e, i) => i === 0 || compareEntries(u.added[i - 1]!, e) < 0));
      }),
      { numRuns: 100 },
    );
  });
});
