/** Glob overlap (leases/overlap.ts): examples, and a property against picomatch itself. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liveLeases, matches } from '../../src/leases/leases.js';
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
});
