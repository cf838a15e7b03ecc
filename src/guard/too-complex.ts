/**
 * A command the guard cannot read to the end: a brace expansion giving too many words, commands
 * nested deeper than the parser follows, wrappers or braces chained too deep. The guard fails
 * closed on it (guard/rules.ts): such a command is denied when it holds a word a rule looks for.
 */
export class TooComplex extends Error {
  /** What was too much, in words the agent can act on ("a brace expansion gives more than 1024 words"). */
  readonly limit: string;

  constructor(limit: string) {
    super(`too complex for the guard to check: ${limit}`);
    this.name = 'TooComplex';
    this.limit = limit;
  }
}
