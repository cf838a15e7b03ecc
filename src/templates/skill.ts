/** The chief-of-staff skill, written by `cos init` and synced to the local agent directory. */
export const CHIEF_OF_STAFF_SKILL = `---
name: chief-of-staff
description: Run the chief of staff for this repository's agent team - health check, briefing, dispatch safety - through the cos CLI.
---
# Chief of Staff

Use this skill when asked for a health check, a briefing, or to dispatch an agent onto a sprint.
Everything goes through the \`cos\` CLI (agent-cos as a dev dependency of the repository, so
\`npx cos\` finds it after \`npm install\`), which reads the numbered status entries under
\`.agent/status/\`.

## Health check
1. \`npx cos scan\` — every finding, most severe first (stale agents, dispatch conflicts,
   open escalations, repeated failures, unverified completions, malformed entries). Exit 2 means
   something at or above URGENT needs a human.
2. \`npx cos status\` — the pipeline dashboard, one row per sprint.

## Briefing
\`npx cos brief --since 24h\` — what was completed and verified, what is in progress, blocked,
failed or stale, open escalations, and what to dispatch next. Present the highlights; offer
details on request.

## Dispatch
\`npx cos dispatch <role> <sprint>\` refuses (exit 3) when the sprint is occupied, has an open
escalation or a repeated failure; exit 4 names what the role's preflight is missing. On success
it prints the briefing prompt for the spawned agent.

## Reporting your own work
\`npx cos post --sprint <sprint> --agent chief-of-staff --status IN_PROGRESS --message "..."\`,
then \`npx cos heartbeat --sprint <sprint> --agent chief-of-staff\` while working.
`;
