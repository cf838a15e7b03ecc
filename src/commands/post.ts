import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { fsProblem, InputError } from '../errors.js';
import { entryToJson } from '../protocol/entry.js';
import { postEntry, type PostInput } from '../store/write.js';
import { intFlag, parseCommand, printJson, readStdin, type CommandContext } from './context.js';

export const help = `Usage: cos post --sprint S --agent A --status ST [options]

Write one status entry to .agent/status/current/ and print its path.

Required:
  --sprint S        sprint slug ([a-z0-9][a-z0-9._-]*, at most 64 characters)
  --agent A         agent slug (same rules)
  --status ST       DISPATCHED | IN_PROGRESS | BLOCKED | FAILED | COMPLETE | VERIFIED
Options:
  --severity SV     INFO (default) | WARN | URGENT | BLOCKER
  --ttl M           minutes before a silent open entry counts as stale (default: config ttl_minutes)
  --phase P         phase name          --title T       human title of the sprint
  --role R          the agent's role    --cost USD      spend to add to the sprint's budget
  --message TEXT    free markdown appended to the standard body
  --body-file F|-   the whole body from a file, or - for stdin
  --error SIG       failure signature (on FAILED), compared across attempts
  --verifies FILE   with --status VERIFIED: the COMPLETE entry this checked (its file name or
                    path; it must exist in status/current or status/archive)
  --resolves FILE   an URGENT/BLOCKER entry this entry resolves (repeatable)
  --commit          git-commit exactly this entry (nothing else staged is touched)
  --json            print {"version": 1, "entry": {"file", "name", "seq", ...every field}}

Exit codes: 0 written; 1 bad usage or bad input (nothing is written then: every value is checked
first); 5 --commit failed in git (the entry itself is written).

Example:
  cos post --sprint results-wiring-v1 --agent developer --status IN_PROGRESS --message "Wiring the results view"`;

interface PostFlags {
  sprint?: string;
  agent?: string;
  status?: string;
  severity?: string;
  ttl?: string;
  phase?: string;
  title?: string;
  role?: string;
  cost?: string;
  message?: string;
  'body-file'?: string;
  error?: string;
  verifies?: string;
  resolves?: string[];
  commit?: boolean;
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand<PostFlags>(context, {
    sprint: { type: 'string' },
    agent: { type: 'string' },
    status: { type: 'string' },
    severity: { type: 'string' },
    ttl: { type: 'string' },
    phase: { type: 'string' },
    title: { type: 'string' },
    role: { type: 'string' },
    cost: { type: 'string' },
    message: { type: 'string', short: 'm' },
    'body-file': { type: 'string' },
    error: { type: 'string' },
    verifies: { type: 'string' },
    resolves: { type: 'string', multiple: true },
    commit: { type: 'boolean' },
  });
  for (const flag of ['sprint', 'agent', 'status'] as const) {
    if (values[flag] === undefined) throw new InputError(`--${flag} is required; see cos post --help.`);
  }
  if (values.message !== undefined && values['body-file'] !== undefined) {
    throw new InputError('Give either --message or --body-file, not both.');
  }
  let body: string | undefined;
  const bodyFile = values['body-file'];
  if (bodyFile !== undefined) {
    if (bodyFile === '-') body = await readStdin(context);
    else {
      try {
        body = readFileSync(resolve(context.cwd, bodyFile), 'utf8');
      } catch (error) {
        throw new InputError(`Cannot read --body-file ${JSON.stringify(bodyFile)}: ${fsProblem(error)}.`, { cause: error });
      }
    }
  }
  let cost: number | undefined;
  if (values.cost !== undefined) {
    cost = Number(values.cost);
    if (values.cost.trim() === '' || !Number.isFinite(cost) || cost < 0) throw new InputError(`Invalid --cost ${JSON.stringify(values.cost)}: give a non-negative number of US dollars.`);
  }
  const { config, warnings } = loadConfig(root);
  for (const warning of warnings) context.stderr(`cos post: warning: ${warning}\n`);
  const input: PostInput = {
    sprint: values.sprint!,
    agent: values.agent!,
    status: values.status!,
    ...(values.severity !== undefined ? { severity: values.severity } : {}),
    ...(values.ttl !== undefined ? { ttl_minutes: intFlag('ttl', values.ttl)! } : {}),
    ...(values.phase !== undefined ? { phase: values.phase } : {}),
    ...(values.title !== undefined ? { title: values.title } : {}),
    ...(values.role !== undefined ? { role: values.role } : {}),
    ...(cost !== undefined ? { cost_usd: cost } : {}),
    ...(values.message !== undefined ? { message: values.message } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(values.error !== undefined ? { error: values.error } : {}),
    ...(values.verifies !== undefined ? { verifies: values.verifies } : {}),
    ...(values.resolves !== undefined ? { resolves: values.resolves.length === 1 ? values.resolves[0]! : values.resolves } : {}),
    now: context.now(),
  };
  const entry = postEntry(root, input, { defaultTtl: config.ttl_minutes });
  let commit: string | undefined;
  if (values.commit) {
    const { commitPaths } = await import('../git/commit.js');
    commit = await commitPaths(root, [entry.path], `cos: ${entry.sprint} ${entry.agent} ${entry.status}`);
  }
  if (json) printJson(context, { entry: entryToJson(entry), ...(commit ? { commit } : {}) });
  else context.stdout(`${entry.path}\n`);
  return 0;
}
