/**
 * How a hook cos installs runs cos, so that it works where it runs — never a bare `cos` that may
 * not be on the PATH of Claude Code or git:
 * - the project's own `node_modules/.bin/cos` when agent-cos is installed in the project
 *   (`"$CLAUDE_PROJECT_DIR"/node_modules/.bin/cos` for Claude Code, `./node_modules/.bin/cos` for
 *   git, which runs hooks at the top of the work tree);
 * - else the absolute paths of the `node` and the `cli.js` running this setup, shell-quoted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The cli.js of this installation of cos (dist/cli.js beside dist/setup/). */
export function runningCli(): string {
  return fileURLToPath(new URL('../cli.js', import.meta.url));
}

export function projectHasCos(root: string): boolean {
  return existsSync(join(root, 'node_modules', '.bin', 'cos'));
}

export function cosCommandFor(root: string, where: 'claude' | 'git'): string {
  if (projectHasCos(root)) return where === 'claude' ? '"$CLAUDE_PROJECT_DIR"/node_modules/.bin/cos' : './node_modules/.bin/cos';
  return `${shellQuote(process.execPath)} ${shellQuote(runningCli())}`;
}
