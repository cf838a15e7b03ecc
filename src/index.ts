/** The public API of agent-cos: what the commands call, typed. */
export { EXIT, ERROR_CODES, CosError, InputError, RefusedError, PreflightError, ExternalError, isCosError, describeFailure } from './errors.js';
export type { ExitCode, ErrorCode, ErrorMessage, CosErrorOptions } from './errors.js';

export * from './protocol/fields.js';
export { KINDS, MAX_TTL_MINUTES, type Kind, type KindName, type KindValues, type InputShape } from './protocol/kinds.js';
export { parseEntry, serializeEntry, validateFields, entryToJson, entryFields, defaultBody, type EntryParseResult, type EntrySource, type ValidationResult } from './protocol/entry.js';
export { entryFileName, parseEntryFileName, formatSeq, type ParsedFileName } from './protocol/filename.js';
export { assertSlug, slugProblem, SLUG_PATTERN } from './protocol/slug.js';
export { compareEntries, sortEntries } from './protocol/order.js';
export { parseRole, type Role, type RoleParseResult } from './protocol/role.js';
export { isoSeconds, parseTimestamp, parseDuration } from './protocol/time.js';

export { DEFAULT_CONFIG, resolveConfig, type CoordinationConfig, type ResolvedConfig } from './config/schema.js';
export { loadConfig, type LoadedConfig } from './config/load.js';

export { agentPaths, findRoot, type AgentPaths } from './store/paths.js';
export { readStore, type StoreSnapshot, type Problem, type ReadOptions } from './store/read.js';
export type { ReadCacheOptions } from './store/read-cache.js';
export { postEntry, type PostInput, type PostOptions } from './store/write.js';
export { heartbeat, type HeartbeatInput, type HeartbeatResult } from './store/heartbeat.js';
export { initRepo, type InitResult } from './store/init.js';
// Worktrees: the repository's worktrees and shared folder, read from git's own files.
export { findRepository, repositoryRoots, claimsDir, sharedDir, type Repository, type Worktree } from './store/worktrees.js';

export {
  deriveSprints,
  deriveSprint,
  isStale,
  unfinished,
  type SprintState,
  type AgentState,
  type PlanInput,
  type LifecycleOptions,
  type InvalidVerification,
} from './state/lifecycle.js';
export { SPRINT_STATES, LIFECYCLE_TABLE, renderLifecycleTable, type SprintStateName, type StateRow } from './state/table.js';
export { checkReview, pickReviewTarget, type Review, type ReviewProblem } from './state/review.js';
export { runChecks, RULES, FINDING_KINDS, type Finding, type FindingKind, type CheckContext, type Rule } from './checks/index.js';
export {
  failsAt,
  compareFindings,
  openEscalations,
  failureState,
  handledFiles,
  isHandled,
} from './checks/index.js';
export type { FailureState } from './checks/repeated-failure.js';
export type { Handled } from './checks/handled.js';
export { analyze, scan, type Analysis, type AnalyzeOptions, type ScanResult } from './analyze.js';
export { statusRows, statusSprints, statusReport, type StatusRow, type StatusReport, type StatusOptions, type StatusAgent } from './output/status.js';
export type { Lease } from './leases/leases.js';
export { briefInput, buildBrief, renderBrief, type Brief, type BriefInput, type BriefCompleted, type BriefHighlight, type BriefInProgress, type BriefProblem, type BriefUnverified } from './output/brief.js';

// Dispatch: claims, blockers, preflight, roles and the briefing prompt.
export { claimSprint, type ClaimInput, type ClaimResult } from './dispatch/claim.js';
export { dispatchBlockers, type Blocker } from './dispatch/blockers.js';
export { runPreflight, type PreflightItem, type MissingItem } from './dispatch/preflight.js';
export { loadRole, listRoles, unknownRole } from './dispatch/role.js';
export { buildPrompt, type PromptInput } from './dispatch/prompt.js';
export { nextSteps, type NextStep } from './dispatch/next.js';
export { claimStatus, staleClaims, releaseClaims, refreshClaim, type ClaimStatus, type StaleClaim, type RefreshOutcome } from './dispatch/remote.js';
export { readClaimRefs, type ClaimRecord, type ClaimRef } from './git/claim-ref.js';

