/** Glob overlap (leases/overlap.ts): examples, and a property against picomatch itself. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leaseGlobs, leasesCovering, liveLeases, matches, normalisePattern, overlappingLeases, type Lease } from '../../src/leases/leases.js';
import { expandBraces, globsOverlap } from '../../src/leases/overlap.js';
import type { Entry } from '../../src/protocol/fields.js';

describe('globsOverlap', () => {
  const cases: Array<[string, string, boolean]> = [
    ['src/**', 'src/api/**', true],
    ['src/**', 'src', true],
    ['src/api/*.ts', 'src/*/index.ts', true],
    ['src/*.ts', 'src/foo*', true],
    ['**/*.md', 'docs/guide.md', true],
    ['docs/**', 'src/**', false],
    ['src/*.ts', 'src/*.js', false],
    ['src/a/*', 'src/b/*', false],
    ['src/*', 'src/a/b', false],
    ['src/{api,web}/**', 'src/web/x.ts', true],
    ['src/{api,web}/**', 'src/cli/x.ts', false],
    ['file[0-9].txt', 'file5.txt', true],
    ['file[0-9].txt', 'filex.txt', false],
    ['README.md', 'README.md', true],
    ['README.md', 'readme.md', false],
    ['**', 'anything/at/all', true],
  ];
  for (const [a, b, want] of cases) {
    it(`${a} ∩ ${b}: ${want ? 'overlap' : 'disjoint'}`, () => {
      expect(globsOverlap(a, b)).toBe(want);
      expect(globsOverlap(b, a)).toBe(want);
    });
  }

  it('expands braces', () => {
    expect(expandBraces('a/{b,c}/{d,e}')).toEqual(['a/b/d', 'a/b/e', 'a/c/d', 'a/c/e']);
    expect(expandBraces('x{y}')).toEqual(['x{y}']);
  });

  it('never says disjoint when picomatch matches one path with both (property)', () => {
    const segment = fc.constantFrom('a', 'b', 'ab', '*', 'a*', '*b', '?', 'a?', '[ab]', '**', 'x.ts', '*.ts');
    const pattern = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
    const pathSegment = fc.constantFrom('a', 'b', 'ab', 'ba', 'x.ts', 'aa', 'abb');
    const path = fc.array(pathSegment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));
    fc.assert(
      fc.property(pattern, pattern, path, (a, b, p) => {
        if (matches(a, p) && matches(b, p)) expect(globsOverlap(a, b)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

function note(seq: number, agent: string, at: string, fields: Partial<Entry>): Entry {
  const file = `${String(seq).padStart(3, '0')}-${at.replace(/:/g, '-')}-${agent}.md`;
  return { timestamp: at, heartbeat: at, sprint: 's', agent, status: 'NOTE', severity: 'INFO', ttl_minutes: 30, extra: {}, file, path: `.agent/status/current/${file}`, seq, location: 'current', body: '', ...fields } as Entry;
}

describe('liveLeases', () => {
  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  it('a lease lives until released, or past the latest heartbeat + ttl; heartbeats refresh it', () => {
    const entries = [
      note(1, 'dev', at(0), { lease: ['src/**', 'docs/**'] }),
      note(2, 'dev', at(5), { status: 'IN_PROGRESS' } as Partial<Entry>),
      note(3, 'dev', at(10), { releases: ['docs/**'] }),
    ];
    const now = (m: number) => new Date(Date.UTC(2026, 0, 1, 12, m));
    expect(liveLeases(entries, now(20)).map((l) => l.pattern)).toEqual(['src/**']);
    // The latest heartbeat (minute 10) + 30 min ttl = minute 40.
    expect(liveLeases(entries, now(40)).map((l) => l.until)).toEqual([at(40)]);
    expect(liveLeases(entries, now(41))).toEqual([]);
    // Another agent's heartbeat does not refresh dev's lease.
    expect(liveLeases([...entries, note(4, 'qa', at(39), { status: 'IN_PROGRESS' } as Partial<Entry>)], now(41))).toEqual([]);
  });

  it('a lapsed lease stays lapsed: a later heartbeat of another entry (an in-place rewrite) cannot revive it', () => {
    const entries = [
      note(1, 'backend', at(0), { status: 'IN_PROGRESS', heartbeat: at(5) } as Partial<Entry>),
      note(2, 'backend', at(1), { lease: ['src/**'], ttl_minutes: 1 }),
    ];
    const now = (m: number) => new Date(Date.UTC(2026, 0, 1, 12, m));
    expect(liveLeases(entries, new Date(Date.UTC(2026, 0, 1, 12, 1, 30))).map((l) => l.until)).toEqual([at(2)]);
    // The IN_PROGRESS entry's heartbeat moved to minute 5, after the lease ran out at minute 2.
    expect(liveLeases(entries, now(5))).toEqual([]);
    // An entry the agent creates while the lease is live extends it; one created after it lapsed does not.
    expect(liveLeases([...entries, note(3, 'backend', at(2), { status: 'IN_PROGRESS' } as Partial<Entry>)], now(3)).map((l) => l.until)).toEqual([at(3)]);
    expect(liveLeases([...entries, note(3, 'backend', at(4), { status: 'IN_PROGRESS' } as Partial<Entry>)], now(4))).toEqual([]);
    // The lease NOTE's own heartbeat (refreshed by cos heartbeat while live) keeps it.
    expect(liveLeases([entries[0]!, { ...entries[1]!, heartbeat: at(4) }], now(5)).map((l) => l.until)).toEqual([at(5)]);
  });

  it('property: the heartbeats of entries other than lease NOTEs never decide a lease, and a lapsed lease never comes back', () => {
    const minute = fc.integer({ min: 0, max: 60 });
    const kind = fc.constantFrom('IN_PROGRESS', 'lease', 'release', 'NOTE');
    const event = fc.record({ agent: fc.constantFrom('a', 'b'), kind, at: minute, beat: minute, ttl: fc.integer({ min: 1, max: 20 }) });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), minute, minute, (events, later, beatShift) => {
        const sorted = [...events].sort((x, y) => x.at - y.at);
        const entries = sorted.map((e, i) =>
          note(i + 1, e.agent, at(e.at), {
            ttl_minutes: e.ttl,
            ...(e.kind === 'IN_PROGRESS' ? { status: 'IN_PROGRESS', heartbeat: at(Math.max(e.at, e.beat)) } : {}),
            ...(e.kind === 'lease' ? { lease: ['src/**'] } : {}),
            ...(e.kind === 'release' ? { releases: ['src/**'] } : {}),
          } as Partial<Entry>),
        );
        const now = (m: number) => new Date(Date.UTC(2026, 0, 1, 12, m));
        const end = Math.max(0, ...sorted.map((e) => e.at));
        const t = end + later;
        const shifted = entries.map((entry, i) => (entry.status === 'NOTE' ? entry : { ...entry, heartbeat: at(sorted[i]!.at + beatShift) }));
        expect(liveLeases(shifted, now(t))).toEqual(liveLeases(entries, now(t)));
        // Once a lease is not live at t, it is not live at any later time with no new entry.
        if (liveLeases(entries, now(t)).length === 0) expect(liveLeases(entries, now(t + later + 1))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});


describe('a lease pattern without glob syntax covers the path and everything under it', () => {
  const lease = (pattern: string): Lease => ({ pattern, sprint: 's', agent: 'holder', file: 'x.md', path: '.agent/status/current/x.md', until: '2099-01-01T00:00:00Z' });
  const segment = fc.constantFrom('src', 'auth', 'authz', 'a', 'login.ts', 'x.md', '.env');

  it('property: a path is covered exactly when it is the leased path or lies under it; overlap agrees', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.array(segment, { minLength: 1, maxLength: 4 }), (leased, path) => {
        const pattern = leased.join('/');
        const file = path.join('/');
        const under = file === pattern || file.startsWith(`${pattern}/`);
        expect(leasesCovering([lease(pattern)], file, 'someone-else').length === 1).toBe(under);
        expect(leaseGlobs(pattern)).toEqual([pattern, `${pattern}/**`]);
        // Whatever another agent leases that names a covered path is an overlap (never missed).
        if (under) expect(overlappingLeases([lease(pattern)], 'someone-else', file)).toHaveLength(1);
      }),
      { numRuns: 500 },
    );
  });

  it('a glob means what it says; a trailing slash names the directory', () => {
    expect(leaseGlobs('src/auth/*')).toEqual(['src/auth/*']);
    expect(normalisePattern('./src/auth/')).toBe('src/auth');
    expect(leasesCovering([lease('src/auth/*')], 'src/auth/deep/x.ts', null)).toEqual([]);
    expect(overlappingLeases([lease('src/auth')], 'other', 'src/authz/**')).toEqual([]);
    expect(overlappingLeases([lease('src/auth')], 'other', 'src/*/login.ts')).toHaveLength(1);
  });
});
