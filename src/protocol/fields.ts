/**
 * The entry protocol (PRODUCT.md, "The entry protocol"): every front matter field declared ONCE,
 * in FIELDS below. From that one declaration come
 * - the key order entries are written in (the order of FIELDS) and the set of known keys;
 * - validation on read (`validateFields`) and on write (`buildFields`), through the field's kind
 *   (kinds.ts holds each kind's rules, written once);
 * - the `cos post` flags, their types and their help lines (commands/post.ts);
 * - the MCP `post` tool's inputs and their JSON schema (mcp/), named like the flags with `_`;
 * - the JSON name (`cos post --json`, `entryToJson`): always the field's own name;
 * - the TypeScript types `EntryFields` and `PostInput`.
 *
 * How to add a field: add one line to FIELDS — its name (snake_case: the front matter key and the
 * JSON key), its `kind` (a kind of kinds.ts, or a new kind there with its rules), `help` (one line,
 * shown by `cos post --help` and as the MCP input's description), and, when agents set it through
 * `cos post` and MCP, `flag` (the CLI flag, without `--`) and `value` (its placeholder in help).
 * `required: true` only for fields every entry must have (that would break version-1 entries:
 * bump the protocol instead); `inputRequired: true` for flags `cos post` cannot do without.
 * Nothing else needs to change; test/protocol/declaration.test.ts adds a field this way and
 * checks that post, MCP and help accept it. A rule that relates several fields (`verifies` goes
 * with VERIFIED or FAILED) lives in store/write.ts `buildFields`; the verification rules (a review
 * names a COMPLETE of the same sprint by another agent) in state/review.ts.
 */
import { SEVERITIES, STATUSES, type KindName, type KindValues, type MultipleKind, type Severity, type Status } from './kinds.js';

export { SEVERITIES, STATUSES, type Severity, type Status };

/**
 * `protocol` in coordination.yaml (`cos init` writes it). Version 2 adds the NOTE status and the
 * `acknowledges` field, allows `resolves` on any status and checks reviews when they are written;
 * entries written by version 1 stay valid.
 */
export const PROTOCOL_VERSION = 2;

/** One protocol field. */
export interface FieldSpec {
  /** The value's kind: its rules on read and write, its flag conversion, its MCP schema. */
  readonly kind: KindName;
  /** Every entry has it (a missing one makes the entry malformed). */
  readonly required?: boolean;
  /** The `cos post` flag (without `--`) and, with `-` as `_`, the MCP input name. */
  readonly flag?: string;
  /** The flag cannot be left out of `cos post` (and the MCP post tool). */
  readonly inputRequired?: boolean;
  /** The flag's value placeholder in help, e.g. `S` for `--sprint S`. */
  readonly value?: string;
  /** One line: the flag's help and the MCP input's description. */
  readonly help: string;
  /** The value when an input leaves it out (the ttl's default comes from coordination.yaml first). */
  readonly default?: string | number;
}

/** Every protocol field, declared once (see the module comment). */
export const FIELDS = {
  timestamp: { kind: 'time', required: true, help: 'when the entry was written (UTC, whole seconds; set by cos)' },
  sprint: { kind: 'slug', required: true, flag: 'sprint', inputRequired: true, value: 'S', help: 'sprint slug ([a-z0-9][a-z0-9._-]*, at most 64 characters)' },
  agent: { kind: 'slug', required: true, flag: 'agent', inputRequired: true, value: 'A', help: 'agent slug (same rules as sprint): who you are' },
  status: { kind: 'status', required: true, flag: 'status', inputRequired: true, value: 'ST', help: 'DISPATCHED | IN_PROGRESS | BLOCKED | FAILED | COMPLETE | VERIFIED | NOTE (a remark that holds nothing and changes no state)' },
  severity: { kind: 'severity', required: true, default: 'INFO', flag: 'severity', value: 'SV', help: 'INFO (default) | WARN | URGENT | BLOCKER' },
  heartbeat: { kind: 'time', required: true, help: 'the last sign of life of an open entry (set by cos, refreshed by cos heartbeat)' },
  ttl_minutes: { kind: 'minutes', required: true, default: 30, flag: 'ttl', value: 'M', help: 'minutes before a silent open entry counts as stale (default: config ttl_minutes)' },
  phase: { kind: 'line', flag: 'phase', value: 'P', help: 'phase name' },
  title: { kind: 'line', flag: 'title', value: 'T', help: 'human title of the sprint' },
  role: { kind: 'name', flag: 'role', value: 'R', help: "the agent's role" },
  error: { kind: 'text', flag: 'error', value: 'SIG', help: 'failure signature (on FAILED), compared across attempts' },
  verifies: {
    kind: 'file',
    flag: 'verifies',
    value: 'FILE',
    help: 'the COMPLETE entry (file name or path) this reviews: with --status VERIFIED it verifies it, with --status FAILED --error SIG it rejects it; a COMPLETE of the same sprint by another agent (VERIFIED without it picks the latest unverified one)',
  },
  supersedes: { kind: 'files', help: 'the entries replaced by a forced dispatch (written by cos dispatch --force)' },
  resolves: { kind: 'files', flag: 'resolves', value: 'FILE', help: 'an entry this entry resolves, on any status (repeatable); to settle an escalation without posting progress, use cos resolve FILE' },
  acknowledges: { kind: 'files', help: 'the escalations this NOTE acknowledges: re-escalation stops, the escalation stays open (written by cos ack)' },
  cost_usd: { kind: 'usd', flag: 'cost', value: 'USD', help: "spend (USD) to add to the sprint's budget" },
  // Humans in the loop (docs/guard.md): written by cos's hooks and commands, not by cos post.
  needs_human: { kind: 'line', help: 'on a NOTE of cos hook notification: the notification type the agent waits on (permission_prompt, idle_prompt, ...)' },
  denied: { kind: 'line', help: "on a guard's BLOCKER NOTE: the exact (whitespace-normalised) command it denied" },
  approves: { kind: 'file', help: 'on a cos approve NOTE: the guard denial it lets through once' },
  lease: { kind: 'globs', help: 'on a cos lease NOTE: the path globs the agent leases' },
  releases: { kind: 'globs', help: 'on a cos release NOTE: the path globs the agent gives back' },
} as const satisfies Record<string, FieldSpec>;

