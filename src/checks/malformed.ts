import type { Rule } from './types.js';

/** A file that does not parse or validate: reported, never touched. */
export const malformedRule: Rule = ({ problems }) =>
  problems.map((problem) => ({
    kind: 'malformed' as const,
    severity: 'WARN' as const,
    sprint: null,
    files: [problem.file],
    message: `${problem.file} is not a valid entry: ${problem.reason}`,
    action: `Fix or remove ${problem.file} by hand (cos never modifies or deletes it)`,
  }));
