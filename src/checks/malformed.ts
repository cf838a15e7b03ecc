import type { Rule } from './types.js';

/** A file that does not parse or validate: reported, never touched. */
export const malformedRule: Rule = ({ problems }) =>
  problems.map((problem) => ({
    kind: 'malformed' as const,
    severity: 'WARN' as const,
    sprint: null,
    files: [problem.file],
    // An archive folder or .agent/.gitignore is no entry: said so.
    message: `${problem.file} ${problem.file.endsWith('.md') ? 'is not a valid entry' : 'is malformed'}: ${problem.reason}`,
    action: problem.action ?? `Fix or remove ${problem.file} by hand (cos never modifies or deletes it)`,
  }));
