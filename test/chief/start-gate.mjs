// A start gate for simultaneous CLI runs: `node start-gate.mjs <dist/cli.js> ...args` loads the
// CLI's dispatch command, says "ready" on stderr, waits for one byte on stdin, then runs the real
// CLI with those arguments. The test releases every process at once by writing to all stdins.
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const [cli, ...args] = process.argv.slice(2);
// Warm the module cache so that the released processes race on the claim, not on start-up.
await import(pathToFileURL(join(dirname(cli), 'commands/dispatch.js')).href);
await import(pathToFileURL(join(dirname(cli), 'analyze.js')).href);
process.stderr.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
process.stdin.unref?.();
process.argv = [process.argv[0], cli, ...args];
await import(pathToFileURL(cli).href);
