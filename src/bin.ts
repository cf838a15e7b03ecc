#!/usr/bin/env node
/**
 * The entry the bundler starts from: `npm run build` bundles this file into dist/cli.js, the `cos`
 * binary (build/bundle.mjs). src/cli.ts stays importable without running anything.
 *
 * `cos hook <event>` runs before or after every tool call of an agent: it takes a path of its own,
 * the one file dist/hook.js (src/hooks/binary.ts), and loads nothing of the general CLI unless the
 * line is not a plain hook call (`--help`, an unknown event: the CLI answers those).
 */
const argv = process.argv.slice(2);

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
  const { runAsBinary } = await import('./cli.js');
  runAsBinary();
}

start().catch((error: unknown) => {
  process.stderr.write(`cos: ${String(error)}\n`);
  process.exitCode = 1;
});
