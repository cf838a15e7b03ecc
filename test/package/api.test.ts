/**
 * The README's API section and the package's exports agree, both ways: every runtime export of
 * src/index.ts is listed there, and every name listed there is exported.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function listedNames(): string[] {
  const start = README.indexOf('### API');
  expect(start, 'README.md has an "### API" section').toBeGreaterThan(-1);
  const end = README.indexOf('\n## ', start);
  const table = README.slice(start, end === -1 ? undefined : end).split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| concern'));
  return table.flatMap((line) => [...(line.split('|')[2] ?? '').matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((match) => match[1]!));
}

describe('the public API', () => {
  it('every runtime export is listed in the README API section', () => {
    const listed = new Set(listedNames());
    const missing = Object.keys(api).filter((name) => !listed.has(name));
    expect(missing, `add these exports to README.md "### API": ${missing.join(', ')}`).toEqual([]);
  });

  it('every name the README lists is exported', () => {
    const exported = new Set(Object.keys(api));
    const stale = listedNames().filter((name) => !exported.has(name));
    expect(stale, `README.md "### API" lists names that are not exported: ${stale.join(', ')}`).toEqual([]);
  });
});
