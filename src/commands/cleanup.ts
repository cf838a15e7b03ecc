import { deleteCruft, findCruft, type ApplyResult, type Cruft, type CruftKind, type CruftReport } from '../cleanup/cruft.js';
import { loadConfig } from '../config/load.js';
import { localRoot as chooseLocalRoot, LOCAL_ROOT_ENV } from '../localsync/local-root.js';
import { formatAge } from '../protocol/time.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';
import { visibleLines } from '../output/visible.js';

export const flags = defineFlags({
  apply: { type: 'boolean', help: 'delete what is listed' },
  target: { type: 'string', value: 'DIR', help: 'the local agent directory (default: $COS_LOCAL_ROOT, an approved local_root, ~/.claude)' },
  remote: { type: 'string', value: 'NAME', help: 'the git remote whose claim refs to check (default: dispatch.remote)' },
  json: {
    type: 'boolean',
    help: '{ "version": 1, "applied", "local_root", "items": [ { "kind", "path", "bytes", "age_seconds" } ], "deleted": n, "kept": [ { "path", "why" } ] }, with a remote also "remote", "stale_claims": [ { "sprint", "ref", "agent", "machine", "why", "released" } ]',
  },
});

export const help = `Usage: cos cleanup [--apply] [--target DIR] [--remote NAME] [--json]

List cruft, and delete it only with --apply (only what was listed, each re-checked first):
  temp-file    .<entry>.<pid>.<hex>.tmp in .agent/status/ older than a minute (a killed writer)
  stale-lock   *.lock/ folders in .agent/status/ not refreshed for 10 s (a killed heartbeat),
               including dispatch claims <claims>/sprint-*.lock/ (a killed dispatch)
  old-claim    sequence claims in <claims>/ more than 256 below the newest and older than
               10 minutes
  (<claims> is the claim space shared by every worktree: .git/cos/claims/ in a git repository,
  .agent/status/.claims/ outside git)
  empty-todo   empty todos/*.json ([], {}, nothing) in the local agent directory, older than a
               minute
  old-session  hook session records .agent/state/sessions/*.json not written for 7 days (their
               temp files left by a killed hook, older than a minute, count as temp-file)
Valid entries are never touched.
With --remote NAME (default: dispatch.remote of coordination.yaml), also list the claim refs
refs/cos/claims/<sprint> on that git remote whose holder is COMPLETE, FAILED or VERIFIED (as far as
the entries here show: pull first), was superseded, or went past its ttl without a heartbeat;
--apply deletes them (each with a lease: a claim refreshed meanwhile is kept).

${flagsHelp(flags)}

The local agent directory is --target DIR, else ${LOCAL_ROOT_ENV}, else ~/.claude; a local_root
of coordination.yaml other than ~/.claude only once approved on this machine (cos sync
--allow-local-root): until then cos cleanup refuses, naming it, and deletes nothing.

Exit codes: 0 done; 1 bad usage, no such remote, or an unapproved local_root; 5 the remote
cannot be reached (nothing deleted).
Example:
  cos cleanup && cos cleanup --apply`;

