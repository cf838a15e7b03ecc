#!/usr/bin/env node
/**
 * The entry the bundler starts from: `npm run build` bundles this file into dist/cli.js, the `cos`
 * binary (build/bundle.mjs). src/cli.ts stays importable without running anything.
 *
 * `cos hook <event>` runs before or after every tool call of an agent: it takes a path of its own,
 * the one file dist/hook.js (src/hooks/binary.ts), and loads nothing of the general CLI unless the
 * line is not a plain hook call (`--help`, an unknown event: the CLI answers those).
 *
 * The commands run most often (`cos status`, `cos post`, `cos scan`) are each bundled whole into
 * one CommonJS file, dist/cmd/<name>.cjs, loaded with V8's code cache (src/code-cache.ts): one
 * file read and, from the second run on, no compiling, instead of the general CLI's chunks.
 */
import { loadCached } from './code-cache.js';
import { ALIASES, splitCommand } from './command-line.js';

/** Command name → build hash of its own bundle (defined by build/bundle.mjs). */
declare const COS_COMMAND_BUNDLES: Record<string, string>;

const argv = process.argv.slice(2);
// Not `import`: see src/code-cache.ts.
const { fileURLToPath } = process.getBuiltinModule('node:url');

async function start(): Promise<void> {
  if (argv[0] === 'hook') {
    // Not a literal: the bundler leaves it alone, and dist/hook.js is built as a file of its own.
    const hookFile = './hook.js';
    const hook = (await import(hookFile)) as typeof import('./hook-bin.js');
    const args = hook.fastHookArgs(argv);
    if (args !== null) {
      process.exitCode = await hook.runHookBinary(args);
      return;
    }
  }
  const { name } = splitCommand(argv);
  const command = name === undefined ? undefined : (ALIASES[name] ?? name);
  if (command !== undefined && Object.hasOwn(COS_COMMAND_BUNDLES, command)) {
    const file = fileURLToPath(new URL(`./cmd/${command}.cjs`, import.meta.url));
    let bundle: { start: () => void } | undefined;
    try {
      const representative = !argv.includes('--help') && !argv.includes('-h');
      bundle = loadCached(file, COS_COMMAND_BUNDLES[command]!, { representative }) as { start: () => void };
    } catch (error) {
      // A dist/ without the file (an old or partial build): the general CLI runs the command.
      if (process.env.COS_DEBUG) process.stderr.write(`cos: ${String(error)}\n`);
    }
    if (bundle) return bundle.start();
  }
  // Not a literal: the general CLI is built on its own (build/bundle.mjs), with its chunks.
  const cliFile = './chunks/cli.js';
  const { runAsBinary } = (await import(cliFile)) as typeof import('./cli.js');
  runAsBinary();
}

start().catch((error: unknown) => {
  process.stderr.write(`cos: ${String(error)}\n`);
  process.exitCode = 1;
});
