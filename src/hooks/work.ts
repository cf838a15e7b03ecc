/**
 * The hooks' occasional work, in one module: a denial's NOTE and approvals, the budget gate, the
 * needs-human NOTEs (guard.ts), a heartbeat, the briefing and the stop warning (refresh.ts), and
 * coordination.yaml through its schema when the guard's cached settings are stale. The hooks
 * import these lazily; build/bundle.mjs bundles this module into dist/hook-work.js, so the file
 * that runs on every call (dist/hook.js) holds only what every call needs.
 */
export { denyOrApprove, needsHumanOpen, overBudget, postNeedsHuman, resolveNeedsHuman } from './guard.js';
export { briefingFor, refreshHeartbeat, warnIfOpen } from './refresh.js';
export { loadConfig } from '../config/load.js';
export { DEFAULT_CONFIG } from '../config/schema.js';
