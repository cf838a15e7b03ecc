/**
 * Abbreviated long options (src/guard/git-options.ts), with real git as the oracle: the option
 * lists are git's own, and every prefix the guard spells out as a dangerous option is one git
 * itself accepts as that option (`git reset --har` resets hard), while a prefix several options
 * share is left as written and git refuses it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LONG_OPTIONS, spelledOut, spelledOutArgs } from '../../src/guard/git-options.js';
import { gitdir } from '../helpers/tmp.js';

describe('git long options spelled out as git reads them', () => {
  it("the lists are git's own (git SUB --git-completion-helper-all)", () => {
    for (const [sub, names] of Object.entries(LONG_OPTIONS)) {
      const args = sub === 'stash' ? ['stash', 'push', '--git-completion-helper-all'] : [sub, '--git-completion-helper-all'];
      const listed = execFileSync('git', args, { cwd: gitdir(), encoding: 'utf8' })
        .split(/\s+/)
        .filter((word) => word.startsWith('--') && word !== '--')
        .map((word) => word.slice(2).replace(/=$/, ''));
      for (const name of listed) expect(names, `${sub} --${name}`).toContain(name);
    }
  });

  it('each unique prefix becomes the option; a shared prefix, an exact name and words after -- stay', () => {
    expect(spelledOut('reset', '--har')).toBe('--hard');
    expect(spelledOut('reset', '--h')).toBe('--hard');
    expect(spelledOut('switch', '--orph=pages')).toBe('--orphan=pages');
    expect(spelledOut('switch', '--discard-chan')).toBe('--discard-changes');
    expect(spelledOut('switch', '--forc')).toBe('--forc'); // --force or --force-create: git refuses
    expect(spelledOut('checkout', '--forc')).toBe('--force');
    expect(spelledOut('restore', '--s')).toBe('--s'); // --source or --staged
    expect(spelledOut('restore', '--work')).toBe('--worktree');
    expect(spelledOut('checkout-index', '--al')).toBe('--all');
    expect(spelledOut('read-tree', '--rese')).toBe('--reset');
    expect(spelledOut('log', '--out=x')).toBe('--out=x');
    expect(spelledOutArgs('restore', ['--work', '--', '--work'])).toEqual(['--worktree', '--', '--work']);
  });

  it('git agrees: a prefix spelled out is accepted by git, a shared one refused as ambiguous', { timeout: 120_000 }, () => {
    // In a throwaway repository: an option taking a value takes `-h` as it, and git then runs (`--orphan -h`).
    const cwd = gitdir({ 'x.txt': 'x\n' });
    for (const [sub, names] of Object.entries(LONG_OPTIONS)) {
      if (sub === 'stash') continue;
      for (const name of names) {
        for (let n = 1; n < name.length; n++) {
          const prefix = `--${name.slice(0, n)}`;
          const out = spelledOut(sub, prefix);
          const ambiguous = /ambiguous option/.test(spawnSync('git', [sub, prefix, '-h'], { cwd, encoding: 'utf8' }).stderr);
          if (out === prefix && names.includes(name.slice(0, n))) continue;
          // Spelled out exactly when git does not find it ambiguous.
          if (ambiguous !== (out === prefix)) throw new Error(`git ${sub} ${prefix}: guard ${out}, git ambiguous ${ambiguous}`);
        }
      }
    }
  });
});
