import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { EXIT, InputError, isCosError, type CosError } from '../errors.js';
import { refusalJson } from '../output/refusal.js';
import { entryToJson } from '../protocol/entry.js';
import { postEntry, type PostInput } from '../store/write.js';
import { readUserBodyFile } from '../trust/body-file.js';
import { operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, fieldFlags, flagsHelp, flagValue, type FlagSpec, type FlagValues } from './flags.js';
import type { Entry } from '../protocol/fields.js';

/** The flags: one per input field of the protocol (protocol/fields.ts), then post's own. */
export const flags = defineFlags({
  ...fieldFlags(),
  message: { type: 'string', short: 'm', value: 'TEXT', help: 'free markdown appended to the standard body', mcp: true },
  'body-file': { type: 'string', value: 'F|-', help: 'the whole body from a file, or - for stdin', mcp: true },
  commit: { type: 'boolean', help: 'git-commit exactly this entry (nothing else staged is touched)', mcp: true },
  json: {
    type: 'boolean',
    help: 'print {"version": 1, "entry": {"file", "name", "seq", ...every field, "body"}} (with --commit also "commit": its sha, or null when it failed, and then "ok": false, "error": {"code", "exit_code", "message"})',
  },
});

export const help = `Usage: cos post --sprint S --agent A --status ST [options]

Write one status entry to .agent/status/current/ and print its path.

Options:
${flagsHelp(flags)}

Exit codes: 0 written; 1 bad usage or bad input (nothing is written then: every value is checked
first); 5 --commit failed in git: the entry is written and printed all the same (its path, or with
--json its document saying "commit": null and what failed), and stderr names the failure.

A COMPLETE, FAILED or VERIFIED of an agent whose sprint was claimed through a git remote (cos
dispatch --remote, or dispatch.remote) also deletes its claim ref there ("released_claim" in
--json); a remote that cannot be reached is then a warning on stderr, and the entry stays.

Example:
  cos post --sprint results-wiring-v1 --agent developer --status IN_PROGRESS --message "Wiring the results view"`;

/** The declared fields of `cos post`'s flags, converted by their kinds (the library checks them). */
export function fieldInputs(values: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(fieldFlags()) as Array<[string, FlagSpec & { field: string }]>) {
    let value = values[flag];
    if (value === undefined) continue;
    if (Array.isArray(value)) value = value.length === 1 ? value[0] : value;
    input[spec.field] = Array.isArray(value) ? value.map((item) => flagValue(flag, spec, String(item))) : flagValue(flag, spec, String(value));
  }
  return input;
}

/** Write the entry the flag values describe (and commit it with `commit`). */
export async function execute(values: FlagValues<typeof flags>, io: OperationIo): Promise<Outcome<Entry>> {
  for (const [flag, spec] of Object.entries(flags) as Array<[string, FlagSpec]>) {
    if (spec.mcp === 'required' && values[flag as keyof typeof values] === undefined) throw new InputError(`--${flag} is required; see cos post --help.`);
  }
  if (values.message !== undefined && values['body-file'] !== undefined) {
    throw new InputError('Give either --message or --body-file, not both.');
  }
  let body: string | undefined;
  const bodyFile = values['body-file'];
  if (bodyFile !== undefined) {
    if (bodyFile === '-') body = await io.readStdin();
    else {
      // The CLI user's own file (an MCP client's body_file is read confined by the MCP tool instead).
      body = readUserBodyFile(resolve(io.cwd, bodyFile), `--body-file ${JSON.stringify(bodyFile)}`);
    }
  }
  const { config, warnings } = loadConfig(io.root);
  for (const warning of warnings) io.warn(warning);
  const input = {
    ...fieldInputs(values),
    ...(values.message !== undefined ? { message: values.message } : {}),
    ...(body !== undefined ? { body } : {}),
    now: io.now(),
  } as PostInput;
  const entry = postEntry(io.root, input, { defaultTtl: config.ttl_minutes });
  // From here on the entry exists: what fails after it is reported beside it, never instead of it.
  let commit: string | null = null;
  let failure: CosError | undefined;
  if (values.commit) {
    const { commitPaths } = await import('../git/commit.js');
    try {
      commit = await commitPaths(io.root, [entry.path], `cos: ${entry.sprint} ${entry.agent} ${entry.status}`);
    } catch (error) {
      if (!isCosError(error)) throw error;
      failure = error;
    }
  }
  const released = await releaseClaim(io, config.dispatch.remote, entry);
  return {
    document: {
      entry: { ...entryToJson(entry), body: entry.body },
      ...(values.commit ? { commit } : {}),
      ...(released !== undefined ? { released_claim: released } : {}),
      ...(failure ? refusalJson(failure) : {}),
    },
    exitCode: failure?.exitCode ?? EXIT.ok,
    data: entry,
    ...(failure ? { failure } : {}),
  };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const outcome = await execute(values, operationIo(context, root));
  if (json) printJson(context, outcome.document);
  else context.stdout(`${outcome.data.path}\n`);
  // The entry is written and printed above; a failed --commit adds its sentence and exit code (5).
  if (outcome.failure) throw outcome.failure;
  return outcome.exitCode;
}

/**
 * A holder that finishes (COMPLETE, FAILED, VERIFIED) releases its claim on the git remote the
 * sprint was claimed through, if any. A remote that cannot be reached is a warning: the entry is
 * written, and the claim lapses anyway (the next dispatch sees the finished holder after a pull,
 * or the claim's ttl runs out).
 */
async function releaseClaim(io: OperationIo, configured: string | undefined, entry: { sprint: string; agent: string; status: string; path: string }): Promise<boolean | undefined> {
  const root = io.root;
  if (!['COMPLETE', 'FAILED', 'VERIFIED'].includes(entry.status)) return undefined;
  const { claimRemoteOf, releaseOwnClaim } = await import('../dispatch/remote.js');
  const { readStore } = await import('../store/read.js');
  const remote = claimRemoteOf(configured, configured === undefined ? readStore(root, { archive: false }).entries : [], entry.sprint, entry.agent);
  if (remote === undefined) return undefined;
  try {
    return await releaseOwnClaim(root, remote, entry.sprint, entry.agent);
  } catch (error) {
    io.warn(`${entry.path} is written, but its claim on ${remote} was not released: ${(error as Error).message}`);
    return false;
  }
}
