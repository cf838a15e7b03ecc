import { InputError } from '../errors.js';
import type { CommandContext } from './context.js';

// Placeholder: replaced by the issue that delivers `cos notion`.
export const help = 'Usage: cos notion (not available yet)';

export async function run(_context: CommandContext): Promise<number> {
  throw new InputError('cos notion is not available in this build yet.');
}
