/**
 * The MCP tools: one per CLI command, inputs derived from the command's flag declaration
 * (mcp/schema.ts), so a flag added to a command marked `mcp` is an input here without touching
 * this file. Each input schema refuses what the CLI refuses — slugs, statuses, severities, whole
 * numbers — with the CLI's own sentence; everything else (file names in verifies/resolves, the ttl
 * bound, --since syntax, dispatch refusals) the command itself checks, and its sentence comes back
 * as the tool error. A tool builds the argv and runs the command through the CLI's main() in this
 * process (see server.ts), so MCP and CLI cannot drift apart.
 */
import * as z from 'zod';
import { readRepositoryBodyFile } from '../trust/body-file.js';
import { flags as briefFlags } from '../commands/brief.js';
import { flags as dispatchFlags } from '../commands/dispatch.js';
import type { Flags } from '../commands/flags.js';
import { flags as heartbeatFlags } from '../commands/heartbeat.js';
import { flags as leaseFlags } from '../commands/lease.js';
import { flags as planFlags } from '../commands/plan.js';
import { flags as ackFlags } from '../commands/ack.js';
import { flags as postFlags } from '../commands/post.js';
import { flags as resolveFlags } from '../commands/resolve.js';
import { flags as releaseFlags } from '../commands/release.js';
import { flags as scanFlags } from '../commands/scan.js';
import { flags as statusFlags } from '../commands/status.js';
import { inputName, slugInput, toolInput } from './schema.js';

export interface ToolCall {
  /** argv for main(), without --json and --dir (the server adds them). */
  argv: string[];
  /** Text for stdin (post's body). */
  stdin?: string;
}

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject;
  /** Exit codes that are results, not errors (scan's 2). */
  okCodes?: number[];
  /** `root`: the repository the server serves (files a client names are confined to it). */
  toArgv(input: Record<string, unknown>, root: string): ToolCall;
}

/** `--name=value` for every declared flag given (a value may start with "-"), repeated for lists, bare for true. */
export function flagArgv(flags: Flags, input: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const flag of Object.keys(flags)) {
    const value = input[inputName(flag)];
    if (value === undefined || value === null || value === false || !flags[flag]!.mcp) continue;
    if (value === true) out.push(`--${flag}`);
    else if (Array.isArray(value)) for (const item of value) out.push(`--${flag}=${String(item)}`);
    else out.push(`--${flag}=${String(value)}`);
  }
  return out;
}

/** A plan's name: it is stored as .agent/plans/<name>.yaml. */
const planName = slugInput('name', "the plan's name (it is stored as .agent/plans/<name>.yaml)");

/** A plan: its YAML text, or the same as an object { summary, steps }. No file path: an MCP client never makes cos read a file. */
const planInput = z
  .union([z.string(), z.record(z.string(), z.unknown())], { error: 'plan must be the plan as YAML text or as an object { summary, steps }.' })
  .describe('the plan: YAML text, or an object { summary, steps: [{ sprint, title, role, done_when, depends_on, skills }] }');

/** JSON is YAML: an object plan goes to the CLI as its JSON text. */
function planText(plan: unknown): string {
  return typeof plan === 'string' ? plan : JSON.stringify(plan);
}

