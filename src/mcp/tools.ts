/**
 * The MCP tools: one per CLI command, inputs derived from the command's flag declaration
 * (mcp/schema.ts), so a flag added to a command marked `mcp` is an input here without touching
 * this file. Each input schema refuses what the CLI refuses — slugs, statuses, severities, whole
 * numbers — with the CLI's own sentence; everything else (file names in verifies/resolves, the ttl
 * bound, --since syntax, dispatch refusals) the command itself checks. A tool calls the command's
 * `execute` — the same operation the CLI runs, with the same checks — and returns its JSON
 * document; a CosError becomes the tool's error (server.ts), worded as the CLI words it. Nothing
 * goes through argv or stdout, and nothing here imports the CLI.
 */
import * as z from 'zod/mini';
import * as ack from '../commands/ack.js';
import * as brief from '../commands/brief.js';
import type { OperationIo, Outcome } from '../commands/context.js';
import * as dispatch from '../commands/dispatch.js';
import type { Flags, FlagValues } from '../commands/flags.js';
import * as heartbeat from '../commands/heartbeat.js';
import * as lease from '../commands/lease.js';
import * as plan from '../commands/plan.js';
import * as post from '../commands/post.js';
import * as ready from '../commands/ready.js';
import * as release from '../commands/release.js';
import * as resolve from '../commands/resolve.js';
import * as scan from '../commands/scan.js';
import * as status from '../commands/status.js';
import { EXIT, InputError } from '../errors.js';
import { readRepositoryBodyFile } from '../trust/body-file.js';
import { inputName, slugInput, toolInput } from './schema.js';

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  input: z.ZodMiniObject;
  /**
   * Finish reading the validated input before the operation runs (post's body_file); its errors
   * are the tool's input errors, shown as they are, like the schema's.
   */
  prepare?(input: Record<string, unknown>, root: string): Record<string, unknown>;
  /** Run the operation on validated input (`io.root` is the repository served); throws a CosError on refusal. */
  run(input: Record<string, unknown>, io: OperationIo): Promise<Outcome<unknown>>;
  /** Exit codes that are results, not errors (scan's 2). */
  okCodes?: number[];
}

/**
 * A tool's validated input as the command's flag values: `if_due` → `if-due`, numbers as the text
 * a flag would carry (the command converts and checks them exactly as it does for the CLI). Only
 * flags marked `mcp` are taken.
 */
export function flagValues<F extends Flags>(flags: F, input: Record<string, unknown>): FlagValues<F> {
  const values: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(flags)) {
    const value = input[inputName(flag)];
    if (value === undefined || value === null || !spec.mcp) continue;
    if (spec.type === 'boolean') values[flag] = value === true;
    else if (spec.multiple) values[flag] = (Array.isArray(value) ? value : [value]).map(String);
    else values[flag] = String(value);
  }
  return values as FlagValues<F>;
}

/**
 * The post tool's body_file never reaches the command's --body-file (the CLI user's own file,
 * unconfined): it is read here, only inside the repository (trust/body-file.ts), and handed over
 * as the body, as `body` is.
 */
function readBodyFile(input: Record<string, unknown>, root: string): Record<string, unknown> {
  if (input.body_file === undefined) return input;
  if (typeof input.body === 'string') throw new InputError('Give either body or body_file, not both.');
  return { ...input, body_file: undefined, body: readRepositoryBodyFile(root, input.body_file) };
}

/** `cos post` with the body (if any) as its stdin. */
function runPost(input: Record<string, unknown>, io: OperationIo): Promise<Outcome<unknown>> {
  const values = flagValues(post.flags, { ...input, body_file: undefined });
  const body = input.body;
  if (typeof body !== 'string') return post.execute(values, io);
  return post.execute({ ...values, 'body-file': '-' }, { ...io, readStdin: async () => body });
}

/** A command the MCP server offers as it is: its MCP-marked flags are the inputs, its execute runs. */
interface PlainCommand<F extends Flags> {
  flags: F;
  execute(values: FlagValues<F>, io: OperationIo): Promise<Outcome<unknown>>;
}

