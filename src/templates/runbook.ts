/** runbook.md as written by `cos init`: the startup sequence and operating procedures. Kept identical to the repository's own runbook.md (a test checks). */
export const RUNBOOK_MD = `# Runbook: agent coordination

Agents coordinate only through numbered status entries under \`.agent/status/current/\`
(markdown with YAML front matter, one file per entry, versioned in git). The \`cos\` CLI reads
them; nothing else is a source of truth. Roles, skills and config live in \`.agent/\` too, and
every change to them is reviewed with \`git diff\` like code.

## Startup sequence
1. **chief-of-staff** — validate the infrastructure: \`cos sync\` (roles and skills to the
   local agent directory; in the agent-cos repository itself, \`scripts/sync\`, which builds cos
   first in a fresh clone), then \`cos scan\`. Fix or escalate every URGENT or BLOCKER finding.
2. **sprintmaster** — the pipeline dashboard: \`cos status\`, \`cos brief --since 24h\`; sync the
   dashboard with \`cos notion sync\` when Notion is configured.
3. **developer(s)** — as dispatched: \`cos dispatch developer <sprint>\` prints each one's briefing.
4. **qa-reviewer** — when sprints complete: \`cos dispatch qa-reviewer <sprint>\`; it posts
   VERIFIED with \`--verifies <file>\`, or rejects it with FAILED \`--verifies <file> --error SIG\`.

Optionally leave \`cos watch\` running as the chief-of-staff process, and \`cos board\` for a live,
read-only page of the team in a browser (\`http://127.0.0.1:7317/\`).

A fresh clone plus \`cos sync\` is a working coordination system: the entries, roles, skills
and config come with the clone; the sync puts roles in \`~/.claude/roles/\` and skills in
\`~/.claude/skills/<skill>/\` (another folder: \`--target DIR\` or \`COS_LOCAL_ROOT\`; a \`local_root\` in
coordination.yaml is used only once each user approved it with \`cos sync --allow-local-root\`).

## The protocol in one screen
- Start: \`cos post --sprint S --agent A --status IN_PROGRESS --message "what I am doing"\`
- While working: \`cos heartbeat --sprint S --agent A\` at least once per ttl (default 30 min).
- End: \`cos post --sprint S --agent A --status COMPLETE|BLOCKED|FAILED [--error SIG]\`.
- Verify: \`cos post --sprint S --agent QA --status VERIFIED --verifies <COMPLETE entry file>\`
  (a COMPLETE of the same sprint by another agent; anything else is refused, nothing written).
  Reject: \`cos post --sprint S --agent QA --status FAILED --verifies <file> --error SIG\`.
- Escalate: any entry with \`--severity URGENT\` or \`BLOCKER\`.
- Acknowledge an escalation you are on: \`cos ack <file>\` (stops re-escalation, does not resolve).
- Resolve an escalation: \`cos resolve <file> --message "what was decided"\` writes a NOTE that
  names it (a NOTE holds nothing and changes no sprint's state); an agent settling its own
  escalation as it carries on may post \`--resolves <file>\` on its next entry, and a later INFO/WARN
  IN_PROGRESS, COMPLETE or VERIFIED of the agent that raised it resolves it too. A forced
  \`cos dispatch\` records what it overrides in \`supersedes\`. Archiving never resolves.
- A sprint's state comes from its whole history (docs/lifecycle.md in agent-cos): held by
  someone (DISPATCHED, IN_PROGRESS, BLOCKED, or STALE when every holder is silent), else its
  latest outcome (COMPLETE awaiting review, VERIFIED, FAILED), else READY or WAITING (a plan
  step nobody took up), or NOTED (only remarks, not offered for dispatch).
- Add \`--commit\` to \`cos post\` to commit exactly that entry (nothing else staged is touched).

## Plans: plan → ready → dispatch → verify
A goal of more than one sprint becomes a plan: \`.agent/plans/<plan>.yaml\`, a \`summary\` and at
most 6 steps, each one sprint for one role with its \`done_when\` and the sprints it \`depends_on\`
(see \`.agent/plans/example.yaml.sample\`, and docs/plans.md in the agent-cos repository).
1. **Plan** (chief-of-staff): write the draft outside \`.agent/plans/\` (say \`plans/<plan>.yaml\`),
   \`cos plan check plans/<plan>.yaml\` (every problem at once: roles, cycles, unknown sprints,
   missing \`done_when\`), then \`cos plan apply plans/<plan>.yaml --commit\`. Always \`--commit\`:
   each applied version is then in \`git log -p -- .agent/plans/<plan>.yaml\`.
2. **Ready**: \`cos ready\` lists the steps whose dependencies are finished (VERIFIED) and nobody
   took up — READY — and the others, WAITING on what. \`cos status\` shows both; \`cos brief\` puts
   the READY ones first under "What to dispatch next".
3. **Dispatch**: \`cos dispatch <role> <sprint>\` for each READY step. A WAITING step is refused
   (exit 3, naming its unfinished dependencies); \`--force\` overrides and the entry records it.
   Or let \`cos watch --spawn '<agent command>' --max-parallel N\` do it: it claims each READY step
   and starts the command with \`COS_SPRINT\`, \`COS_ROLE\`, \`COS_AGENT\` and \`COS_BRIEFING\` (the
   briefing file) set, never twice per sprint, at most N at once; stopping the watcher leaves
   the agents running.
4. **Verify**: a qa-reviewer verifies each COMPLETE (\`cos post --status VERIFIED --verifies
   <file>\`); only then are its dependents READY (\`cos watch\` prints a \`ready\` event).
5. **Replan** on a failure: edit the draft and apply it again; its \`attempt\` goes up. Past
   \`dispatch.attempt_cap\` (3: the plan and two replans) the replan is refused with a BLOCKER
   NOTE on the sprint \`plan-<plan>\`: a person decides (the earlier plans are in git log).
## Humans in the loop (docs/guard.md)
- **Install the seat belts once per project:** \`cos setup claude\` (the guard before every tool
  call, needs-human on notifications) and \`cos setup git-hooks\` (the pre-commit lease guard).
  The guard is a seat belt against accidents, not a security boundary. Besides \`guard.deny\` it
  always denies an agent's own \`cos approve\`, its edits of \`.agent/config/\` and its writes by hand
  into \`.agent/status/\` (entries come from cos; approvals from a person's \`cos approve\`).
- **git and the config:** every git form that rewrites \`.agent/config/\` is denied, however its
  pathspec is spelled (\`:(icase)\`, \`:/:\`, exclusions alone, a backslash), and so are \`git stash\`
  without a pathspec, a stash pop/apply holding a config change, a \`git clean\` that would remove
  an untracked config file, and \`git reset --hard\`/\`checkout -f\` while a person's config edit is
  uncommitted. Tell agents to leave \`.agent/\` out: \`git stash push -- ':!.agent'\`, \`git restore
  -- . ':!.agent'\`, \`git clean -fd -- ':!.agent'\`. What is still not caught is in docs/guard.md.
- **A guard denial** is a BLOCKER NOTE naming the exact command. If the command is fine, a person
  (never the agent) runs \`cos approve <note file>\`: that agent may run exactly that command once,
  within \`guard.approval_minutes\` (30). Otherwise tell the agent what to do instead and resolve
  the NOTE.
- **needs-human** (URGENT): an agent waits on a person in its Claude Code session (permission or
  idle prompt). Answer it there; the agent's next tool call resolves the finding.
- **Budget:** with \`budget_usd_per_sprint\` set, an over-budget agent can only report; raise the
  budget in coordination.yaml or approve the spend (\`--resolves\` the latest costed entry).
- **Leases:** before editing shared files, \`cos lease --sprint S --agent A 'src/api/**'\` (a plain
  path such as \`src/api\` leases that directory and everything under it); give them
  back with \`cos release\`. A lease lives until released or until the holder's heartbeat + ttl.
  Agents commit with \`COS_AGENT\` set so the pre-commit hook knows who commits.
- **Re-escalation:** \`cos watch\` raises an unacknowledged URGENT/BLOCKER finding again every
  \`escalation.repeat_minutes\` (30) and runs \`notify.<SEVERITY>\` commands for it; acknowledge with
  \`cos ack <file>\` to stop the repeats while you work on it. Those commands come from the
  repository, so they run only once approved on this machine: review them with \`cos notify\`, then
  \`cos notify allow\` (again after a pull changes one; \`cos watch\` says when).

## Housekeeping
- Weekly, or whenever \`cos scan\` reports an **overflow**: \`cos archive --dry-run\`, then
  \`cos archive --commit\`. Finished sprints (VERIFIED — or COMPLETE under \`verification: optional\`),
  entries older than \`archive.max_age_days\` (7) and, beyond \`archive.max_current\` (50), the
  oldest finished entries move to \`status/archive/<sprint>/\`. An agent's latest entry on an
  unfinished sprint stays (a holder's always; FAILED ones and claims go last, only for the bound).
  A sprint with an open finding stays in \`cos status\` wherever its entries are.
- \`cos cleanup\` lists cruft (temp files of killed writers, stale lock folders, old sequence
  claims, empty \`todos/*.json\` in the local agent directory); \`cos cleanup --apply\` deletes
  exactly that.
- \`node_modules/.cache/agent-cos/\` (beside the installed package) holds V8's compiled code of
  \`cos status\`, \`cos post\` and \`cos scan\`, a few hundred KB each, written on their first run
  after an install or upgrade (older builds' files are removed then). Deleting it is always safe
  (the next run compiles and writes it again); \`NODE_DISABLE_COMPILE_CACHE=1\` stops it
  (docs/development.md).
- Before a push or a merge: \`cos review --since origin/main\` summarises the coordination
  changes (entries added, archived, heartbeats, roles/config/skills changed, uncommitted), in
  every worktree of the repository (\`--here\`: only this checkout).

## A team in worktrees (one machine)
Parallel agents usually work in git worktrees of one repository (\`git worktree add ../wt-a -b a\`;
Claude Code's \`.claude/worktrees/\`). cos treats every worktree registered in the repository's git
common directory as one team:
- Every command, run in any worktree, sees the entries of all of them: \`cos scan\`, \`cos status\`,
  \`cos brief\`, \`cos dispatch\` and \`cos watch\` report a conflict between an agent in one worktree
  and an agent in another. When there is more than one worktree, each entry names its worktree
  (\`worktree\` in JSON, \`agent@worktree\` in \`cos status\`), and the path of another worktree's
  file is relative to where you run cos (\`../wt-a/.agent/status/current/…\`).
- The claim space is shared: sequence numbers and dispatch claims live in the git common
  directory (\`.git/cos/claims/\`), so two worktrees never write the same number and two
  \`cos dispatch\` runs onto one sprint from different worktrees have exactly one winner.
- cos writes only into the worktree it runs in: an agent posts and heartbeats in its own
  worktree; a NOTE or VERIFIED may name an entry of another worktree by its file name;
  \`cos archive\` moves only this worktree's files, and \`archive.max_current\` counts only this
  worktree's \`current/\`. \`cos heartbeat\` refuses an entry that lives in another worktree and
  says where it is.
- One \`cos watch\` per repository (its lock is \`.git/cos/watch.lock\`): started in any worktree, it
  watches all of them and notices worktrees added or removed while it runs.
- Commit entries on each worktree's branch with the code. Merging the branches into main never
  conflicts in \`.agent/status/\` (one file per entry, distinct numbers), and \`cos scan\` on main then
  reports what it reported across the worktrees. The same file in several worktrees (after a
  merge) is one entry: the copy with the latest heartbeat counts.
- A typical run: dispatch on main (\`cos dispatch developer <sprint> --agent dev-a\`), create the
  agent's worktree (\`git worktree add ../dev-a -b dev-a\`), start the agent there with the printed
  briefing; it posts IN_PROGRESS, heartbeats and COMPLETE in its worktree. A reviewer dispatched
  from any worktree sees the COMPLETE and verifies it by file name. Merge each branch when done;
  remove the worktree with \`git worktree remove\`.
- Finding the worktrees reads git's own files (\`.git\` → \`gitdir\` → \`commondir\`,
  \`<common>/worktrees/*/gitdir\`), no git process; a worktree whose folder is gone (what
  \`git worktree prune\` would remove) is left out. A folder that is not in git works as one checkout.

## A team across machines (one git remote)
Each machine is a clone of the same repository; git carries the coordination layer, and the
remote is also where dispatches meet:
- Set \`dispatch.remote: origin\` in \`.agent/config/coordination.yaml\` (or pass \`--remote origin\` to
  \`cos dispatch\`). A dispatch then also claims the sprint on the remote: it pushes
  \`refs/cos/claims/<sprint>\` (sprint, agent, machine, time), and the remote rejects the push when
  the ref exists — of several machines dispatching one sprint at once exactly one wins; the others
  exit 3 naming the winner's agent, machine and time. A remote that cannot be reached is exit 5,
  and nothing is written.
- The claim lasts while its holder holds the sprint. The holder's \`cos heartbeat\` refreshes it
  (at most once per ttl/3); its \`cos post\` of COMPLETE, FAILED or VERIFIED deletes it. A claim whose
  holder went silent lapses at its heartbeat plus ttl; one whose holder finished or was superseded
  (as the entries pulled into this clone show) lapses too. The next \`cos dispatch --remote\`
  replaces or deletes lapsed claims; \`cos cleanup\` lists them, \`cos cleanup --apply\` deletes them.
- A reviewer on another machine: \`git pull\`, then \`cos dispatch qa-reviewer <sprint> --remote
  origin\` — it succeeds once the holder is COMPLETE (its own post released the claim, or the
  pulled COMPLETE shows the claim has lapsed).
- \`cos dispatch … --remote origin --force\` takes over a live claim (with a lease on the value it
  read, so a claim that changed meanwhile is not overwritten blindly); the new entry and the new
  claim record what they supersede. The old holder's heartbeats stop refreshing it.
- Claim refs are not branches: \`git fetch\` and \`git push\` of branches never touch them; see them
  with \`git ls-remote origin 'refs/cos/claims/*'\`.
- Give every agent on every machine its own name (\`developer-laptop\`, \`developer-ci\`): entry
  names are \`<seq>-<time>-<agent>.md\`, so distinct agents can never write the same file.
- Commit entries as you go (\`cos post --commit\`, or with the code), then \`git pull\` and
  \`git push\` as usual. Merging or rebasing \`.agent/status/\` never conflicts: every entry is a new
  file, and only its own agent — on its own machine — ever rewrites it (heartbeats).
- Two clones may pick the same sequence number; readers order by (seq, timestamp, file name) and
  \`cos scan\` reports it as an INFO **duplicate-seq** finding. Nothing needs renaming; numbers
  keep growing from the highest one each clone has seen.
- \`cos archive\` may run in any clone, even in several: the same entry always moves to the same
  place, so identical moves merge cleanly.
- After the pull, every clone reports the same \`cos scan\` and \`cos status\`.
- Local state stays local: \`.agent/state/\` (sync record, Notion ledger, locks) is git-ignored,
  and the claim space is in the git common directory (\`.git/cos/\`; \`.agent/status/.claims/\`,
  git-ignored, outside git).

## Procedures
### A crashed agent
\`cos scan\` reports it as **stale** once its heartbeat plus ttl is past, naming the agent and its
entry. Then either
- close the entry in the crashed agent's own name and dispatch again:
  \`cos post --sprint <sprint> --agent <agent> --status FAILED --error crashed --message "<what you saw>"\`,
  then \`cos dispatch <role> <sprint>\` (no \`--force\` needed: nothing is open any more). The FAILED
  counts as an attempt; a second crash with the same signature is a repeated failure; or
- redispatch over it at once: \`cos dispatch <role> <sprint> --agent <agent> --force\`; the new
  entry names the stale one in \`supersedes\`, which ends the stale finding.
An entry posted under any other agent name leaves the crashed agent's entry open: it stays stale
and the sprint stays occupied until a \`--force\` dispatch supersedes it. A writer killed mid-post
leaves at most a hidden temp file, which \`cos cleanup\` lists once it is a minute old.

### A stuck lock
Heartbeats take a short lock (\`<entry>.lock/\` beside the entry); a lock older than 10 s is
taken over automatically. If one lingers, \`cos cleanup\` lists it and \`cos cleanup --apply\`
removes it. \`cos post --commit\` serialises commits with a lock under the git directory
(\`.git/cos-commit.lock/\`), taken over the same way.

### A merge
One file per entry means merges of \`.agent/status/\` do not conflict. If git reports a conflict
anyway:
- **The same entry changed in two clones** (its agent heartbeated it on two machines): the
  conflict is on the \`heartbeat:\` line. Keep the later heartbeat (and its \`ttl_minutes\`) — edit
  the file to one version or take one side whole with \`git checkout --ours|--theirs <file>\` —
  run \`cos scan\` to check that it parses, \`git add\` the file and finish the merge. Then stop
  running that agent in two places.
- **An entry archived in one clone and heartbeated in the other**: git normally carries the
  change along with the rename. If it reports a rename/modify conflict, keep the file at its
  archive path with the newer content: \`git rm <current path>\` and \`git add <archive path>\`.
- **The same file name added twice with different content** (the same agent name used on two
  machines in the same second with the same number): keep both by renaming one side's file to
  the next free number (\`cos post\` would pick \`max + 1\`), and give the agents distinct names.
- **Roles, config, skills, runbook.md**: ordinary text conflicts; resolve them like code, then
  \`cos sync\` to bring the result to the local agent directory.
Never resolve a conflict by deleting entries: \`cos review\` lists removed entries.

### Local roles or skills changed
\`cos sync\` (\`scripts/sync\` in the agent-cos repository) copies \`.agent/\` to the local agent
directory and never overwrites a local file it did not write: a file edited only locally is
skipped, a file edited on both sides since the last sync is a **conflict** (exit 3) and left
alone. Bring local edits into the repo with \`cos sync --pull\`, review the \`git diff\` it shows,
and commit. For a conflict, keep one version (copy it over the other), then sync again.

### A Notion outage
\`cos notion sync\` exits 5 and logs each failure to \`.agent/state/notion-sync.log\`; posting and
every local command carry on. Run the sync again later: it is exactly-once.

### Restoring from the archive
Archiving is a rename into \`status/archive/<sprint>/\`: \`git log --follow\` keeps the history, and
every check (unverified, repeated failure, attempts) reads the archive too. To bring an entry
back, \`git mv .agent/status/archive/<sprint>/<file> .agent/status/current/\`; the next
\`cos archive\` moves it again if its sprint is still finished. To reopen a finished sprint, post
a new entry on it instead (\`cos dispatch <role> <sprint>\`). Sequence numbers keep growing across
both folders.
`;