export const TOOLS: readonly ToolDefinition[] = [
  {
    name: 'post',
    title: 'Post a status entry',
    description:
      'Write one status entry (cos post). Start with IN_PROGRESS, end with COMPLETE, BLOCKED or FAILED; VERIFIED (with verifies, or picking the latest unverified claim) checks another agent\'s COMPLETE of the same sprint, FAILED with verifies and error rejects it; NOTE is a remark that holds nothing. To settle an escalation use the resolve tool. Returns { version, entry: { file, seq, ...fields, body } }.',
    input: toolInput(postFlags, { body: z.string().describe('the whole body (markdown) instead of the standard one; not with message').optional() }),
    toArgv(input, root) {
      // body_file never reaches the CLI's --body-file (the user's own, unconfined): the server reads
      // it here, only inside the repository (trust/body-file.ts), and hands it over as stdin.
      const call: ToolCall = { argv: ['post', ...flagArgv(postFlags, { ...input, body_file: undefined })] };
      if (typeof input.body === 'string' && input.body_file !== undefined) throw new Error('Give either body or body_file, not both.');
      const body = input.body_file !== undefined ? readRepositoryBodyFile(root, input.body_file) : input.body;
      if (typeof body === 'string') {
        call.argv.push('--body-file=-');
        call.stdin = body;
      }
      return call;
    },
  },
  {
    name: 'resolve',
    title: 'Resolve entries',
    description:
      'Settle entries (cos resolve): an URGENT/BLOCKER escalation that was dealt with, a FAILED attempt that should stop counting, a VERIFIED that counts for nothing. Writes a NOTE with resolves: it holds nothing and changes no sprint state. Returns { version, entries: [NOTE...] }.',
    input: toolInput(resolveFlags, {
      files: z.array(z.string()).min(1, { error: 'Name at least one entry file to resolve.' }).describe('entry file names (or paths) to resolve'),
    }),
    toArgv: (input) => ({ argv: ['resolve', ...flagArgv(resolveFlags, input), '--', ...(input.files as unknown[]).map(String)] }),
  },
  {
    name: 'ack',
    title: 'Acknowledge an escalation',
    description: 'Acknowledge an URGENT/BLOCKER entry (cos ack): a NOTE with acknowledges that stops re-escalation without resolving it. Returns { version, entry }.',
    input: toolInput(ackFlags, { file: z.string().describe('the escalation entry file name (or path)') }),
    toArgv: (input) => ({ argv: ['ack', ...flagArgv(ackFlags, input), '--', String(input.file)] }),
  },
  {
    name: 'heartbeat',
    title: 'Heartbeat',
    description:
      "Refresh the heartbeat of your holding (DISPATCHED, IN_PROGRESS or BLOCKED) entry on the sprint (cos heartbeat). if_due writes only when the last heartbeat is older than heartbeat.min_interval_seconds. Returns { version, entry, written, previous }.",
    input: toolInput(heartbeatFlags),
    toArgv: (input) => ({ argv: ['heartbeat', ...flagArgv(heartbeatFlags, input)] }),
  },
  {
    name: 'status',
    title: 'Pipeline status',
    description: 'The pipeline dashboard (cos status): one row per sprint with its lifecycle state (WAITING, READY, DISPATCHED, IN_PROGRESS, STALE, BLOCKED, FAILED, COMPLETE, VERIFIED), agents, the severity of its highest open finding and flags. Returns { version, sprints: [...] }.',
    input: toolInput(statusFlags),
    toArgv: (input) => ({ argv: ['status', ...flagArgv(statusFlags, input)] }),
  },
  {
    name: 'scan',
    title: 'Scan for findings',
    description:
      'Every finding (cos scan): stale, conflict, escalation, repeated-failure, unverified, unsynced, overflow, malformed, duplicate-seq, over-budget, invalid-verification, each with severity, sprint, files, message and action. A finding at or above fail_on is a result here, not an error. Returns { version, findings, entries, problems }.',
    input: toolInput(scanFlags),
    okCodes: [2],
    toArgv: (input) => ({ argv: ['scan', ...flagArgv(scanFlags, input)] }),
  },
  {
    name: 'brief',
    title: 'Daily briefing',
    description: 'The daily briefing (cos brief): highlights, completed, in progress, blocked or failed, unverified claims, what to dispatch next.',
    input: toolInput(briefFlags),
    toArgv: (input) => ({ argv: ['brief', ...flagArgv(briefFlags, input)] }),
  },
  {
    name: 'dispatch',
    title: 'Dispatch a role onto a sprint',
    description:
      'Claim a sprint for a role (cos dispatch): refused on a dispatch conflict, an open escalation or a repeated failure unless force; runs the role\'s preflight; writes the DISPATCHED entry. Returns { version, entry, prompt } where prompt is the briefing for the spawned agent.',
    input: toolInput(dispatchFlags, {
      role: slugInput('role', 'the role (a file .agent/roles/<role>.md)'),
      sprint: slugInput('sprint', 'sprint slug: [a-z0-9][a-z0-9._-]*, at most 64 characters'),
    }),
    toArgv: (input) => ({ argv: ['dispatch', ...flagArgv(dispatchFlags, input), '--', String(input.role), String(input.sprint)] }),
  },
  {
    name: 'plan_check',
    title: 'Check a plan',
    description:
      'Validate a plan (cos plan check): summary and at most 6 steps { sprint, title, role, done_when, depends_on: [sprint...], skills: [...] }; roles that exist, dependencies on a step or an existing sprint, no duplicates, no cycles. Every problem is listed at once, each naming the step and field. Returns { version, ok, plan, problems: [] }.',
    input: toolInput({}, { name: planName, plan: planInput }),
    toArgv: (input) => ({ argv: ['plan', 'check', '-', `--name=${String(input.name)}`], stdin: planText(input.plan) }),
  },
  {
    name: 'plan_apply',
    title: 'Apply a plan',
    description:
      'Validate and store a plan (cos plan apply) as .agent/plans/<name>.yaml. A changed plan is a replan (its attempt goes up); a replan past dispatch.attempt_cap is refused with a BLOCKER NOTE asking a human. commit commits it with git. Returns { version, outcome: created | replanned | unchanged, file, attempt, attempt_cap, commit, plan }.',
    input: toolInput(planFlags, { name: planName, plan: planInput }),
    toArgv: (input) => ({ argv: ['plan', 'apply', '-', `--name=${String(input.name)}`, ...flagArgv(planFlags, input)], stdin: planText(input.plan) }),
  },
  {
    name: 'ready',
    title: 'Ready queue',
    description:
      'The plan steps that can be dispatched now (cos ready): READY (every dependency finished, nobody took it up) and WAITING with what they wait on. Returns { version, ready: [{ sprint, role, plan, title }], waiting: [{ sprint, waiting_on, role, plan, title }], problems }.',
    input: toolInput({}),
    toArgv: () => ({ argv: ['ready'] }),
  },
  {
    name: 'lease',
    title: 'Lease paths',
    description:
      'Lease repository paths for your work (cos lease): a NOTE with lease: [patterns], live until released or until your latest heartbeat on the sprint plus ttl; other agents\' commits touching them are refused by the pre-commit guard. Refused when a pattern overlaps another live agent\'s lease (the error names the holder). Returns { version, entry, leases }.',
    input: toolInput(leaseFlags, { patterns: z.array(z.string().min(1)).min(1).describe('globs relative to the repository, e.g. ["src/api/**", "docs/api.md"]') }),
    toArgv: (input) => ({ argv: ['lease', ...flagArgv(leaseFlags, input), '--', ...(input.patterns as string[]).map(String)] }),
  },
  {
    name: 'release',
    title: 'Release leased paths',
    description: 'Give back path leases (cos release): a NOTE with releases: [patterns]; without patterns, every live lease of the agent on the sprint. Returns { version, entry, released }.',
    input: toolInput(releaseFlags, { patterns: z.array(z.string().min(1)).describe('the leased globs to give back (default: all of them)').optional() }),
    toArgv: (input) => ({ argv: ['release', ...flagArgv(releaseFlags, input), '--', ...((input.patterns as string[] | undefined) ?? []).map(String)] }),
  },
];
