/** The pure parts: config resolution, the rate limiter (fake clock), the mapping, schema diffing, log lines. */
import { describe, expect, it } from 'vitest';
import { resolveNotionConfig, readToken } from '../../src/notion/config.js';
import { createRateLimiter } from '../../src/notion/ratelimit.js';
import { FIELDS, hashValues, notionProperties, sprintValues } from '../../src/notion/mapping.js';
import { compareSchema, setupPatch } from '../../src/notion/schema.js';
import { classify } from '../../src/notion/client.js';
import { formatLogLine, redact } from '../../src/notion/log.js';
import { planSync } from '../../src/notion/sync.js';
import type { DataSourceInfo, SchemaProperty } from '../../src/notion/client.js';
import { deriveSprints } from '../../src/state/lifecycle.js';
import type { Entry } from '../../src/protocol/fields.js';

const FILE = '.agent/config/notion-sync.yaml';

describe('resolveNotionConfig', () => {
  it('fills defaults', () => {
    const { config, warnings } = resolveNotionConfig({ database_id: 'abc-123' }, FILE);
    expect(config).toMatchObject({ database_id: 'abc-123', data_source_id: null, token_env: 'NOTION_TOKEN', rate_per_second: 3, burst: 3, concurrency: 3, max_retries: 4 });
    expect(config.properties).toEqual(Object.fromEntries(FIELDS.map((f) => [f.field, f.name])));
    expect(warnings).toEqual([]);
  });

  it.each([
    [{}, /not configured: set database_id in \.agent\/config\/notion-sync\.yaml/],
    [{ database_id: 'has space' }, /"database_id" is "has space" but must be the 32-character id/],
    [{ database_id: 'a', token_env: 'secret_abc def' }, /"token_env" is "secret_abc def" but .*never the token itself/],
    [{ database_id: 'a', rate_per_second: 0 }, /"rate_per_second" is 0 but must be a number from 0.01 to 1000/],
    [{ database_id: 'a', burst: 1.5 }, /"burst" is 1.5 but must be a whole number/],
    [{ database_id: 'a', properties: { sprint: null } }, /"properties\.sprint" cannot be turned off/],
    [{ database_id: 'a', properties: { nope: 'X' } }, /"properties\.nope" is not a field cos syncs/],
    [{ database_id: 'a', properties: { state: 'Name' } }, /maps to "Name", which properties\.sprint uses too/],
    [{ database_id: 'a', properties: ['x'] }, /"properties" is \["x"\] but must be a mapping/],
    ['text', /must be a mapping of keys/],
  ])('refuses %j naming the file and key', (raw, message) => {
    expect(() => resolveNotionConfig(raw, FILE)).toThrow(message);
    try {
      resolveNotionConfig(raw, FILE);
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(1);
      expect((error as Error).message).toContain(FILE);
    }
  });

  it('warns about unknown keys and turns fields off with null', () => {
    const { config, warnings } = resolveNotionConfig({ database_id: 'a', colour: 'red', properties: { failures: null, state: 'Stage' } }, FILE);
    expect(warnings).toEqual([expect.stringMatching(/unknown key "colour"/)]);
    expect(config.properties.failures).toBeUndefined();
    expect(config.properties.state).toBe('Stage');
  });

  it('reads the token from the named variable, naming it when unset', () => {
    const { config } = resolveNotionConfig({ database_id: 'a', token_env: 'NOTION_MINE' }, FILE);
    expect(readToken(config, { NOTION_MINE: ' secret_1 ' })).toBe('secret_1');
    expect(() => readToken(config, {})).toThrow(/set the environment variable NOTION_MINE/);
    expect(readToken(resolveNotionConfig({ database_id: 'a', token_env: 'COS_NOTION' }, FILE).config, { COS_NOTION: 'secret_2' })).toBe('secret_2');
  });

  it('reads the token only from a NOTION_ or COS_ variable: a committed token_env: GITHUB_TOKEN is one sentence', () => {
    for (const name of ['GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'MY_NOTION', 'notion_token', 'HOME']) {
      expect(() => resolveNotionConfig({ database_id: 'a', token_env: name }, FILE)).toThrow(
        new RegExp(`^${FILE.replace(/[.]/g, '\\.')}: "token_env" is "${name}" but must name an environment variable whose name starts with NOTION_ or COS_ \\(cos reads the Notion token only from one\\), e\\.g\\. token_env: NOTION_TOKEN\\.$`),
      );
    }
    // A config built some other way is refused when the token is read, before the variable is.
    expect(() => readToken({ ...resolveNotionConfig({ database_id: 'a' }, FILE).config, token_env: 'GITHUB_TOKEN' }, { GITHUB_TOKEN: 'ghp_x' })).toThrow(/only from an environment variable whose name starts with NOTION_ or COS_/);
  });

  it('refuses a token no Authorization header can carry, without echoing it', () => {
    const { config } = resolveNotionConfig({ database_id: 'a', token_env: 'NOTION_MINE' }, FILE);
    for (const token of ['secret_line1\nline2xyz', 'secret_two words', 'secret_\u20acuro1234', 'secret_abc\u0001def']) {
      let message = '';
      try {
        readToken(config, { NOTION_MINE: token });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^The Notion token in the environment variable NOTION_MINE holds a space, line break or other character/);
      expect(message).not.toContain('secret_');
    }
  });
});

describe('createRateLimiter (fake clock)', () => {
  function fake() {
    let t = 1_000_000;
    const sent: number[] = [];
    return {
      now: () => t,
      sleep: async (ms: number) => {
        t += Math.max(0, ms);
      },
      sent,
      at: () => t,
    };
  }

  it('lets a burst through, then one request per interval: never above the average', async () => {
    const clock = fake();
    const limiter = createRateLimiter({ rate: 3, burst: 3, now: clock.now, sleep: clock.sleep });
    const start = clock.at();
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      await limiter.acquire();
      times.push(clock.at() - start);
    }
    for (const t of times.slice(0, 3)) expect(t).toBeCloseTo(0, 6);
    expect(times[3]).toBeCloseTo(333.33, 1);
    // Any window of w ms holds at most burst + w * rate requests.
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) expect(j - i + 1).toBeLessThanOrEqual(3 + ((times[j]! - times[i]!) / 1000) * 3 + 1e-9);
    }
    expect(times[29]).toBeCloseTo((29 - 2) * (1000 / 3), 0);
  });

  it('pauses every request for Retry-After', async () => {
    const clock = fake();
    const limiter = createRateLimiter({ rate: 100, burst: 5, now: clock.now, sleep: clock.sleep });
    await limiter.acquire();
    limiter.pause(2_000);
    const before = clock.at();
    await limiter.acquire();
    expect(clock.at() - before).toBeGreaterThanOrEqual(2_000);
  });
});

