/** Default config files written by `cos init`. */

export const COORDINATION_YAML = `# agent-cos central configuration (see README: Configuration).
version: 1
# The entry protocol this repository uses (a cos that knows only an older one says so).
protocol: 2
# Whether a COMPLETE needs a VERIFIED from another agent before its sprint is finished
# (and archived as a sprint): required | optional.
verification: required
# Minutes after its last heartbeat before an open entry counts as stale.
ttl_minutes: 30
archive:
  # Entries kept in status/current/ before the oldest finished ones are archived.
  max_current: 50
  # Finished entries older than this are archived.
  max_age_days: 7
dispatch:
  # FAILED attempts on one sprint before dispatch refuses and escalates; also the versions of a
  # plan that cos plan apply accepts (the plan and its replans) before it asks a human.
  attempt_cap: 3
  # Claim sprints through this git remote too (refs/cos/claims/<sprint>), for a team across machines.
  # remote: origin
# The local agent directory that roles and skills sync to (cos sync).
local_root: ~/.claude
scan:
  # cos scan exits 2 when a finding is at or above this severity (INFO, WARN, URGENT, BLOCKER, never).
  fail_on: URGENT
# budget_usd_per_sprint: 25
heartbeat:
  # cos heartbeat --if-due (and the Claude Code hook) skip the write when the last one is younger.
  min_interval_seconds: 60
watch:
  # cos watch re-reads everything this often, so a missed file event never hides a finding.
  reconcile_seconds: 60
  # --exec commands are killed after this long.
  exec_timeout_seconds: 10
  # Notion syncs wait this long after the last change, to batch them.
  notion_debounce_seconds: 5
guard:
  # cos hook pre-tool-use denies what this list names: built-in rules, or command patterns such
  # as "git reset --hard". A seat belt against accidents, not a security boundary (docs/guard.md).
  # deny: [force-push, recursive-delete-outside-repo, drop-database, "git reset --hard"]
  # Force pushes to these (and to the remote's default branch) are denied.
  # protected_branches: [main, master]
  # How long a cos approve stays usable.
  approval_minutes: 30
escalation:
  # cos watch raises an URGENT/BLOCKER finding nobody acknowledged again this often.
  repeat_minutes: 30
# notify:              # commands cos watch runs for new and re-escalated findings, per severity,
#                      # once approved on each machine: cos notify allow (they are the repository's)
#   URGENT: 'notify-send cos "$COS_MESSAGE"'
#   BLOCKER: "./scripts/page-me"
`;

export const NOTION_SYNC_YAML = `# Notion dashboard sync (cos notion check | setup | sync). Off until database_id is set.
database_id: ""
# data_source_id: ""   # discovered from the database when absent
token_env: NOTION_TOKEN
# rate_per_second: 3   # stay under Notion's average limit
# properties:          # our field -> Notion property name (defaults in docs/notion.md)
#   sprint: Name        # the title property: the key of each sprint's page
#   state: Status
`;

/** Local state that must never be committed. */
export const AGENT_GITIGNORE = `# Local to this machine: never committed.
/state/
status/.claims/
status/**/.*.tmp
status/**/*.lock/
`;
