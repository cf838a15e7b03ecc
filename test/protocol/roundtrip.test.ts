/**
 * Round trip: every valid entry serializes, parses and serializes again to identical bytes, with
 * every field (unknown ones included) read back as written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryFields, parseEntry, serializeEntry, validateFields } from '../../src/protocol/entry.js';
import { KEY_ORDER, SEVERITIES, STATUSES, type EntryFields } from '../../src/protocol/fields.js';
import { entryFileName } from '../../src/protocol/filename.js';
import { isoSeconds } from '../../src/protocol/time.js';

const AWKWARD = [
  '', ' ', '  leading', 'trailing ', 'a: b', 'key: value # not a comment', '#hash', '# whole', '"quoted"', "'single'", 'it\'s', '\\back\\slash',
  'true', 'false', 'null', 'Null', '~', 'yes', 'no', 'on', '0', '-0', '007', '1.5', '1e3', '.inf', '.nan', '0x1F', '2026-01-14', '2026-01-14T04:30:00Z',
  '---', '--- js', '...', '- item', '? q', '[a, b]', '{a: 1}', '&anchor', '*alias', '!tag', '%YAML', '@at', '`tick`', '|', '>', 'a\nb', 'line\n---\nnext',
  '\n', '\r\n', 'tab\there', 'ünïcödé', '日本語', '💥 emoji', '\u2028', '\u0085', '\ufeff', '\u00a0nbsp', 'café: ok', '~/.claude', '/abs',
];
const awkward = fc.oneof(
  fc.constantFrom(...AWKWARD),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const slug = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,63}$/);
const time = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map(isoSeconds);
const fileName = fc.tuple(fc.integer({ min: 1, max: 99_999 }), time, slug).map(([seq, ts, agent]) => entryFileName(seq, ts, agent));
const fileList = fc.oneof(fileName, fc.array(fileName, { minLength: 1, maxLength: 3 }));
const KNOWN = new Set<string>(KEY_ORDER);
const extraKey = fc.oneof(
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/),
  fc.constantFrom('true', 'null', 'a b', 'x: y', '#c', '__proto__', 'constructor', 'file', 'seq', '10', 'ÿ', ''),
  fc.string({ maxLength: 8 }),
).filter((key) => !KNOWN.has(key));
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    awkward,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...AWKWARD)), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const fields: fc.Arbitrary<EntryFields> = fc
  .record(
    {
      timestamp: time,
      sprint: slug,
      agent: slug,
      status: fc.constantFrom(...STATUSES),
      severity: fc.constantFrom(...SEVERITIES),
      heartbeat: time,
      ttl_minutes: fc.integer({ min: 1, max: 525_600 }),
      phase: awkward,
      title: awkward,
      role: awkward,
      error: awkward,
      verifies: fileName,
      supersedes: fileList,
      resolves: fileList,
      cost_usd: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 10_000 })),
      extra: fc.dictionary(extraKey, jsonish, { maxKeys: 4 }),
    },
    { requiredKeys: ['timestamp', 'sprint', 'agent', 'status', 'severity', 'heartbeat', 'ttl_minutes', 'extra'] },
  )
  .map((record) => record as EntryFields);

/** What JSON would carry: -0 becomes 0, as YAML writes it. */
const normal = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('round trip', () => {
  it('property: serialize → parse → serialize gives identical bytes and the same fields', () => {
    fc.assert(
      fc.property(fields, fc.integer({ min: 1, max: 1_000_000 }), awkward, (input, seq, body) => {
        const file = entryFileName(seq, input.timestamp, input.agent);
        const text = serializeEntry(input, body);
        const parsed = parseEntry(text, { file, path: `.agent/status/current/${file}`, location: 'current' });
        if (!parsed.ok) throw new Error(`${parsed.reason}\n${text}`);
        expect(parsed.entry.body).toBe(body);
        expect(parsed.entry.seq).toBe(seq);
        const again = entryFields(parsed.entry);
        expect(serializeEntry(again, parsed.entry.body)).toBe(text);
        expect(normal(again)).toEqual(normal(input));
        for (const key of Object.keys(input.extra)) expect(Object.getOwnPropertyNames(again.extra)).toContain(key);
      }),
      { numRuns: 1500 },
    );
  });

  it('writes cos-shaped entries as flat key: value lines in the protocol order', () => {
    const text = serializeEntry(
      { timestamp: '2026-01-14T04:30:00Z', sprint: 's', agent: 'dev', status: 'COMPLETE', severity: 'INFO', heartbeat: '2026-01-14T04:30:00Z', ttl_minutes: 30, title: 'Results: wiring', extra: { zeta: 'true', alpha: 1 } },
      'Body\n',
    );
    expect(text).toBe(
      '---\ntimestamp: 2026-01-14T04:30:00Z\nsprint: s\nagent: dev\nstatus: COMPLETE\nseverity: INFO\nheartbeat: 2026-01-14T04:30:00Z\nttl_minutes: 30\ntitle: "Results: wiring"\nzeta: "true"\nalpha: 1\n---\nBody\n',
    );
  });

  it('validates every rule of the protocol', () => {
    const base = { timestamp: '2026-01-14T04:30:00Z', sprint: 's', agent: 'dev', status: 'IN_PROGRESS', severity: 'INFO', heartbeat: '2026-01-14T04:30:00Z', ttl_minutes: 30 };
    expect(validateFields(base).ok).toBe(true);
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...base, timestamp: undefined }, /missing required field timestamp/],
      [{ ...base, heartbeat: '2026-01-14 04:30' }, /heartbeat/],
      [{ ...base, timestamp: '2026-13-45T99:99:99Z' }, /timestamp/],
      [{ ...base, sprint: '../x' }, /sprint/],
      [{ ...base, agent: 'A B' }, /agent/],
      [{ ...base, status: 'DONE' }, /status "DONE"/],
      [{ ...base, severity: 'LOW' }, /severity/],
      [{ ...base, ttl_minutes: 0 }, /ttl_minutes/],
      [{ ...base, ttl_minutes: '30' }, /ttl_minutes/],
      [{ ...base, title: 42 }, /title must be text/],
      [{ ...base, supersedes: [1] }, /supersedes/],
      [{ ...base, cost_usd: -1 }, /cost_usd/],
    ];
    for (const [data, reason] of bad) {
      const result = validateFields(data);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    }
    const where = { file: '001-2026-01-14T04-30-00Z-other.md', path: 'x', location: 'current' as const };
    const mismatch = parseEntry(serializeEntry({ ...(base as unknown as EntryFields), extra: {} }, ''), where);
    expect(mismatch.ok).toBe(false);
    const badName = parseEntry('---\n---\n', { ...where, file: 'notes.md' });
    expect(badName.ok).toBe(false);
  });
});
