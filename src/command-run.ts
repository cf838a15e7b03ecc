/**
 * Running one command: its context (arguments, output channels, clock), its `--help`, and the one
 * place that turns errors into exit codes; and running as the `cos` process (exit code, a reader
 * that goes away). The CLI's dispatcher (src/cli.ts) and each command bundled on its own
 * (build/bundle.mjs: dist/cmd/<name>.cjs) both run commands through here, so the two paths behave
 * the same.
 */
import { ALIASES, splitCommand } from './command-line.js';
import type { CommandContext, CommandModule } from './commands/context.js';
import { describeFailure, EXIT, isCosError } from './errors.js';
import { colourEnabled } from './output/style.js';
import { terminalText, visible } from './output/visible.js';

/** Run `command` (already resolved from its alias) with the arguments after its name. */
export async function runCommand(command: string, rest: string[], io: Partial<CommandContext>, load: () => Promise<CommandModule>): Promise<number> {
  const stdout = io.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = io.stderr ?? ((text: string) => void process.stderr.write(text));
  const context: CommandContext = {
    command,
    argv: rest,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
    // What a command prints may hold repository text: no terminal control sequence gets through.
    stdout: (text) => stdout(terminalText(text, colourEnabled(io.isTTY ?? Boolean(process.stdout.isTTY), io.env ?? process.env))),
    // So may its warnings and receipts on stderr (cos writes no colour there).
    stderr: (text) => stderr(terminalText(text)),
    // Touching process.stdin costs ~3 ms of start-up: only commands that read it pay.
    get stdin() {
      return io.stdin ?? process.stdin;
    },
    isTTY: io.isTTY ?? Boolean(process.stdout.isTTY),
    now: io.now ?? (() => new Date()),
  };
  try {
    const module = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      stdout(module.help.endsWith('\n') ? module.help : `${module.help}\n`);
      return EXIT.ok;
    }
    return (await module.run(context)) ?? EXIT.ok;
  } catch (error) {
    const failure = describeFailure(command, error);
    // A message may quote repository content (a file name, a lease pattern, an entry's field): each
    // line cos means stays one line, a line break or control character inside it shown escaped.
    // Lines are cos's own only where it lists several problems (CosError.lines).
    const lines = isCosError(error) ? [`cos ${command}: ${error.lines[0] ?? ''}`, ...error.lines.slice(1)] : [failure.message];
    stderr(`${lines.map((line) => visible(line, { oneLine: true })).join('\n')}\n`);
    if (!isCosError(error) && process.env.COS_DEBUG) stderr(`${(error as Error)?.stack ?? ''}\n`);
    return failure.exitCode;
  }
}

/** Run as the `cos` process: `run(argv)`'s result becomes the exit code. */
export function runBinary(run: (argv: string[]) => Promise<number>): void {
  // `cos status | head`: a reader that goes away is not an error. Commands that handle it
  // themselves (cos watch shuts down cleanly) add their own listener and take precedence.
  const onOutputError = (error: NodeJS.ErrnoException) => {
    if (process.stdout.listenerCount('error') > 1) return;
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  };
  process.stdout.on('error', onOutputError);
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`cos: ${String(error)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}

/**
 * Run as the `cos` process for a command bundled on its own (dist/cmd/<name>.cjs exports this,
 * bound to its command's module): the command line names that command (src/bin.ts checked).
 */
export function runBundledCommand(module: CommandModule): void {
  runBinary((argv) => {
    const { name, rest } = splitCommand(argv);
    return runCommand(ALIASES[name ?? ''] ?? name ?? '', rest, {}, async () => module);
  });
}
