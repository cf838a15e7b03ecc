/**
 * git pathspecs as properties (src/guard/pathspec.ts), real git the oracle: for any spelling of a
 * path — magic (long, short, combined, `:/:`), case under `:(icase)`, backslash escapes, `?`, `*`,
 * bracket expressions, from the top or from a subfolder — the guard denies `git restore`,
 * `git checkout --`, `git stash push --` and `git rm` of it exactly when `git ls-files` (the same
 * pathspec machinery) says it names a file of `.agent/config/`; the folder itself, and `.agent`,
 * in any spelling, are always denied. A real repository in a temp dir.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePathspec } from '../../src/guard/pathspec.js';
import { decideTool, type GuardContext } from '../../src/guard/rules.js';
import { guardContext } from './context.js';
import { gitdir } from '../helpers/tmp.js';

const FILES = {
  '.agent/config/coordination.yaml': 'version: 1\n',
  '.agent/config/notion-sync.yaml': 'x: 1\n',
  '.agent/roles/dev.md': 'role\n',
  '.agent/status/current/.keep': '',
  'src/x.ts': 'a\n',
  'src/conf.yaml': 'a: 1\n',
  'docs/guide.md': 'guide\n',
};

function context(root: string, cwd = root): GuardContext {
  return guardContext(root, { cwd, stashFiles: () => [] });
}

/** Magic prefixes git accepts: [prefix, whether it ignores case, whether it reads from the top, glob, literal]. */
const MAGIC = fc.constantFrom(
  { prefix: '', icase: false, top: false, glob: false, literal: false },
  { prefix: ':', icase: false, top: false, glob: false, literal: false },
  { prefix: ':/', icase: false, top: true, glob: false, literal: false },
  { prefix: ':/:', icase: false, top: true, glob: false, literal: false },
  { prefix: ':(top)', icase: false, top: true, glob: false, literal: false },
  { prefix: ':(icase)', icase: true, top: false, glob: false, literal: false },
  { prefix: ':(top,icase)', icase: true, top: true, glob: false, literal: false },
  { prefix: ':(icase,top)', icase: true, top: true, glob: false, literal: false },
  { prefix: ':(glob)', icase: false, top: false, glob: true, literal: false },
  { prefix: ':(glob,icase)', icase: true, top: false, glob: true, literal: false },
  { prefix: ':(literal)', icase: false, top: false, glob: false, literal: true },
  { prefix: ':(prefix:0)', icase: false, top: true, glob: false, literal: false }, // git's own, used at the top only (elsewhere git aborts)
);

/** One character of a path rewritten: kept, case flipped, escaped, `?`, a bracket expression. */
const CHAR_EDIT = fc.constantFrom('keep', 'keep', 'keep', 'case', 'escape', 'question', 'bracket', 'posix');

/**
 * A spelling of `path` (from the top) under `magic`: each character (never a `/`) kept or
 * rewritten, the last segment's tail perhaps a `*`; from a subfolder, `../` leads back to the top.
 */
const spelling = (path: string) =>
  fc.record({ magic: MAGIC, edits: fc.array(CHAR_EDIT, { minLength: path.length, maxLength: path.length }), starAt: fc.option(fc.nat({ max: 20 })), fromSrc: fc.boolean() }).map(({ magic, edits, starAt, fromSrc }) => {
    let out = '';
    const lastSlash = path.lastIndexOf('/');
    for (let i = 0; i < path.length; i++) {
      const c = path[i]!;
      const edit = c === '/' || magic.literal ? 'keep' : edits[i]!;
      if (starAt !== null && i === lastSlash + 1 + starAt && !magic.literal) {
        out += '*';
        break;
      }
      if (edit === 'case' && magic.icase && /[a-z]/.test(c)) out += c.toUpperCase();
      else if (edit === 'escape' && /[a-z.]/.test(c)) out += `\\${c}`;
      else if (edit === 'question') out += '?';
      else if (edit === 'bracket') out += `[${c}]`;
      else if (edit === 'posix' && /[a-z]/.test(c)) out += '[[:lower:]]';
      else out += c;
    }
    const cd = fromSrc && !magic.top;
    return { spec: `${magic.prefix}${cd ? '../' : ''}${out}`, cd };
  });

