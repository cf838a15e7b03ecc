/**
 * docs/protocol.md describes the entry fields in a table and lists the order cos writes them in:
 * both are checked against the one declaration (FIELDS), as the README's API section is checked
 * against the exports, so the page cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELDS, KEY_ORDER } from '../../src/protocol/fields.js';
import { MAX_TTL_MINUTES } from '../../src/protocol/kinds.js';

const PAGE = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

/** The rows of the table headed `| field | required | value |`: [names, required, value]. */
function fieldRows(): Array<{ names: string[]; required: string; value: string }> {
  const start = PAGE.indexOf('| field | required | value |');
  expect(start, 'docs/protocol.md has the field table').toBeGreaterThan(-1);
  const lines = PAGE.slice(start).split('\n');
  const rows = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    const [, names = '', required = '', value = ''] = line.split('|').map((cell) => cell.trim());
    rows.push({ names: [...names.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]!), required, value });
  }
  return rows;
}

describe('docs/protocol.md and FIELDS agree', () => {
  it('the field table names every declared field once, and no other', () => {
    const documented = fieldRows().flatMap((row) => row.names);
    expect([...documented].sort()).toEqual(Object.keys(FIELDS).sort());
  });

  it('its required column is the declaration’s', () => {
    for (const row of fieldRows()) {
      for (const name of row.names) {
        const spec = FIELDS[name as keyof typeof FIELDS] as { required?: boolean };
        expect(row.required, `${name}: required`).toBe(spec.required === true ? 'yes' : 'no');
      }
    }
  });

  it('the ttl row states the cap the kind applies on read and on write', () => {
    const ttl = fieldRows().find((row) => row.names.includes('ttl_minutes'));
    expect(ttl?.value).toContain(MAX_TTL_MINUTES.toLocaleString('en-US'));
    expect(ttl?.value).toMatch(/on read and on write/);
  });

  it('the write order it gives is KEY_ORDER', () => {
    const match = /in the order `([^`]+)`/.exec(PAGE.replace(/\n/g, ' '));
    expect(match, 'docs/protocol.md gives the order fields are written in').not.toBeNull();
    expect(match![1]!.split(/\s+/)).toEqual([...KEY_ORDER]);
  });
});
