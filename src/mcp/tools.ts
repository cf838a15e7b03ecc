/**
 * The MCP tools: one per CLI command, inputs named like the CLI flags (`fail_on` for
 * `--fail-on`). Each input schema refuses what the CLI refuses — slugs, statuses, severities,
 * whole numbers — with the CLI's own sentence; everything else (file names in verifies/resolves,
 * the ttl bound, --since syntax, dispatch refusals) the CLI itself checks, and its sentence comes
 * back as the tool error. A tool builds the argv and runs the command through the CLI's main()
 * in this process (see server.ts), so MCP and CLI cannot drift apart.
 */
import * as z from 'zod';
import { SEVERITIES, STATUSES } from '../protocol/fields.js';
import { SLUG_MAX, SLUG_PATTERN, showValue, slugExample, slugProblem } from '../protocol/slug.js';

function slugMessage(kind: string, value: unknown): string {
  // A missing key reaches the schema as undefined: say so, as the CLI does ("--sprint is required").
  if (value === undefined) return `${kind} is required; for example "${slugExample(kind)}".`;
  return `Invalid ${kind} ${showValue(value)}: ${slugProblem(value) ?? 'it is not a slug'}; for example "${slugExample(kind)}".`;
}

/** A sprint/agent/role name: the pattern and length in the JSON schema, assertSlug's sentence on failure. */
function slug(kind: string, description: string) {
  const error = (issue: { input?: unknown }) => slugMessage(kind, issue.input);
  return z
    .string({ error })
    .max(SLUG_MAX, { error, abort: true })
    .regex(SLUG_PATTERN, { error })
    .describe(description);
}

function choice<T extends readonly [string, ...string[]]>(kind: string, values: T, description: string) {
  return z
    .enum(values, { error: (issue) => (issue.input === undefined ? `${kind} is required: use one of ${values.join(', ')}.` : `Invalid ${kind} ${showValue(issue.input)}: use one of ${values.join(', ')}.`) })
    .describe(description);
}

function wholeNumber(flag: string, description: string) {
  const error = (issue: { input?: unknown }) => `Invalid --${flag} ${showValue(issue.input)}: give a whole number of at least 1.`;
  return z.number({ error }).int({ error }).min(1, { error }).describe(description);
}

const text = (description: string) => z.string().describe(description);
const flag = (description: string) => z.boolean().describe(description);

const sprint = slug('sprint', 'sprint slug: [a-z0-9][a-z0-9._-]*, at most 64 characters');
const agent = slug('agent', 'agent slug (same rules as sprint): who you are');

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
  toArgv(input: Record<string, unknown>): ToolCall;
}

/** `--name=value` (a value may start with "-"), repeated for lists, bare for true. */
function flags(input: Record<string, unknown>, names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const value = input[name];
    if (value === undefined || value === null || value === false) continue;
    const cli = `--${name.replace(/_/g, '-')}`;
    if (value === true) out.push(cli);
    else if (Array.isArray(value)) for (const item of value) out.push(`${cli}=${String(item)}`);
    else out.push(`${cli}=${String(value)}`);
  }
  return out;
}

