// A start gate for parallel hook runs: `node gate.mjs <go-file> <dist/cli.js> ...args` waits
// until <go-file> exists, then runs the real CLI with those arguments. The hook JSON is already
// waiting on stdin (the test wrote it), so the released processes race on the guard's decision.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [goFile, cli, ...args] = process.argv.slice(2);
process.stderr.write('ready\n');
while (!existsSync(goFile)) await new Promise((resolve) => setTimeout(resolve, 2));
process.argv = [process.argv[0], cli, ...args];
await import(pathToFileURL(cli).href);
