/** The spawner's pure choice: which READY sprints to start, given the ledger and the sprints held. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReadyQueue } from '../../src/plans/ready.js';
import type { Entry, Status } from '../../src/protocol/fields.js';
import { deriveSprints } from '../../src/state/lifecycle.js';
import { heldBySpawned, spawnAgent, toSpawn, type SpawnRecord } from '../../src/watch/spawn.js';

const NOW = new Date('2026-01-14T05:00:00Z');
let seq = 0;
function entry(sprint: string, agent: string, status: Status): Entry {
  seq++;
  const ts = '2026-01-14T04:30:00Z';
  const file = `${String(seq).padStart(3, '0')}-2026-01-14T04-30-00Z-${agent}.md`;
  return { timestamp: ts, sprint, agent, status, severity: 'INFO', heartbeat: ts, ttl_minutes: 30, extra: {}, file, path: `.agent/status/current/${file}`, seq, location: 'current', body: '' };
}

const SPRINTS = ['s0', 's1', 's2', 's3', 's4', 's5'];
const record = (sprint: string): SpawnRecord => ({ sprint, role: 'developer', agent: spawnAgent('developer', sprint), plan: 'p', entry: '', pid: 1, at: '', log: '' });

describe('toSpawn', () => {
  it('never picks a sprint of the ledger, never more than the free slots, in queue order', () => {
    fc.assert(
      fc.property(
        fc.subarray(SPRINTS),
        fc.subarray(SPRINTS),
        fc.array(fc.constantFrom<Status>('DISPATCHED', 'IN_PROGRESS', 'BLOCKED', 'COMPLETE', 'FAILED'), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (readySprints, spawned, statuses, max) => {
          const records = spawned.map(record);
          // A spawned sprint has its agent's latest entry; one not yet read counts as held too.
          const entries = spawned.filter((_, i) => i % 3 !== 2).map((sprint, i) => entry(sprint, spawnAgent('developer', sprint), statuses[i]!));
          const sprints = deriveSprints(entries, NOW);
          const queue: ReadyQueue = { ready: readySprints.map((sprint) => ({ sprint, role: 'developer', plan: 'p', title: sprint })), waiting: [] };
          const held = heldBySpawned(records, sprints);
          const picked = toSpawn(queue, records, sprints, max).map((item) => item.sprint);
          expect(picked.every((sprint) => !spawned.includes(sprint))).toBe(true);
          expect(held.length + picked.length).toBeLessThanOrEqual(Math.max(max, held.length));
          expect(picked).toEqual(readySprints.filter((sprint) => !spawned.includes(sprint)).slice(0, Math.max(0, max - held.length)));
          for (const sprint of held) {
            const agent = sprints.find((s) => s.sprint === sprint)?.agents[0];
            expect(agent === undefined || ['DISPATCHED', 'IN_PROGRESS', 'BLOCKED'].includes(agent.status)).toBe(true);
          }
        },
      ),
    );
  });

  it('names spawned agents <role>-<sprint>, cut to a slug', () => {
    expect(spawnAgent('developer', 'results-api')).toBe('developer-results-api');
    expect(spawnAgent('developer', 'x'.repeat(70))).toHaveLength(64);
  });
});
