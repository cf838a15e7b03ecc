/**
 * The files `git clean` removes, as git itself says: the same selection run as a dry run
 * (`git clean -n …`, built by guard/git-writes.ts: pathspecs, `-d`, `-x`, `-X`, `-e`), its
 * `Would remove PATH` lines (unquoted as git quotes them) placed from the directory it runs in. A dry run removes nothing and
 * runs nothing from the repository (guard/guard-git.ts); it is started only when the guard sees a `git clean`, never
 * on the hook's fast path. Null when git does not answer (too slow, git missing): the guard then
 * denies the command as too complex to check. A repository git refuses (`fatal`) removes nothing:
 * no paths.
 */
import { resolve } from 'node:path';
import { guardGit } from './guard-git.js';

export function cleanFilesOf(dir: string, dryRun: readonly string[]): string[] | null {
  if (!dryRun.includes('-n')) return null;
  // Through guard/guard-git.ts (no fsmonitor, nothing written); paths printed as they are (no C quoting of bytes above 0x7f).
  const result = guardGit(dir, ['clean', ...dryRun], ['core.quotePath=false']);
  if (result === null) return null;
  // git ran and refused (not a repository, a bad option): the real git clean removes nothing either.
  if (result.stdout === null) return [];
  return result.stdout.split('\n').flatMap((line) => {
    const match = /^Would remove (.+)$/.exec(line);
    return match ? [resolve(dir, unquoted(match[1]!).replace(/\/$/, ''))] : [];
  });
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * A name as git prints it, unquoted: git C-quotes a name holding a double quote, a backslash or a
 * control character (a tab, a newline; with core.quotePath, bytes above 0x7f too) — `"new\"x.yaml"`,
 * `"\303\251"` — whatever core.quotePath says (quote.c quote_c_style). A name not in quotes is as is.
 */
export function unquoted(name: string): string {
  if (name.length < 2 || !name.startsWith('"') || !name.endsWith('"')) return name;
  const bytes: number[] = [];
  const inner = Buffer.from(name.slice(1, -1), 'utf8');
  for (let i = 0; i < inner.length; i++) {
    const byte = inner[i]!;
    if (byte !== 92 || i + 1 >= inner.length) {
      bytes.push(byte);
      continue;
    }
    const next = String.fromCharCode(inner[i + 1]!);
    const octal = /^[0-3][0-7][0-7]$/.test(inner.subarray(i + 1, i + 4).toString('latin1'));
    if (octal) {
      bytes.push(Number.parseInt(inner.subarray(i + 1, i + 4).toString('latin1'), 8));
      i += 3;
    } else if (next in ESCAPES) {
      bytes.push(ESCAPES[next]!);
      i += 1;
    } else bytes.push(byte);
  }
  return Buffer.from(bytes).toString('utf8');
}
