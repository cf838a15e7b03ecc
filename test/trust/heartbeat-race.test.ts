/**
 * A heartbeat cannot resurrect an entry that cos archive moved meanwhile: the move of an open
 * entry holds the entry's lock, and a heartbeat re-reads the file under that lock — it finds the
 * entry gone and says so, instead of renaming a refreshed copy back into current/.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heartbeat } from '../../src/store/heartbeat.js';
import { withLock } from '../../src/store/lock.js';
import { readStore } from '../../src/store/read.js';
import { postEntry } from '../../src/store/write.js';
import { testdir } from '../helpers/tmp.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 10, 8, minutes, 0));

describe('heartbeat vs archive', () => {
  it('an entry moved while the heartbeat waits for its lock stays moved: one sentence, no copy back in current/', async () => {
    const root = testdir({ '.agent/status/current/.gitkeep': '' });
    const open = postEntry(root, { sprint: 'alpha', agent: 'dev', status: 'IN_PROGRESS', now: at(0) });
    const path = join(root, open.path);
    const dest = join(root, '.agent/status/archive/alpha', open.file);
    let beat: Promise<unknown> | undefined;
    await withLock(path, async () => {
      // The heartbeat has read the snapshot (the entry is in current/) and now waits for the lock.
      beat = heartbeat(root, { sprint: 'alpha', agent: 'dev', now: at(10) }).catch((error: Error) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // What cos archive does under this lock.
      mkdirSync(join(root, '.agent/status/archive/alpha'), { recursive: true });
      renameSync(path, dest);
    });
    const outcome = await beat;
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toBe(`${open.path} was moved or removed while heartbeating (archived?); run cos heartbeat again.`);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(dest, 'utf8')).toMatch(/^heartbeat: 2026-01-10T08:00:00Z$/m);
    expect(readStore(root).entries.map((e) => e.path)).toEqual([`.agent/status/archive/alpha/${open.file}`]);
  });
});
