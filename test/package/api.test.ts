/**
 * The README's API section and the package's exports agree, both ways: every runtime export of
 * src/index.ts is listed there, and every name listed there is exported. And the built
 * declarations (dist/index.d.ts, what a user's TypeScript reads) document every export and export
 * every type an export names (test/package/declarations.ts reads them with TypeScript's checker).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { readDeclarations } from './declarations.js';

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

describe('every runtime export is documented', () => {
  it('has a doc comment on its declaration', () => {
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(src);
    // Where index.ts takes each name from: that module is searched first (names repeat across modules).
    const from = new Map<string, string>();
    for (const match of readFileSync(join(src, 'index.ts'), 'utf8').matchAll(/export \{([^}]*)\} from '\.\/([^']+)\.js'/g)) {
      for (const part of match[1]!.split(',')) {
        const name = part.trim().split(/\s+as\s+/).pop()!.trim();
        if (name && !part.trim().startsWith('type ')) from.set(name, join(src, `${match[2]}.ts`));
      }
    }
    const stars = [...readFileSync(join(src, 'index.ts'), 'utf8').matchAll(/export \* from '\.\/([^']+)\.js'/g)].map((match) => join(src, `${match[1]}.ts`));
    const undocumented: string[] = [];
    for (const name of Object.keys(api)) {
      const declaration = new RegExp(`^export (?:async )?(?:function|const|class|let) ${name}\\b`);
      const order = [...(from.has(name) ? [from.get(name)!] : stars), ...files];
      let found = false;
      for (const file of order) {
        const lines = readFileSync(file, 'utf8').split('\n');
        const at = lines.findIndex((line) => declaration.test(line));
        if (at < 0) continue;
        found = true;
        if (!/\*\/\s*$/.test(lines[at - 1] ?? '')) undocumented.push(`${name} (${file.slice(src.length)}:${at + 1})`);
        break;
      }
      if (!found) undocumented.push(`${name} (declaration not found)`);
    }
    expect(undocumented, `give these exports a /** doc comment */: ${undocumented.join(', ')}`).toEqual([]);
  });
});

describe('dist/index.d.ts, as a user’s TypeScript reads it', () => {
  const report = readDeclarations(fileURLToPath(new URL('../../dist', import.meta.url)));

  it('exports every runtime export, and the types beside them', () => {
    const exported = new Set(report.exported);
    expect(Object.keys(api).filter((name) => !exported.has(name))).toEqual([]);
    for (const name of ['ArchiveOptions', 'SnapshotOptions', 'EntryParseResult', 'ReviewOptions', 'Lease', 'ClaimInput', 'BriefInput']) expect(exported).toContain(name);
  });

  it('every export, function or type, has a doc comment', () => {
    expect(report.undocumented, `give these exports a /** doc comment */: ${report.undocumented.join(', ')}`).toEqual([]);
  });

  it('every type of this package that an export names (parameters, results, members, transitively) is exported too', () => {
    expect(report.unexported, `export these types from src/index.ts: ${report.unexported.join('; ')}`).toEqual([]);
  });
}, 120_000);
