/** runbook.md as written by `cos init`: the startup sequence and operating procedures. */
export const RUNBOOK_MD = `# Runbook: agent coordination

Agents coordinate only through numbered status entries under \`.agent/status/current/\`
(markdown with YAML front matter, one file per entry, versioned in git). The \`cos\` CLI reads
them; nothing else is a source of truth.

## Startup sequence
1. **chief-of-staff** — validate the infrastructure: \`scripts/sync\` (roles and skills to the
   local agent directory), then \`cos scan\`. Fix or escalate every URGENT or BLOCKER finding.
2. **sprintmaster** — the pipeline dashboard: \`cos status\`, \`cos brief --since 24h\`; sync the
   dashboard with \`cos notion sync\` when Notion is configured.
3. **developer(s)** — as dispatched: \`cos dispatch developer <sprint>\` prints each one's briefing.
4. **qa-reviewer** — when sprints complete: \`cos dispatch qa-reviewer <sprint>\`; it posts
   VERIFIED with \`--verifies <file>\` or FAILED.

Optionally leave \`cos watch\` running as the chief-of-staff process.

## The protocol in one screen
- Start: \`cos post --sprint S --agent A --status IN_PROGRESS --message "what I am doing"\`
- While working: \`cos heartbeat --sprint S --agent A\` at least once per ttl (default 30 min).
- End: \`cos post --sprint S --agent A --status COMPLETE|BLOCKED|FAILED [--error SIG]\`.
- Verify: \`cos post --sprint S --agent QA --status VERIFIED --verifies <COMPLETE entry file>\`.
- Escalate: any entry with \`--severity URGENT\` or \`BLOCKER\`.
- Resolve an escalation: a later entry on the same sprint with \`--resolves <file>\` (or any later
  entry by the same agent with severity INFO/WARN and a status other than BLOCKED/FAILED).

## Procedures
### A crashed agent
\`cos scan\` reports it as **stale** once its heartbeat plus ttl is past. Post FAILED (or BLOCKED)
for the sprint with a note, then redispatch: \`cos dispatch developer <sprint> --force\` records
what it superseded.

### A stuck lock
Heartbeats take a short lock (\`<entry>.lock/\` beside the entry); a lock older than 10 s is
taken over automatically. If one lingers, \`cos cleanup\` lists it and \`cos cleanup --apply\`
removes it.

### A merge
One file per entry means merges of \`.agent/status/\` never conflict. Two clones may both use
the same sequence number; readers order by (seq, timestamp, file name) and \`cos scan\` reports
it as an INFO **duplicate-seq** finding. Nothing needs renaming.

### A Notion outage
\`cos notion sync\` exits 5 and logs each failure to \`.agent/state/notion-sync.log\`; posting and
every local command carry on. Run the sync again later: it is exactly-once.

### Restoring from the archive
Archiving is a \`git mv\`-like rename into \`status/archive/<sprint>/\`; move a file back into
\`status/current/\` to restore it. Sequence numbers keep growing across both.
`;
