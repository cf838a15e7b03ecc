import { ExternalError } from '../errors.js';

// Placeholder: replaced by the git integration issue.
export async function commitPaths(_root: string, _paths: string[], _message: string): Promise<string> {
  throw new ExternalError('git commit is not available in this build yet.');
}