export const TOOLS: readonly ToolDefinition[] = [
  {
    name: 'post',
    title: 'Post a status entry',
    description:
      'Write one status entry (cos post). Start with IN_PROGRESS, end with COMPLETE, BLOCKED or FAILED; VERIFIED with verifies checks another agent\'s COMPLETE; resolves closes an URGENT/BLOCKER escalation. Returns { version, entry: { file, seq, ...fields } }.',
    input: z
      .object({
        sprint,
        agent,
        status: choice('status', STATUSES, 'DISPATCHED | IN_PROGRESS | BLOCKED | FAILED | COMPLETE | VERIFIED'),
        severity: choice('severity', SEVERITIES, 'INFO (default) | WARN | URGENT | BLOCKER').optional(),
        ttl: wholeNumber('ttl', 'minutes before a silent open entry counts as stale (default: config ttl_minutes)').optional(),
        phase: text('phase name').optional(),
        title: text('human title of the sprint').optional(),
        role: text("the agent's role").optional(),
        cost: z.number({ error: (issue) => `Invalid --cost ${showValue(issue.input)}: give a non-negative number of US dollars.` }).min(0, { error: (issue) => `Invalid --cost ${showValue(issue.input)}: give a non-negative number of US dollars.` }).describe('spend (USD) to add to the sprint budget').optional(),
        message: text('free markdown appended to the standard body').optional(),
        body: text('the whole body (markdown) instead of the standard one; not with message').optional(),
        body_file: text('a file (relative to the repository) holding the whole body').optional(),
        error: text('failure signature (on FAILED), compared across attempts').optional(),
        verifies: text('the COMPLETE entry file name this VERIFIED entry checked').optional(),
        resolves: z.union([z.string(), z.array(z.string())]).describe('URGENT/BLOCKER entry file name(s) this entry resolves').optional(),
        commit: flag('git-commit exactly this entry').optional(),
      })
      .strict(),
    toArgv(input) {
      const call: ToolCall = {
        argv: ['post', ...flags(input, ['sprint', 'agent', 'status', 'severity', 'ttl', 'phase', 'title', 'role', 'cost', 'message', 'body_file', 'error', 'verifies', 'resolves', 'commit'])],
      };
      if (typeof input.body === 'string') {
        if (input.body_file !== undefined) throw new Error('Give either body or body_file, not both.');
        call.argv.push('--body-file=-');
        call.stdin = input.body;
      }
      return call;
    },
  },
  {
    name: 'heartbeat',
    title: 'Heartbeat',
    description:
      "Refresh the heartbeat of your open (DISPATCHED or IN_PROGRESS) entry on the sprint (cos heartbeat). if_due writes only when the last heartbeat is older than heartbeat.min_interval_seconds. Returns { version, entry, written, previous }.",
    input: z
      .object({
        sprint,
        agent,
        ttl: wholeNumber('ttl', "also set the entry's ttl_minutes").optional(),
        if_due: flag('write only when the last heartbeat is older than heartbeat.min_interval_seconds').optional(),
      })
      .strict(),
    toArgv: (input) => ({ argv: ['heartbeat', ...flags(input, ['sprint', 'agent', 'ttl', 'if_due'])] }),
  },
  {
    name: 'status',
    title: 'Pipeline status',
    description: 'The pipeline dashboard (cos status): one row per sprint with state, agents, severity and flags. Returns { version, sprints: [...] }.',
    input: z.object({ all: flag('include finished sprints').optional() }).strict(),
    toArgv: (input) => ({ argv: ['status', ...flags(input, ['all'])] }),
  },
  {
    name: 'scan',
    title: 'Scan for findings',
    description:
      'Every finding (cos scan): stale, conflict, escalation, repeated-failure, unverified, unsynced, overflow, malformed, duplicate-seq, over-budget, each with severity, sprint, files, message and action. A finding at or above fail_on is a result here, not an error. Returns { version, findings, entries, problems }.',
    input: z.object({ fail_on: choice('--fail-on', [...SEVERITIES, 'never'] as const, 'INFO | WARN | URGENT | BLOCKER | never (default: config scan.fail_on)').optional() }).strict(),
    okCodes: [2],
    toArgv: (input) => ({ argv: ['scan', ...flags(input, ['fail_on'])] }),
  },
  {
    name: 'brief',
    title: 'Daily briefing',
    description: 'The daily briefing (cos brief): highlights, completed, in progress, blocked or failed, unverified claims, what to dispatch next.',
    input: z.object({ since: text('window for "completed": a duration (90m, 24h, 7d) or an ISO time; default 24h').optional() }).strict(),
    toArgv: (input) => ({ argv: ['brief', ...flags(input, ['since'])] }),
  },
  {
    name: 'dispatch',
    title: 'Dispatch a role onto a sprint',
    description:
      'Claim a sprint for a role (cos dispatch): refused on a dispatch conflict, an open escalation or a repeated failure unless force; runs the role\'s preflight; writes the DISPATCHED entry. Returns { version, entry, prompt } where prompt is the briefing for the spawned agent.',
    input: z
      .object({
        role: slug('role', 'the role (a file .agent/roles/<role>.md)'),
        sprint,
        agent: slug('agent', 'the agent name to dispatch (default: the role name)').optional(),
        force: flag('dispatch despite a conflict, escalation or repeated failure (the blocking entries are superseded)').optional(),
        ttl: wholeNumber('ttl', "the DISPATCHED entry's ttl_minutes").optional(),
      })
      .strict(),
    toArgv: (input) => ({ argv: ['dispatch', ...flags(input, ['agent', 'force', 'ttl']), '--', String(input.role), String(input.sprint)] }),
  },
];
