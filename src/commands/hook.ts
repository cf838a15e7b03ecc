import { InputError } from '../errors.js';
import type { CommandContext } from './context.js';

// Placeholder: replaced by the agent-integration issue (the hooks `cos setup claude` installs).
export const help = 'Usage: cos hook <event> (not available yet)';

export async function run(_context: CommandContext): Promise<number> {
  throw new InputError('cos hook is not available in this build yet.');
}