/** A value as one shell word: bare when it is plain, else single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_./~:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const LABEL: Record<CruftKind, string> = {
  'temp-file': 'temp file',
  'stale-lock': 'stale lock',
  'old-claim': 'old seq claim',
  'empty-todo': 'empty todo',
  'old-session': 'old session',
};

function render(report: CruftReport, applied: ApplyResult | null, applyCommand = 'cos cleanup --apply'): string {
  const lines: string[] = [];
  if (report.items.length === 0) {
    lines.push(`No cruft in .agent/status/${report.localRoot ? ` or ${report.localRoot}/todos/` : ''}.`);
    return visibleLines(lines);
  }
  const groups = new Map<CruftKind, Cruft[]>();
  for (const item of report.items) groups.set(item.kind, [...(groups.get(item.kind) ?? []), item]);
  for (const [kind, items] of groups) {
    if (items.length > 10) {
      const dir = items[0]!.path.slice(0, items[0]!.path.lastIndexOf('/') + 1);
      lines.push(`  ${LABEL[kind]}s: ${items.length} in ${dir}`);
    } else {
      for (const item of items) lines.push(`  ${LABEL[kind].padEnd(13)} ${item.path}${item.kind === 'stale-lock' ? '/' : ''}  (${formatAge(item.ageMs)} old)`);
    }
  }
  const n = report.items.length;
  if (applied) {
    lines.unshift(`Deleted ${applied.deleted.length} of ${n} ${n === 1 ? 'item' : 'items'}:`);
    for (const kept of applied.kept) lines.push(`Kept ${kept.item.path}: ${kept.why}.`);
  } else {
    lines.unshift(`Found ${n} ${n === 1 ? 'item' : 'items'} of cruft (nothing deleted; ${applyCommand} deletes them):`);
  }
  return visibleLines(lines);
}

/** Claim refs on the git remote whose holder finished, was superseded or went past its ttl. */
async function remoteClaims(root: string, remote: string, now: Date, apply: boolean) {
  const { staleClaims, releaseClaims } = await import('../dispatch/remote.js');
  const { assertRemoteName, checkRemote, sayingWhenUnreachable } = await import('../git/claim-ref.js');
  const { readStore } = await import('../store/read.js');
  assertRemoteName(remote);
  await checkRemote(root, remote);
  const stale = await staleClaims(root, remote, readStore(root).entries, now).catch(sayingWhenUnreachable('nothing was deleted'));
  const released = apply ? await releaseClaims(root, remote, stale) : [];
  return { remote, stale, released };
}

function renderClaims(claims: Awaited<ReturnType<typeof remoteClaims>>, apply: boolean): string {
  if (claims.stale.length === 0) return `No stale claim refs on ${claims.remote}.\n`;
  const lines = [
    apply
      ? `Released ${claims.released.length} of ${claims.stale.length} stale claim refs on ${claims.remote}:`
      : `Found ${claims.stale.length} stale claim refs on ${claims.remote} (nothing deleted; cos cleanup --apply deletes them):`,
  ];
  for (const { ref, why } of claims.stale) {
    const kept = apply && !claims.released.includes(ref.sprint) ? ' — kept: it changed meanwhile' : '';
    lines.push(`  stale claim   refs/cos/claims/${ref.sprint}  (${ref.claim?.agent ?? '?'} on ${ref.claim?.machine ?? '?'}: ${why})${kept}`);
  }
  return visibleLines(lines);
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const config = loadConfig(root).config;
  const localRoot = chooseLocalRoot({ root, cwd: context.cwd, env: context.env, target: values.target, configured: config.local_root, command: 'cos cleanup' }).path;
  const now = context.now();
  // The remote first: one that cannot be reached is exit 5 before anything is deleted here.
  const remote = values.remote ?? config.dispatch.remote;
  const claims = remote !== undefined ? await remoteClaims(root, remote, now, values.apply === true) : null;
  const report = findCruft(root, { now, localRoot });
  const applied = values.apply ? deleteCruft(report, now) : null;
  if (json) {
    printJson(context, {
      ...(claims
        ? {
            remote: claims.remote,
            stale_claims: claims.stale.map(({ ref, why }) => ({
              sprint: ref.sprint,
              ref: `refs/cos/claims/${ref.sprint}`,
              agent: ref.claim?.agent ?? null,
              machine: ref.claim?.machine ?? null,
              why,
              released: claims.released.includes(ref.sprint),
            })),
          }
        : {}),
      applied: applied !== null,
      local_root: report.localRoot,
      items: report.items.map((item) => ({ kind: item.kind, path: item.path, bytes: item.bytes, age_seconds: Math.floor(item.ageMs / 1000) })),
      deleted: applied ? applied.deleted.length : 0,
      kept: applied ? applied.kept.map((k) => ({ path: k.item.path, why: k.why })) : [],
    });
  } else {
    // Repeat --target in the hint: a bare `cos cleanup --apply` would clean local_root instead.
    const applyCommand = values.target !== undefined ? `cos cleanup --apply --target ${shellWord(values.target)}` : 'cos cleanup --apply';
    context.stdout(render(report, applied, applyCommand));
    if (claims) context.stdout(renderClaims(claims, values.apply === true));
  }
  return 0;
}