/** The name of a protocol field (a key of FIELDS). */
export type FieldName = keyof typeof FIELDS;
type Spec = typeof FIELDS;

/** Every field name, in the order entries are written; unknown keys follow in the order they were read. */
export const KEY_ORDER = Object.keys(FIELDS) as FieldName[];
/** The declared fields every entry must have, in key order. */
export const REQUIRED_FIELDS = KEY_ORDER.filter((name) => (FIELDS[name] as FieldSpec).required === true);
/** The declared fields an entry may leave out, in key order. */
export const OPTIONAL_FIELDS = KEY_ORDER.filter((name) => (FIELDS[name] as FieldSpec).required !== true);
/** The fields `cos post` and the MCP post tool take, each with its flag. */
export const INPUT_FIELDS = KEY_ORDER.filter((name) => (FIELDS[name] as FieldSpec).flag !== undefined);

/** The declaration of one field, widened for code that loops over all of them. */
export function fieldSpec(name: string): FieldSpec | undefined {
  return  Object.hasOwn(FIELDS, name) ? (FIELDS as Record<string, FieldSpec>)[name] : undefined;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ValueOf<K extends FieldName> = KindValues[Spec[K]['kind']];
type RequiredName = { [K in FieldName]: Spec[K] extends { required: true } ? K : never }[FieldName];
type OptionalName = Exclude<FieldName, RequiredName>;

/**
 * The frontmatter of a valid entry: the declared fields (required ones always present) and the
 * unknown fields in `extra`, in the order they were read, never dropped.
 */
export type EntryFields = Simplify<
  { [K in RequiredName]: ValueOf<K> } & { [K in OptionalName]?: ValueOf<K> } & { extra: Record<string, unknown> }
>;

type InputValue<K extends FieldName> = Spec[K]['kind'] extends 'status' | 'severity' ? ValueOf<K> | string : ValueOf<K>;
type SetName = { [K in FieldName]: Spec[K]['kind'] extends 'time' ? never : K }[FieldName];
type InputRequiredName = { [K in SetName]: Spec[K] extends { inputRequired: true } ? K : never }[SetName];

/**
 * The declared fields a writer sets (all but the times cos sets itself): `sprint`, `agent` and
 * `status` required, the rest optional; status and severity in any case.
 */
export type FieldInputs = Simplify<
  { [K in InputRequiredName]: InputValue<K> } & { [K in Exclude<SetName, InputRequiredName>]?: InputValue<K> }
>;

type FlaggedName = { [K in FieldName]: Spec[K] extends { flag: string } ? K : never }[FieldName];

/** The `cos post` flag of each input field, typed for parseArgs (commands/flags.ts builds them). */
export type FieldFlags = {
  [K in FlaggedName as Spec[K]['flag']]: {
    readonly type: 'string';
    readonly multiple?: Spec[K]['kind'] extends MultipleKind ? true : undefined;
    readonly help: string;
    readonly value?: string;
    readonly kind: KindName;
    readonly mcp: true | 'required';
    readonly field: FieldName;
  };
};

/** An entry as read from (or written to) disk: identity is the file name. */
export interface Entry extends EntryFields {
  /** File name, e.g. `001-2026-01-14T03-45-00Z-sprintmaster.md`. */
  file: string;
  /** Path relative to the repository root, with `/` separators. */
  path: string;
  seq: number;
  /** Where it lives: `current` or `archive`. */
  location: 'current' | 'archive';
  body: string;
  /**
   * The worktree it lives in, when the repository has more than one (see store/worktrees.ts);
   * then `path` of an entry in another worktree is relative to the root it was read from.
   */
  worktree?: string;
}

/** Open statuses: the agent is (supposed to be) working and must heartbeat. */
export const OPEN_STATUSES: readonly Status[] = ['DISPATCHED', 'IN_PROGRESS'];
/** Statuses that close an agent's work on a sprint (a claim, or its verification). */
export const FINISHED_STATUSES: readonly Status[] = ['COMPLETE', 'VERIFIED'];

/** DISPATCHED or IN_PROGRESS: the agent must heartbeat. */
export function isOpen(status: Status): boolean {
  return status === 'DISPATCHED' || status === 'IN_PROGRESS';
}

/** Holding statuses: an agent whose latest entry has one (and is not superseded) holds the sprint. */
export const HOLDING_STATUSES: readonly Status[] = ['DISPATCHED', 'IN_PROGRESS', 'BLOCKED'];

/** DISPATCHED, IN_PROGRESS or BLOCKED: the agent holds the sprint. */
export function isHolding(status: Status): boolean {
  return status === 'DISPATCHED' || status === 'IN_PROGRESS' || status === 'BLOCKED';
}

const NO_FILES: readonly string[] = Object.freeze([]);

/** A `supersedes` / `resolves` / `acknowledges` value as a list of file names (a shared empty list when absent). */
export function fileList(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return NO_FILES;
  return typeof value === 'string' ? [value] : value;
}

/** COMPLETE or VERIFIED. */
export function isFinished(status: Status): boolean {
  return status === 'COMPLETE' || status === 'VERIFIED';
}

/** A severity's rank, INFO lowest. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
