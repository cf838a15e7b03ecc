/** coordination.yaml: defaults, unknown keys warned, bad values refused naming the file and key. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config/schema.js';
import { parseYaml } from '../../src/protocol/frontmatter.js';
import { parseRole } from '../../src/protocol/role.js';
import { COORDINATION_YAML } from '../../src/templates/config.js';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const FILE = '.agent/config/coordination.yaml';

describe('resolveConfig', () => {
  it('the file cos init writes is exactly the defaults, with no warning', () => {
    const parsed = parseYaml(COORDINATION_YAML);
    expect(parsed.ok).toBe(true);
    const resolved = resolveConfig(parsed.ok ? parsed.value : null);
    expect(resolved.errors).toEqual([]);
    expect(resolved.warnings).toEqual([]);
    expect(resolved.config).toEqual(DEFAULT_CONFIG);
  });

  it('missing keys take their defaults; given ones win; nested ones merge', () => {
    const resolved = resolveConfig({ ttl_minutes: 45, archive: { max_current: 10 } });
    expect(resolved.errors).toEqual([]);
    expect(resolved.config.ttl_minutes).toBe(45);
    expect(resolved.config.archive).toEqual({ max_current: 10, max_age_days: 7 });
    expect(resolved.config.dispatch.attempt_cap).toBe(3);
    expect(resolveConfig(null).config).toEqual(DEFAULT_CONFIG);
    expect(resolveConfig({ ttl_minutes: null }).config.ttl_minutes).toBe(30);
  });

  it('warns about unknown keys, at any depth, and ignores them', () => {
    const resolved = resolveConfig({ ttl: 5, archive: { max_curent: 3 }, version: 1 });
    expect(resolved.errors).toEqual([]);
    expect(resolved.warnings).toEqual(['unknown key "ttl" is ignored', 'unknown key "archive.max_curent" is ignored']);
    expect(resolved.config).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    [{ version: 2 }, '"version" is 2 but must be 1'],
    [{ ttl_minutes: 'soon' }, `"ttl_minutes" is "soon" but must be a whole number of minutes from 1 to 525600 (a year), as an entry's ttl_minutes`],
    [{ ttl_minutes: 0 }, `"ttl_minutes" is 0 but must be a whole number of minutes from 1 to 525600 (a year), as an entry's ttl_minutes`],
    [{ ttl_minutes: 2.5 }, `"ttl_minutes" is 2.5 but must be a whole number of minutes from 1 to 525600 (a year), as an entry's ttl_minutes`],
    // The entry field's own cap (FIELDS.ttl_minutes): a config above it would make every post fail.
    [{ ttl_minutes: 600000 }, `"ttl_minutes" is 600000 but must be a whole number of minutes from 1 to 525600 (a year), as an entry's ttl_minutes`],
    [{ archive: { max_age_days: -1 } }, '"archive.max_age_days" is -1 but must be a positive number'],
    [{ archive: 50 }, '"archive" is 50 but must be a mapping'],
    [{ guard: { deny: ['force-push', ' '] } }, '"guard.deny" is ["force-push"," "] but must be a list of non-empty strings'],
    [{ guard: { deny: 'force-push' } }, '"guard.deny" is "force-push" but must be a list of non-empty strings'],
    [{ verification: 'maybe' }, '"verification" is "maybe" but must be required or optional'],
    [{ notify: { URGENT: 7 } }, '"notify.URGENT" is 7 but must be a non-empty string'],
    [{ protocol: 1e300 }, '"protocol" is 1e+300 but must be a positive whole number'],
    [{ scan: { fail_on: 'LOUD' } }, '"scan.fail_on" is "LOUD" but must be one of INFO, WARN, URGENT, BLOCKER, never'],
    [{ local_root: '' }, '"local_root" is "" but must be a non-empty string'],
    [{ budget_usd_per_sprint: '10' }, '"budget_usd_per_sprint" is "10" but must be a positive number'],
  ])('refuses %j', (raw, message) => {
    const resolved = resolveConfig(raw);
    expect(resolved.errors).toEqual([message]);
  });

  it('refuses a document that is not a mapping', () => {
    expect(resolveConfig(['a']).errors).toEqual(['the file must be a mapping of keys (e.g. "ttl_minutes: 30")']);
    expect(resolveConfig('text').errors).toHaveLength(1);
  });
});

describe('loadConfig and the commands', () => {
  it('no file: the defaults, and file null', () => {
    expect(loadConfig(testdir())).toEqual({ config: DEFAULT_CONFIG, warnings: [], file: null });
  });

  it('post uses ttl_minutes from the file and warns about unknown keys on stderr', async () => {
    const root = testdir({ [FILE]: 'ttl_minutes: 90\ncolour: blue\n' });
    const result = await cos(['post', '--dir', root, '--sprint', 's', '--agent', 'a', '--status', 'IN_PROGRESS', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).entry.ttl_minutes).toBe(90);
    expect(result.stderr).toBe(`cos post: warning: ${FILE}: unknown key "colour" is ignored\n`);
    const status = await cos(['status', '--dir', root, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).version).toBe(1);
    expect(status.stderr).toBe(`cos status: warning: ${FILE}: unknown key "colour" is ignored\n`);
  });

  it.each([
    ['a bad value', 'ttl_minutes: soon\n', /^cos (post|status): \.agent\/config\/coordination\.yaml: "ttl_minutes" is "soon" but must be a whole number of minutes from 1 to 525600 \(a year\), as an entry's ttl_minutes\.\n$/],
    ['a ttl above the cap', 'ttl_minutes: 600000\n', /^cos (post|status): \.agent\/config\/coordination\.yaml: "ttl_minutes" is 600000 but must be a whole number of minutes from 1 to 525600/],
    [
      'two bad values',
      'ttl_minutes: -1\narchive:\n  max_current: x\n',
      /^cos (post|status): \.agent\/config\/coordination\.yaml: "ttl_minutes" is -1 but must be a whole number of minutes from 1 to 525600 \(a year\), as an entry's ttl_minutes\.\n\.agent\/config\/coordination\.yaml: "archive\.max_current" is "x" but must be a positive whole number\.\n$/,
    ],
    ['broken YAML', 'ttl_minutes: [30\n', /^cos (post|status): \.agent\/config\/coordination\.yaml is not valid YAML: /],
    ['duplicate keys', 'ttl_minutes: 1\nttl_minutes: 2\n', /coordination\.yaml is not valid YAML: Map keys must be unique: "ttl_minutes" appears twice\./],
    ['a list', '- ttl_minutes: 1\n', /coordination\.yaml: the file must be a mapping/],
  ])('%s: post and status exit 1 naming the file and the key, and write nothing', async (what, text, message) => {
    const root = testdir({ [FILE]: text });
    const post = await cos(['post', '--dir', root, '--sprint', 's', '--agent', 'a', '--status', 'IN_PROGRESS']);
    expect(post.code).toBe(1);
    expect(post.stderr).toMatch(message);
    // One line per bad key (two here for 'two bad values'), and never a stack trace.
    expect(post.stderr.trim().split('\n')).toHaveLength(what === 'two bad values' ? 2 : 1);
    expect(post.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(root, '.agent', 'status'))).toBe(false);
    const status = await cos(['status', '--dir', root]);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(message);
    expect(loadConfig.bind(null, root)).toThrow(/coordination\.yaml/);
  });
});

describe('the ttl cap is the entry field’s, wherever a default ttl is set', () => {
  it('coordination.yaml takes the cap itself (525600) and refuses one minute more, naming the file and the key', async () => {
    expect(resolveConfig({ ttl_minutes: 525_600 }).errors).toEqual([]);
    const root = testdir({ [FILE]: 'ttl_minutes: 525601\n' });
    const post = await cos(['post', '--dir', root, '--sprint', 's', '--agent', 'a', '--status', 'IN_PROGRESS']);
    expect(post.code).toBe(1);
    expect(post.stderr).toMatch(/coordination\.yaml: "ttl_minutes" is 525601 but must be a whole number of minutes from 1 to 525600/);
    expect(post.stderr).not.toMatch(/Invalid ttl/);
  });

  it('a role whose ttl_minutes is above the cap is an invalid role file, named by dispatch; nothing is written', async () => {
    const role = (ttl: number) => `---\nrole: developer\ntitle: Developer\nmodel: sonnet\nttl_minutes: ${ttl}\n---\nBuild it.\n`;
    expect(parseRole(role(525_600), 'developer').ok).toBe(true);
    expect(parseRole(role(600_000), 'developer')).toEqual({ ok: false, reason: 'ttl_minutes 600000 is not a whole number of minutes between 1 and 525600' });
    const root = testdir({ '.agent/roles/developer.md': role(600_000), '.agent/status/current/.gitkeep': '' });
    const dispatch = await cos(['dispatch', '--dir', root, 'developer', 'big']);
    expect(dispatch.code).toBe(1);
    expect(dispatch.stderr).toBe('cos dispatch: .agent/roles/developer.md is not a valid role: ttl_minutes 600000 is not a whole number of minutes between 1 and 525600.\n');
    expect(readdirSync(join(root, '.agent/status/current'))).toEqual(['.gitkeep']);
  });
});
