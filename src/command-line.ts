/**
 * Which command a `cos` command line names. Shared by the CLI's dispatcher (src/cli.ts) and the
 * binary's entry (src/bin.ts), which picks a command bundled on its own before loading the CLI.
 */

/** Other names of commands. */
export const ALIASES: Readonly<Record<string, string>> = { health: 'scan' };

/** The command name: the first token that is neither a flag nor the value of --dir. */
export function splitCommand(argv: readonly string[]): { name: string | undefined; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--dir') {
      i++;
      continue;
    }
    if (token.startsWith('-')) continue;
    return { name: token, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { name: undefined, rest: [...argv] };
}
