/**
 * coordination.yaml: one zod schema gives every key its type, rule, default and TypeScript type;
 * problems.ts turns a raw document into the complete config plus warnings (unknown keys) and
 * errors (bad values), every problem at once. Pure.
 *
 * `zod/mini` rather than `zod`: every command loads the config, and the mini build is the one a
 * bundle can shake down to what this schema uses (BENCHMARKS.md, start-up).
 */
import * as z from 'zod/mini';
import { FIELDS, PROTOCOL_VERSION, SEVERITIES, type Severity } from '../protocol/fields.js';
import { KINDS, MAX_TTL_MINUTES } from '../protocol/kinds.js';
import { checkConfig } from './problems.js';

/** The guard's built-in rules (named in `guard.deny`; any other item is a command pattern). */
export const GUARD_RULES = ['force-push', 'recursive-delete-outside-repo', 'drop-database'] as const;

const POSITIVE_INT = 'must be a positive whole number';
const POSITIVE_NUMBER = 'must be a positive number';
const TEXT = 'must be a non-empty string';
const TEXT_LIST = 'must be a list of non-empty strings';

// One instance per rule, shared by every key that has it (zod schemas are immutable): building
// zod schemas is a measurable part of start-up.
const POSITIVE_INT_SCHEMA = z.int({ error: POSITIVE_INT }).check(z.positive({ error: POSITIVE_INT }));
const POSITIVE_NUMBER_SCHEMA = z.number({ error: POSITIVE_NUMBER }).check(z.positive({ error: POSITIVE_NUMBER }));
const positiveInt = (fallback: number) => z._default(POSITIVE_INT_SCHEMA, fallback);
const positiveNumber = (fallback: number) => z._default(POSITIVE_NUMBER_SCHEMA, fallback);
// The default ttl of entries: the protocol field's own rule (FIELDS.ttl_minutes and its kind),
// so a config can never hold a ttl that every `cos post` without --ttl would then refuse.
const TTL = `must be a whole number of minutes from 1 to ${MAX_TTL_MINUTES} (a year), as an entry's ttl_minutes`;
const ttlRule = KINDS[FIELDS.ttl_minutes.kind];
const TTL_SCHEMA = z._default(z.number({ error: TTL }).check(z.refine((value) => ttlRule.read(value) === undefined, { error: TTL })), FIELDS.ttl_minutes.default);
const text = z.string({ error: TEXT }).check(z.minLength(1, { error: TEXT }));
const TEXT_LIST_SCHEMA = z.array(z.string({ error: TEXT_LIST }).check(z.refine((item) => item.trim() !== '', { error: TEXT_LIST })), { error: TEXT_LIST });
const textList = (fallback: readonly string[]) => z._default(TEXT_LIST_SCHEMA, () => [...fallback]);
/** A nested mapping whose keys take their own defaults when it is absent. */
const section = <T extends z.core.$ZodLooseShape>(shape: T) => z.prefault(z.object(shape, { error: 'must be a mapping' }), {} as z.input<z.ZodMiniObject<T>>);

const notifyShape = Object.fromEntries(SEVERITIES.map((severity) => [severity, z.optional(text)])) as Record<Severity, z.ZodMiniOptional<typeof text>>;

export const COORDINATION_SCHEMA = z.object({
  version: z._default(z.literal(1, { error: 'must be 1' }), 1),
  /** The entry protocol the repository says it uses (`cos init` writes the current one). */
  protocol: positiveInt(PROTOCOL_VERSION),
  /** Whether a COMPLETE needs a VERIFIED from another agent before the sprint is finished. */
  verification: z._default(z.enum(['required', 'optional'], { error: 'must be required or optional' }), 'required'),
  ttl_minutes: TTL_SCHEMA,
  archive: section({ max_current: positiveInt(50), max_age_days: positiveNumber(7) }),
  /** `remote`: claim sprints through this git remote (`cos dispatch --remote`) by default. */
  dispatch: section({ attempt_cap: positiveInt(3), remote: z.optional(text) }),
  /** The local agent directory that roles and skills sync to (`~` expanded by the caller). */
  local_root: z._default(text, '~/.claude'),
  scan: section({
    fail_on: z._default(z.enum([...SEVERITIES, 'never'], { error: `must be one of ${SEVERITIES.join(', ')}, never` }), 'URGENT'),
  }),
  budget_usd_per_sprint: z.optional(POSITIVE_NUMBER_SCHEMA),
  watch: section({ reconcile_seconds: positiveNumber(60), exec_timeout_seconds: positiveNumber(10), notion_debounce_seconds: positiveNumber(5) }),
  heartbeat: section({ min_interval_seconds: positiveNumber(60) }),
  /** `cos hook pre-tool-use` (docs/guard.md). */
  guard: section({ deny: textList(GUARD_RULES), protected_branches: textList(['main', 'master']), approval_minutes: positiveNumber(30) }),
  /** `cos watch` raises an unacknowledged URGENT/BLOCKER finding again this often. */
  escalation: section({ repeat_minutes: positiveNumber(30) }),
  /** Commands `cos watch` runs for new and re-escalated findings of a severity. */
  notify: section(notifyShape),
});

/** The complete config every command works with (the schema's output: defaults filled in). */
export type CoordinationConfig = z.output<typeof COORDINATION_SCHEMA>;

/** coordination.yaml when the file is absent or leaves every key out. */
export const DEFAULT_CONFIG: CoordinationConfig = COORDINATION_SCHEMA.parse({});

/** coordination.yaml resolved: the complete config, warnings and errors. */
export interface ResolvedConfig {
  config: CoordinationConfig;
  warnings: string[];
  errors: string[];
}

/**
 * agent-cos 0.N is the first release that reads protocol N (docs/protocol.md, "Protocol
 * versions"): a cos meeting a higher protocol names the release the repository needs.
 */
export function releaseForProtocol(protocol: number): string {
  return `0.${protocol}.0`;
}

/** One sentence for a repository written by a newer protocol than this cos knows, or null. */
export function protocolProblem(protocol: number, file: string, version: string): string | null {
  if (protocol <= PROTOCOL_VERSION) return null;
  return `${file} says protocol ${protocol}, which this agent-cos (${version}, protocol ${PROTOCOL_VERSION}) does not know; this repository needs agent-cos ${releaseForProtocol(protocol)} or later (npm install agent-cos@latest).`;
}

/** Raw YAML value → complete config, every unknown key warned and every bad value an error. */
export function resolveConfig(raw: unknown): ResolvedConfig {
  const checked = checkConfig(COORDINATION_SCHEMA, raw, 'the file must be a mapping of keys (e.g. "ttl_minutes: 30")');
  return { config: checked.value, warnings: checked.warnings, errors: checked.errors };
}