function entry(seq: number, sprint: string, agent: string, status: Entry['status'], severity: Entry['severity'] = 'INFO'): Entry {
  const timestamp = new Date(Date.UTC(2026, 0, 14, 3, seq)).toISOString().replace('.000Z', 'Z');
  const file = `${String(seq).padStart(3, '0')}-${timestamp.replace(/:/g, '-')}-${agent}.md`;
  return { timestamp, sprint, agent, status, severity, heartbeat: timestamp, ttl_minutes: 30, extra: {}, file, path: `.agent/status/current/${file}`, seq, location: 'current', body: '' };
}

describe('mapping', () => {
  const entries = [
    entry(1, 'alpha', 'developer', 'IN_PROGRESS'),
    entry(2, 'alpha', 'developer', 'FAILED', 'WARN'),
    entry(3, 'alpha', 'developer', 'COMPLETE'),
    entry(4, 'alpha', 'qa', 'VERIFIED'),
  ];
  const [sprint] = deriveSprints(entries, new Date('2026-01-14T05:00:00Z'));

  it('derives the values from the entries', () => {
    // Severity is the highest open finding, given by the caller (cos scan's); none here.
    expect(sprintValues(sprint!, 'WARN').severity).toBe('WARN');
    expect(sprintValues(sprint!)).toEqual({
      sprint: 'alpha',
      state: 'VERIFIED',
      severity: null,
      agents: ['developer', 'qa'],
      updated: entries[3]!.timestamp,
      completed_at: entries[2]!.timestamp,
      verified_at: entries[3]!.timestamp,
      latest_entry: entries[3]!.file,
      entries: 4,
      failures: 1,
    });
  });

  it('hashes values and names, not the clock', () => {
    const props = resolveNotionConfig({ database_id: 'a' }, FILE).config.properties;
    const later = deriveSprints(entries, new Date('2027-01-01T00:00:00Z'))[0]!;
    expect(hashValues(sprintValues(later), props)).toBe(hashValues(sprintValues(sprint!), props));
    expect(hashValues(sprintValues(sprint!), { ...props, state: 'Stage' })).not.toBe(hashValues(sprintValues(sprint!), props));
  });

  it('encodes each type as Notion expects, following the actual property type', () => {
    const props = resolveNotionConfig({ database_id: 'a' }, FILE).config.properties;
    const out = notionProperties(sprintValues(sprint!), props, new Map([['Status', 'status']]));
    expect(out.Name).toEqual({ title: [{ type: 'text', text: { content: 'alpha' } }] });
    expect(out.Status).toEqual({ status: { name: 'VERIFIED' } });
    expect(out.Severity).toEqual({ select: null });
    expect(out.Agents).toEqual({ multi_select: [{ name: 'developer' }, { name: 'qa' }] });
    expect(out['Completed at']).toEqual({ date: { start: entries[2]!.timestamp } });
    expect(out.Entries).toEqual({ number: 4 });
    expect(out['Latest entry']).toEqual({ rich_text: [{ type: 'text', text: { content: entries[3]!.file } }] });
  });

  it('plans only the sprints whose hash differs from the ledger', () => {
    const props = resolveNotionConfig({ database_id: 'a' }, FILE).config.properties;
    const sprints = deriveSprints([...entries, entry(5, 'beta', 'developer', 'DISPATCHED')], new Date());
    const alpha = sprints.find((s) => s.sprint === 'alpha')!;
    const ledger = { version: 1 as const, database_id: 'a', data_source_id: null, sprints: { alpha: { page_id: 'p', hash: hashValues(sprintValues(alpha), props), synced_at: '', finished: [] } } };
    const plan = planSync(sprints, ledger, props);
    expect(plan.unchanged).toBe(1);
    expect(plan.due.map((d) => d.sprint)).toEqual(['beta']);
  });
});