// Plans and the ready queue (PRODUCT.md "Plans and dependencies"): the plan schema and its checks
// (pure), the plan files, check/apply, the ready queue and the plan graph the board draws.
export { checkPlan, describeProblem, findCycles, samePlan, MAX_PLAN_STEPS, PLAN_SCHEMA } from './plans/schema.js';
export type { Plan, PlanStep, PlanProblem, PlanContext, PlanCheck } from './plans/schema.js';
export { loadPlans, serializePlan, plansDir, type StoredPlans } from './plans/files.js';
export { applyPlan, checkPlanFile, PlanInvalidError, PlanNotCommittedError, ReplanRefusedError } from './plans/apply.js';
export type { ApplyOptions, ApplyResult, PlanSource, PlanCheckResult } from './plans/apply.js';
export { plannedSteps, readyQueue, dependencyMap, planInput } from './plans/ready.js';
export type { PlannedStep, ReadyItem, WaitingItem, ReadyQueue } from './plans/ready.js';
export { readReady, readPlanGraph, planGraph, planView, dispatchWaiting, waitingGate } from './plans/view.js';
export type { PlanView, PlanGraph, PlanGraphStep, ReadyOptions } from './plans/view.js';

// Rotation, git, local sync and cleanup. Commits, reviews and remote claims run git through simple-git
// (loaded only when one runs); small reads through execFile (src/git/run.ts says which and why).
export { planArchive, archivePath, type ArchivePlan, type ArchiveMove, type ArchiveBounds, type ArchivePolicyInput, type MoveReason } from './archive/policy.js';
export { archiveStore, type ArchiveResult, type ArchiveOptions, type SkippedMove } from './archive/move.js';
export { commitPaths, type CommitOptions } from './git/commit.js';
export { reviewChanges, type ReviewResult, type ReviewOptions, type ReviewedEntry } from './git/review.js';
export type { ChangeKind } from './git/changes.js';
export { syncLocal, type SyncOptions as LocalSyncOptions, type SyncResult as LocalSyncResult } from './localsync/sync.js';
export type { Direction, PlannedSync, SyncAction } from './localsync/plan.js';
export { findCruft, deleteCruft, type Cruft, type CruftKind, type CruftReport, type ApplyResult as CruftApplyResult } from './cleanup/cruft.js';

// Notion: none of these load the Notion client at import time.
// `SyncOptions` is the Notion sync's (kept for compatibility); `NotionSyncOptions` says so, `LocalSyncOptions` is cos sync's.
export { syncNotion, isNotionConfigured, planSync, type SyncSummary, type SyncOptions, type SyncOptions as NotionSyncOptions, type SyncFailure, type PlannedSprint } from './notion/sync.js';
export type { NotionConfig } from './notion/config.js';
export type { Ledger, LedgerRecord } from './notion/ledger.js';
export type { Field as NotionField, PropertyType as NotionPropertyType, SprintValues } from './notion/mapping.js';
export type { SchemaProblem, ProblemKind as SchemaProblemKind } from './notion/schema.js';
export { loadSynced } from './notion/synced.js';
export { checkNotion, setupNotion, type CheckReport } from './notion/check.js';

// The chief-of-staff process (file watches are set only when a watch starts).
export { startWatch, watchOnce, type WatchOptions, type WatchSession, type NotionModule } from './watch/session.js';
export type { WatchEvent, ErrorSource, StoreSummary } from './watch/events.js';
export type { Engine, EvaluateOptions, Timers } from './watch/engine.js';
export type { FileRecord, Location as FileLocation } from './watch/files.js';
export type { FileWatch, FileWatchOptions, FileEventKind, StartFileWatch } from './watch/fswatch.js';
export { readLedger, ledgerFile, toSpawn, heldBySpawned, type SpawnRecord } from './watch/spawn.js';

// The board (its server loads nothing until started).
export { startBoard, type BoardServer, type BoardOptions } from './board/server.js';
export { boardState, entryView, type BoardState, type AgentView, type EntryView, type GraphPlan, type GraphStep, type BoardInput, type LeaseRef } from './board/state.js';
export type { BoardPlan } from './board/plan.js';
export { snapshotState, writeSnapshot, type SnapshotOptions } from './board/snapshot.js';
export { renderMarkdown, escapeHtml } from './board/markdown.js';

// Agent integration (the MCP server is not exported: it loads the SDK).
export { installHooks, removeHooks, COS_HOOKS, type CosHook, type SettingsChange } from './setup/claude-settings.js';
export { upsertSection, removeSection } from './setup/markers.js';
export { setupClaude, setupAgentsMd, type FileChange, type ClaudeOptions, type AgentsMdOptions } from './setup/apply.js';
