/** Who writes the NOTE of `cos resolve` and `cos ack`, with what message, when, and with which default ttl. */
import { loadConfig } from '../config/load.js';
import type { PostOptions } from '../store/write.js';
import type { OperationIo } from './context.js';

export interface NoteWriter {
  /** The note input's common part: the author (--agent, else COS_AGENT, else the git user name as a slug, else "human"), --message, now. */
  input: { agent: string; message?: string; now: Date };
  /** The repository's default ttl (coordination.yaml). */
  options: PostOptions;
}

/** The author, message, time and default ttl of a NOTE written on a person's (or an agent's) behalf. */
export async function noteWriter(values: { agent?: string; message?: string }, io: OperationIo): Promise<NoteWriter> {
  const { config } = loadConfig(io.root);
  const { defaultAgent } = await import('../git/user.js');
  const agent = values.agent ?? (await defaultAgent(io.root, io.env));
  return {
    input: { agent, ...(values.message !== undefined ? { message: values.message } : {}), now: io.now() },
    options: { defaultTtl: config.ttl_minutes },
  };
}
