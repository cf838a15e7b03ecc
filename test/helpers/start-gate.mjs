// A start gate for simultaneous CLI runs: `node start-gate.mjs <go-file|-> <dist/cli.js> ...args`
// loads part of the CLI, says "ready" on stderr, waits to be released, then runs the real CLI with
// those arguments, so the released processes race on the decision under test, not on start-up.
// Released by one byte on stdin (`-`), or — when stdin carries the CLI's own input, as a hook's
// JSON does — by <go-file> appearing. Either way it gives up after DEADLINE_MS (exit 124), so a
// test that failed or timed out never leaves gated processes polling behind it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DEADLINE_MS = 120_000;
const [goFile, cli, ...args] = process.argv.slice(2);
// Warm the module cache so that the released processes race on the claim, not on start-up.
await import(pathToFileURL(join(dirname(cli), 'commands/dispatch.js')).href);
await import(pathToFileURL(join(dirname(cli), 'analyze.js')).href);
const giveUp = setTimeout(() => process.exit(124), DEADLINE_MS);
process.stderr.write('ready\n');
if (goFile === '-') {
  const released = await new Promise((resolve) => {
    process.stdin.once('data', () => resolve(true));
    process.stdin.once('end', () => resolve(false));
  });
  if (!released) process.exit(125); // the test went away without releasing us
  process.stdin.pause();
  process.stdin.unref?.();
} else {
  while (!existsSync(goFile)) await new Promise((resolve) => setTimeout(resolve, 2));
}
clearTimeout(giveUp);
process.argv = [process.argv[0], cli, ...args];
await import(pathToFileURL(cli).href);