/** The tool of a command that takes no positional arguments. */
function commandTool<F extends Flags>(name: string, title: string, description: string, command: PlainCommand<F>, okCodes?: number[]): ToolDefinition {
  return {
    name,
    title,
    description,
    input: toolInput(command.flags),
    run: (input, io) => command.execute(flagValues(command.flags, input), io),
    ...(okCodes ? { okCodes } : {}),
  };
}

/** A plan's name: it is stored as .agent/plans/<name>.yaml. */
const planName = slugInput('name', "the plan's name (it is stored as .agent/plans/<name>.yaml)");

/** A plan: its YAML text, or the same as an object { summary, steps }. No file path: an MCP client never makes cos read a file. */
const planInput = z
  .union([z.string(), z.record(z.string(), z.unknown())], { error: 'plan must be the plan as YAML text or as an object { summary, steps }.' })
  .check(z.describe('the plan: YAML text, or an object { summary, steps: [{ sprint, title, role, done_when, depends_on, skills }] }'));

/** JSON is YAML: an object plan is read as its JSON text. */
function planText(plan: unknown): string {
  return typeof plan === 'string' ? plan : JSON.stringify(plan);
}

export const TOOLS: readonly ToolDefinition[] = [
  {
    name: 'post',
    title: 'Post a status entry',
    description:
      'Write one status entry (cos post). Start with IN_PROGRESS, end with COMPLETE, BLOCKED or FAILED; VERIFIED (with verifies, or picking the latest unverified claim) checks another agent\'s COMPLETE of the same sprint, FAILED with verifies and error rejects it; NOTE is a remark that holds nothing. To settle an escalation use the resolve tool. Returns { version, entry: { file, seq, ...fields, body } }, with commit also commit (the sha); a commit git refuses is an error that still carries the written entry (commit: null, ok: false, error).',
    input: toolInput(post.flags, { body: z.optional(z.string().check(z.describe('the whole body (markdown) instead of the standard one; not with message'))) }),
    prepare: readBodyFile,
    run: runPost,
  },
  {
    name: 'resolve',
    title: 'Resolve entries',
    description:
      'Settle entries (cos resolve): an URGENT/BLOCKER escalation that was dealt with, a FAILED attempt that should stop counting, a VERIFIED that counts for nothing. Writes a NOTE with resolves: it holds nothing and changes no sprint state. Returns { version, entries: [NOTE...] }.',
    input: toolInput(resolve.flags, {
      files: z.array(z.string()).check(z.minLength(1, { error: 'Name at least one entry file to resolve.' }), z.describe('entry file names (or paths) to resolve')),
    }),
    run: (input, io) => resolve.execute(flagValues(resolve.flags, input), io, (input.files as unknown[]).map(String)),
  },
  {
    name: 'ack',
    title: 'Acknowledge an escalation',
    description: 'Acknowledge an URGENT/BLOCKER entry (cos ack): a NOTE with acknowledges that stops re-escalation without resolving it. Returns { version, entry }.',
    input: toolInput(ack.flags, { file: z.string().check(z.describe('the escalation entry file name (or path)')) }),
    run: (input, io) => ack.execute(flagValues(ack.flags, input), io, String(input.file)),
  },
  commandTool(
    'heartbeat',
    'Heartbeat',
    "Refresh the heartbeat of your holding (DISPATCHED, IN_PROGRESS or BLOCKED) entry on the sprint (cos heartbeat). if_due writes only when the last heartbeat is older than heartbeat.min_interval_seconds. Returns { version, entry, written, previous }.",
    heartbeat,
  ),
  commandTool(
    'status',
    'Pipeline status',
    'The pipeline dashboard (cos status): one row per sprint with its lifecycle state (WAITING, READY, DISPATCHED, IN_PROGRESS, STALE, BLOCKED, FAILED, COMPLETE, VERIFIED), agents, the severity of its highest open finding and flags. Returns { version, sprints: [...] }.',
    status,
  ),
  commandTool(
    'scan',
    'Scan for findings',
    'Every finding (cos scan): stale, conflict, escalation, repeated-failure, unverified, unsynced, overflow, malformed, duplicate-seq, over-budget, invalid-verification, each with severity, sprint, files, message and action. A finding at or above fail_on is a result here, not an error. Returns { version, findings, entries, problems }.',
    scan,
    [EXIT.findings],
  ),
  commandTool(
    'brief',
    'Daily briefing',
    'The daily briefing (cos brief): highlights, completed, in progress, blocked or failed, unverified claims, what to dispatch next.',
    brief,
  ),
  {
    name: 'dispatch',
    title: 'Dispatch a role onto a sprint',
    description:
      'Claim a sprint for a role (cos dispatch): refused on a dispatch conflict, an open escalation or a repeated failure unless force; runs the role\'s preflight; writes the DISPATCHED entry. Returns { version, entry, prompt } where prompt is the briefing for the spawned agent.',
    input: toolInput(dispatch.flags, {
      role: slugInput('role', 'the role (a file .agent/roles/<role>.md)'),
      sprint: slugInput('sprint', 'sprint slug: [a-z0-9][a-z0-9._-]*, at most 64 characters'),
    }),
    run: (input, io) => dispatch.execute(flagValues(dispatch.flags, input), io, String(input.role), String(input.sprint)),
  },
  {
    name: 'plan_check',
    title: 'Check a plan',
    description:
      'Validate a plan (cos plan check): summary and at most 6 steps { sprint, title, role, done_when, depends_on: [sprint...], skills: [...] }; roles that exist, dependencies on a step or an existing sprint, no duplicates, no cycles. Every problem is listed at once, each naming the step and field. Returns { version, ok, plan, problems: [] }.',
    input: toolInput({}, { name: planName, plan: planInput }),
    run: (input, io) => plan.execute({}, io, 'check', { name: String(input.name), text: planText(input.plan) }),
  },
  {
    name: 'plan_apply',
    title: 'Apply a plan',
    description:
      'Validate and store a plan (cos plan apply) as .agent/plans/<name>.yaml. A changed plan is a replan (its attempt goes up); a replan past dispatch.attempt_cap is refused with a BLOCKER NOTE asking a human. commit commits it with git (a commit git refuses is an error that still carries the stored plan document: commit: null, ok: false, error). Returns { version, outcome: created | replanned | unchanged, file, attempt, attempt_cap, commit, plan }.',
    input: toolInput(plan.flags, { name: planName, plan: planInput }),
    run: (input, io) => plan.execute(flagValues(plan.flags, input), io, 'apply', { name: String(input.name), text: planText(input.plan) }),
  },
  commandTool(
    'ready',
    'Ready queue',
    'The plan steps that can be dispatched now (cos ready): READY (every dependency finished, nobody took it up) and WAITING with what they wait on. Returns { version, ready: [{ sprint, role, plan, title }], waiting: [{ sprint, waiting_on, role, plan, title }], problems }.',
    ready,
  ),
  {
    name: 'lease',
    title: 'Lease paths',
    description:
      'Lease repository paths for your work (cos lease): a NOTE with lease: [patterns], live until released or until your latest heartbeat on the sprint plus ttl; other agents\' commits touching them are refused by the pre-commit guard. Refused when a pattern overlaps another live agent\'s lease (the error names the holder). Returns { version, entry, leases }.',
    input: toolInput(lease.flags, { patterns: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.describe('globs relative to the repository, e.g. ["src/api/**", "docs/api.md"]')) }),
    run: (input, io) => lease.execute(flagValues(lease.flags, input), io, (input.patterns as unknown[]).map(String)),
  },
  {
    name: 'release',
    title: 'Release leased paths',
    description: 'Give back path leases (cos release): a NOTE with releases: [patterns]; without patterns, every live lease of the agent on the sprint. Returns { version, entry, released }.',
    input: toolInput(release.flags, { patterns: z.optional(z.array(z.string().check(z.minLength(1))).check(z.describe('the leased globs to give back (default: all of them)'))) }),
    run: (input, io) => release.execute(flagValues(release.flags, input), io, ((input.patterns as unknown[] | undefined) ?? []).map(String)),
  },
];
