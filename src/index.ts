/** The public API of agent-cos: what the commands call, typed. */
export { EXIT, CosError, InputError, RefusedError, PreflightError, ExternalError, isCosError } from './errors.js';
export type { ExitCode } from './errors.js';

export * from './protocol/fields.js';
export { parseEntry, serializeEntry, validateFields, entryToJson, entryFields, defaultBody } from './protocol/entry.js';
export { entryFileName, parseEntryFileName, formatSeq } from './protocol/filename.js';
export { assertSlug, slugProblem, SLUG_PATTERN } from './protocol/slug.js';
export { compareEntries, sortEntries } from './protocol/order.js';
export { parseRole, type Role } from './protocol/role.js';
export { isoSeconds, parseTimestamp, parseDuration } from './protocol/time.js';

export { DEFAULT_CONFIG, resolveConfig, type CoordinationConfig } from './config/schema.js';
export { loadConfig } from './config/load.js';

export { agentPaths, findRoot, type AgentPaths } from './store/paths.js';
export { readStore, type StoreSnapshot, type Problem, type ReadOptions } from './store/read.js';
export { postEntry, type PostInput, type PostOptions } from './store/write.js';
export { heartbeat, type HeartbeatInput, type HeartbeatResult } from './store/heartbeat.js';
export { initRepo, type InitResult } from './store/init.js';

export { deriveSprints, isStale, type SprintState, type AgentState } from './state/sprints.js';
export { runChecks, RULES, FINDING_KINDS, type Finding, type FindingKind, type CheckContext, type Rule } from './checks/index.js';
export { analyze, type Analysis } from './analyze.js';
export { statusRows, type StatusRow } from './output/status.js';
