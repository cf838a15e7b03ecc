/**
 * The rule of docs/security.md ("Trust"), enforced: reading a file's content goes through
 * src/trust/read.ts (bounded, regular files only), and only the modules listed here write,
 * move or delete — each for a stated reason, each confining its paths first. A new module that
 * imports one of these functions from node:fs fails this test until it uses the trust modules
 * instead, or is added here (visible in review, with its reason).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Functions that read a file's content, or open one. */
const READS = ['readFileSync', 'readFile', 'createReadStream', 'openSync', 'open', 'readSync', 'readv', 'readvSync', 'opendir'];
/** Functions that change the file system. */
const WRITES = [
  'writeFileSync', 'writeFile', 'appendFileSync', 'appendFile', 'createWriteStream', 'writeSync', 'renameSync', 'rename', 'unlinkSync', 'unlink',
  'rmSync', 'rm', 'rmdirSync', 'rmdir', 'mkdirSync', 'mkdir', 'mkdtempSync', 'linkSync', 'link', 'symlinkSync', 'symlink', 'copyFileSync', 'copyFile',
  'cpSync', 'cp', 'chmodSync', 'chmod', 'chownSync', 'truncateSync', 'truncate', 'utimesSync', 'utimes', 'ftruncateSync',
];

/** file (relative to src/) → the guarded functions it may import, and why. */
const ALLOWED: Record<string, { names: string[]; why: string }> = {
  'trust/read.ts': { names: ['openSync', 'readSync'], why: 'the bounded reader itself' },
  'store/write.ts': { names: ['openSync', 'linkSync', 'renameSync', 'unlinkSync', 'writeFileSync'], why: 'exclusive entry creation (claims, temp + link) in the confined status folders; .agent/.gitignore with wx' },
  'store/local-files.ts': { names: ['mkdirSync', 'renameSync', 'unlinkSync', 'openSync', 'writeSync'], why: 'the one atomic replace (replaceFile: wx temp + rename; writeFileAtomic confines the folder first), appendConfined, openAppend and appendLog: O_NOFOLLOW appends' },
  'store/init.ts': { names: ['writeFileSync'], why: 'cos init: wx (never overwrites, never follows a link), folder confined first' },
  'errors.ts': { names: ['mkdirSync'], why: 'makeDirectory: callers confine the folder' },
  'archive/move.ts': { names: ['mkdirSync', 'renameSync', 'rmdirSync', 'unlinkSync'], why: 'archive moves: destinations checked (no link, inside) before the first move; entry locks' },
  'localsync/files.ts': { names: ['unlinkSync', 'rmdirSync'], why: 'cos sync deletions: keys checked by isSyncKey, paths by joinInside (copies go through writeFileAtomic)' },
  'setup/apply.ts': { names: ['unlinkSync', 'rmdirSync'], why: 'cos setup --remove of a file cos created (the link itself, inside the worktree)' },
  'cleanup/cruft.ts': { names: ['unlinkSync', 'rmdirSync'], why: 'cos cleanup --apply of listed cruft (lstat: links are never followed)' },
  'watch/lock.ts': { names: ['readFileSync', 'writeFileSync', 'unlinkSync', 'utimesSync'], why: 'the watcher lock in .agent/state (wx); readFileSync only for /proc/<pid>/stat, a kernel file of a numeric pid' },
  'watch/session.ts': { names: ['mkdirSync'], why: 'current/ and state/ of a repository whose layout was checked' },
  'notion/sync.ts': { names: ['unlinkSync'], why: 'stale ledger temp files in .agent/state' },
  'board/page.ts': { names: ['readFileSync'], why: "the board's own packaged assets (dist/board/*.css, *.js), never a repository path" },
  'guard/approval-use.ts': { names: ['mkdirSync', 'openSync'], why: 'one approval used once: an exclusive create (wx, never through a link) in the git common dir or .agent/state, folder confined first' },
  'setup/git-hooks.ts': {
    names: ['chmodSync', 'renameSync', 'unlinkSync', 'writeFileSync', 'mkdirSync'],
    why: "cos setup git-hooks: the pre-commit hook where git looks for hooks (the user's own git config); only a hook read as ours (regular file, marker) is replaced (atomically, store/local-files.ts replaceFile) or removed, a new one is created wx",
  },
  'watch/spawn.ts': { names: ['mkdirSync'], why: 'the spawn ledger folder, confined first' },
  'code-cache.ts': {
    names: ['openSync', 'readFileSync', 'mkdirSync', 'writeFileSync', 'renameSync', 'rmSync'],
    why: "V8's code cache of the command bundles: reads the bundle beside itself and its cache file in the node_modules/.cache/agent-cos/ holding the installed package (never a repository path); writes there through a temp name + rename, removes older builds' files of the same bundle",
  },
  'hooks/binary.ts': { names: ['readSync', 'writeSync'], why: "the hook's own stdin (fd 0, bounded by MAX_STDIN_BYTES) and stdout (fd 1): descriptors it was given, never a path" },
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const dirent of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, dirent.name);
    if (dirent.isDirectory()) out.push(...sources(path));
    else if (dirent.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The names a source file imports from node:fs (or fs, fs/promises); '*' for a namespace or default import. */
function fsImports(text: string): string[] {
  const names: string[] = [];
  const pattern = /import\s+([^;]*?)\s+from\s+['"](?:node:)?fs(?:\/promises)?['"]/g;
  for (const match of text.matchAll(pattern)) {
    const clause = match[1]!;
    const braces = /\{([^}]*)\}/.exec(clause);
    if (braces) {
      for (const part of braces[1]!.split(',')) {
        const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim();
        if (name) names.push(name);
      }
    }
    if (/^\s*(?:\*\s+as\s+\w+|\w+)\s*(?:,|$)/.test(clause)) names.push('*');
  }
  // Node's modules taken as objects (process.getBuiltinModule, which the start-up path uses to
  // skip the ES module facade): destructured names count as imports, anything else as a whole.
  for (const match of text.matchAll(/(?:const|let|var)\s+(\{[^}]*\}|\w+)\s*=\s*process\.getBuiltinModule\(\s*['"](?:node:)?fs(?:\/promises)?['"]\s*\)/g)) {
    const binding = match[1]!;
    if (binding.startsWith('{')) {
      for (const part of binding.slice(1, -1).split(',')) {
        const name = part.trim().split(':')[0]!.trim();
        if (name) names.push(name);
      }
    } else names.push('*');
  }
  if (/getBuiltinModule\(\s*['"](?:node:)?fs(?:\/promises)?['"]\s*\)\s*[.[]/.test(text)) names.push('*');
  if (/import\(\s*['"](?:node:)?fs(?:\/promises)?['"]\s*\)|require\(\s*['"](?:node:)?fs/.test(text)) names.push('*');
  return names;
}

describe('file-system access outside the trust modules', () => {
  it('recognises named, renamed, namespace and dynamic imports', () => {
    expect(fsImports(`import { readFileSync, statSync as s, type Stats } from 'node:fs';`)).toEqual(['readFileSync', 'statSync', 'Stats']);
    expect(fsImports(`import * as fs from 'fs';`)).toEqual(['*']);
    expect(fsImports(`import fs from "node:fs/promises";`)).toEqual(['*']);
    expect(fsImports(`const fs = await import('node:fs');`)).toEqual(['*']);
    expect(fsImports(`const { openSync, statSync: s } = process.getBuiltinModule('node:fs');`)).toEqual(['openSync', 'statSync']);
    expect(fsImports(`const fs = process.getBuiltinModule('fs');`)).toEqual(['*']);
    expect(fsImports(`process.getBuiltinModule('node:fs').writeFileSync(p, x);`)).toEqual(['*']);
  });

  it('only the allow-listed modules import a function that reads content or changes the file system', () => {
    const guarded = new Set([...READS, ...WRITES]);
    const violations: string[] = [];
    for (const file of sources(SRC)) {
      const rel = relative(SRC, file).split('\\').join('/');
      const allowed = new Set(ALLOWED[rel]?.names ?? []);
      for (const name of fsImports(readFileSync(file, 'utf8'))) {
        if (name === '*') violations.push(`${rel}: imports node:fs as a whole; import the functions by name`);
        else if (guarded.has(name) && !allowed.has(name)) {
          violations.push(`${rel}: ${name} — ${READS.includes(name) ? 'read through src/trust/read.ts (readBounded, readConfinedText)' : 'write through src/store/local-files.ts (writeFileAtomic) after confine()'}, or add it to ALLOWED with a reason`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('the allow-list has no stale lines (each listed module still uses what it is allowed)', () => {
    const stale: string[] = [];
    for (const [rel, { names }] of Object.entries(ALLOWED)) {
      let text: string;
      try {
        text = readFileSync(join(SRC, rel), 'utf8');
      } catch {
        stale.push(`${rel}: no such file`);
        continue;
      }
      const imported = new Set(fsImports(text));
      for (const name of names) if (!imported.has(name)) stale.push(`${rel}: ${name}`);
    }
    expect(stale).toEqual([]);
  });
});