function schema(props: Array<[string, string, string[]?]>): DataSourceInfo {
  const properties = new Map<string, SchemaProperty>();
  for (const [name, type, options = []] of props) properties.set(name, { id: name, name, type, options, rawOptions: options.map((o) => ({ id: `id-${o}`, name: o })) });
  return { id: 'ds', title: 'Sprints', properties };
}

describe('compareSchema and setupPatch', () => {
  const props = resolveNotionConfig({ database_id: 'a' }, FILE).config.properties;

  it('lists missing, mistyped and option problems with their fixes; the patch keeps existing options', () => {
    const ds = schema([
      ['Title', 'title'],
      ['Status', 'select', ['COMPLETE', 'Mine']],
      ['Severity', 'checkbox'],
    ]);
    const problems = compareSchema(ds, props);
    const byProperty = Object.fromEntries(problems.map((p) => [p.property, p]));
    expect(byProperty.Name).toMatchObject({ kind: 'title-name', fixable: true });
    expect(byProperty.Status).toMatchObject({ kind: 'missing-options', options: ['WAITING', 'READY', 'DISPATCHED', 'IN_PROGRESS', 'STALE', 'BLOCKED', 'FAILED', 'VERIFIED'] });
    expect(byProperty.Severity).toMatchObject({ kind: 'mistyped', actual: 'checkbox', fixable: false });
    expect(byProperty.Agents).toMatchObject({ kind: 'missing', fixable: true });
    const patch = setupPatch(ds, problems)!;
    expect(patch.Title).toEqual({ name: 'Name' });
    expect(patch.Severity).toBeUndefined();
    expect(patch.Agents).toEqual({ multi_select: { options: [] } });
    expect((patch.Status as { select: { options: Array<{ name: string }> } }).select.options.map((o) => o.name)).toEqual([
      'COMPLETE',
      'Mine',
      'WAITING',
      'READY',
      'DISPATCHED',
      'IN_PROGRESS',
      'STALE',
      'BLOCKED',
      'FAILED',
      'VERIFIED',
    ]);
  });

  it('nothing to do on a complete schema', () => {
    const ds = schema(
      FIELDS.map((f): [string, string, string[]?] => [f.name, f.type, 'options' in f ? [...f.options] : undefined]),
    );
    expect(compareSchema(ds, props)).toEqual([]);
    expect(setupPatch(ds, [])).toBeNull();
  });
});

describe('classify and the log', () => {
  it('sorts errors into retryable, ambiguous and global', () => {
    expect(classify({ status: 429, code: 'rate_limited', message: 'slow down', headers: { 'retry-after': '2' } })).toMatchObject({ retryable: true, ambiguous: false, retryAfterMs: 2000 });
    expect(classify({ status: 502, code: 'notionhq_client_response_error', message: 'x' })).toMatchObject({ code: 'http_502', retryable: true, ambiguous: true, global: true });
    expect(classify({ status: 400, code: 'validation_error', message: 'bad' })).toMatchObject({ retryable: false, global: false });
    expect(classify({ status: 401, code: 'unauthorized', message: 'no' })).toMatchObject({ retryable: false, global: true });
    expect(classify(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toMatchObject({ code: 'timeout', retryable: true, ambiguous: true });
    expect(classify(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }))).toMatchObject({ code: 'network_error', message: 'cannot reach Notion (ECONNREFUSED)' });
  });

  it('writes one line per failure and never the token', () => {
    const line = formatLogLine({ at: new Date('2026-01-14T04:30:00Z'), sprint: 'alpha', code: 'unauthorized', message: 'bad\ntoken secret_123456' });
    expect(line).toBe('2026-01-14T04:30:00Z alpha unauthorized bad token secret_123456\n');
    expect(redact(line, 'secret_123456')).toBe('2026-01-14T04:30:00Z alpha unauthorized bad token [redacted]\n');
  });
});
