/**
 * git clean's dry run read back (src/guard/clean-files.ts) with real git as the oracle: for random
 * file names holding what git C-quotes (a double quote, a backslash, a tab, a newline, other
 * control characters, bytes above 0x7f), with core.quotePath on and off in .git/config, each
 * untracked file is placed exactly where it is.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unquoted } from '../../src/guard/c-quote.js';
import { cleanFilesOf } from '../../src/guard/clean-files.js';
import { git, gitdir } from '../helpers/tmp.js';

const CHAR = fc.constantFrom('a', 'b', '"', '\\', '\t', '\n', '\r', '\x01', '\x7f', 'é', '日', ' ', '.', '-', '*', '?');
const NAME = fc.array(CHAR, { minLength: 1, maxLength: 8 }).map((chars) => `n${chars.join('')}`);

describe('git clean -n read back as git names the files', () => {
  it('every untracked file is placed where it is, whatever its name and core.quotePath', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.uniqueArray(NAME, { minLength: 1, maxLength: 4 }), fc.boolean(), (names, quotePath) => {
        const root = gitdir({ 'kept.txt': 'x\n' });
        git(root, 'config', 'core.quotePath', String(quotePath));
        for (const name of names) writeFileSync(join(root, name), 'x\n');
        const files = cleanFilesOf(root, ['-n', '--']);
        expect(files?.sort()).toEqual(names.map((name) => resolve(root, name)).sort());
      }),
      { numRuns: 25 },
    );
  });

  it('git quote_c_style forms, unquoted', () => {
    expect(unquoted('"new\\"routes.yaml"')).toBe('new"routes.yaml');
    expect(unquoted('"a\\\\b\\tc\\nd"')).toBe('a\\b\tc\nd');
    expect(unquoted('"\\303\\251t\\303\\251"')).toBe('été');
    expect(unquoted('plain name')).toBe('plain name');
  });
});