/** The files git's own pathspec matching gives for a spec (run where the command runs). */
function gitMatches(root: string, spec: string, cd: boolean): string[] {
  const env = { ...process.env };
  for (const key of ['GIT_ICASE_PATHSPECS', 'GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_LITERAL_PATHSPECS']) delete env[key];
  try {
    const out = execFileSync('git', ['ls-files', '--full-name', '-z', '--', spec], { cwd: cd ? `${root}/src` : root, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    return out.split('\0').filter(Boolean);
  } catch {
    return []; // git refuses the pathspec: it names nothing
  }
}

const COMMANDS = fc.constantFrom(
  (spec: string) => `git restore -- '${spec}'`,
  (spec: string) => `git checkout HEAD -- '${spec}'`,
  (spec: string) => `git stash push -- '${spec}'`,
  (spec: string) => `git rm -r --cached -- '${spec}'`,
);

const decide = (root: string, command: string, cd: boolean) => decideTool('Bash', { command: cd ? `cd src && ${command}` : command }, context(root)).decision === 'deny';

describe('git pathspecs: denied exactly when git names a file of .agent/config/ (git ls-files as the oracle)', () => {
  const root = gitdir(FILES);

  it('any spelling of a config file that git reads as it is denied', { timeout: 120_000 }, () => {
    const target = fc.constantFrom('.agent/config/coordination.yaml', '.agent/config/notion-sync.yaml');
    let read = 0;
    fc.assert(
      fc.property(target.chain((path) => spelling(path)), COMMANDS, ({ spec, cd }, command) => {
        const names = gitMatches(root, spec, cd).some((file) => file.startsWith('.agent/config/'));
        // Where git reads the spelling as the file, the guard must deny (the rest, git refuses).
        if (names) {
          read++;
          expect(decide(root, command(spec), cd), `${spec}${cd ? ' (in src)' : ''}`).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
    // Not vacuous: most spellings are ones git reads as the file.
    expect(read).toBeGreaterThan(75);
  });

  it('any spelling of a file outside .agent/config/ (src, docs, .agent/roles) is allowed, unless git reads it as a config file', { timeout: 120_000 }, () => {
    const target = fc.constantFrom('src/x.ts', 'src/conf.yaml', 'docs/guide.md', '.agent/roles/dev.md');
    fc.assert(
      fc.property(target.chain((path) => spelling(path)), COMMANDS, ({ spec, cd }, command) => {
        const names = gitMatches(root, spec, cd).some((file) => file.startsWith('.agent/config/') || file.startsWith('.agent/status/'));
        expect(decide(root, command(spec), cd), `${spec}${cd ? ' (in src)' : ''}`).toBe(names);
      }),
      { numRuns: 150 },
    );
  });

  it('the config folder and .agent, in any magic, case or escaping, are denied for every command that writes a pathspec', () => {
    const folder = fc.constantFrom('.agent/config', '.agent', '.agent/config/');
    fc.assert(
      fc.property(folder.chain((path) => spelling(path)), COMMANDS, ({ spec, cd }, command) => {
        // A glob names files only (git fails on `.agen?`); the guard denies it all the same.
        expect(decide(root, command(spec), cd), `${spec}${cd ? ' (in src)' : ''}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the magic git reads: long, short, combined, ended by a second colon', () => {
    expect(parsePathspec(':(icase,top).AGENT')).toEqual({ top: true, exclude: false, glob: false, literal: false, pattern: '.AGENT' });
    expect(parsePathspec(':/:.agent')).toEqual({ top: true, exclude: false, glob: false, literal: false, pattern: '.agent' });
    expect(parsePathspec(':/!src')).toEqual({ top: true, exclude: true, glob: false, literal: false, pattern: 'src' });
    expect(parsePathspec(':^src')).toMatchObject({ exclude: true, pattern: 'src' });
    expect(parsePathspec(':.agent')).toMatchObject({ top: false, pattern: '.agent' });
    expect(parsePathspec(':(exclude,glob)*.md')).toMatchObject({ exclude: true, glob: true, pattern: '*.md' });
    expect(parsePathspec('.agent/\\config')).toMatchObject({ pattern: '.agent/\\config' });
  });
});
