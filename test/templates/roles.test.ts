/** The seeded role files: one front matter layout rendered from each role's declaration, unchanged bytes, read back as declared. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRole } from '../../src/protocol/role.js';
import { ROLE_FILES, SEED_ROLES } from '../../src/templates/roles.js';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

/**
 * The sha256 of each file as `cos init` wrote it before the front matter was rendered from one
 * declaration (each role had been written out by hand). A deliberate change to a template changes
 * its line here in the same commit.
 */
const WRITTEN = {
  'chief-of-staff': '1cb936419c80c354bb61220b1c13b20ae2f0cf495c236e0a5be2cece47a8b0de',
  sprintmaster: '8728a1eeb855c536173c36cd3e966b9cdbd272c7d3342e1b9aadf4732d9ca24a',
  developer: '03cfbdbbefcab09129b185af5b99cbdef46a7fda539a1e31b7e13389e49b52d6',
  'qa-reviewer': '01f880c01863f55b743a9fde6ae60f22747995360740ae46f6706125bc16a461',
  'mine-sweeper': '1ba70384bd1c0bc5be1aed1d1b4fed02debae67c31cf07c138ff0f0321adeb85',
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('seeded role templates', () => {
  it('cos init writes the five role files with the same bytes as the hand-written templates had', async () => {
    const root = testdir();
    expect((await cos(['init', '--dir', root])).code).toBe(0);
    const dir = join(root, '.agent', 'roles');
    expect(readdirSync(dir).sort()).toEqual(Object.keys(WRITTEN).map((name) => `${name}.md`).sort());
    for (const [name, hash] of Object.entries(WRITTEN)) {
      const text = readFileSync(join(dir, `${name}.md`), 'utf8');
      expect(text).toBe(ROLE_FILES[name]);
      expect(sha256(text), name).toBe(hash);
    }
  });

  it('each rendered file reads back (protocol/role.ts) as exactly the role it was rendered from', () => {
    for (const [name, seed] of Object.entries(SEED_ROLES)) {
      const parsed = parseRole(ROLE_FILES[name]!, name);
      if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
      expect(parsed.role).toEqual({
        name,
        title: seed.title,
        model: seed.model,
        ttl_minutes: seed.ttl_minutes,
        requires: seed.requires,
        standing_orders: seed.standing_orders,
        escalation_triggers: seed.escalation_triggers,
        prose: `# ${seed.title}\n\n${seed.briefing}`,
        extra: {},
      });
    }
  });
});
