/** `cos notion check | setup | sync [--dry-run]`: the Notion dashboard. */
import { EXIT, InputError } from '../errors.js';
import { progressFor } from '../output/progress.js';
import { visible, visibleLines } from '../output/visible.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';

export const flags = defineFlags({
  'dry-run': { type: 'boolean', help: 'with sync: say what a sync would create and update, from the local ledger; send nothing' },
  json: { type: 'boolean', help: 'one JSON document on stdout' },
  dir: { type: 'string', value: '<path>', help: 'the repository (default: the nearest ancestor holding .agent/)' },
});

export const help = `Usage: cos notion check
       cos notion setup
       cos notion sync [--dry-run]

Mirror sprint state to a Notion database (one page per sprint), set up in
.agent/config/notion-sync.yaml: database_id, optional data_source_id, token_env (the name of the
environment variable holding the token, default NOTION_TOKEN) and properties (our field -> Notion
property name). NOTION_BASE_URL overrides the API address (a proxy, a test server).

  check            validate the config, the token, reachability and the data source's properties;
                   print each missing or mistyped property with its fix
  setup            add the missing properties (and select options) to the data source
  sync             update every sprint whose state changed since its last sync, exactly once;
                   failures go to .agent/state/notion-sync.log and never touch your entries
${flagsHelp(flags)}

Exit codes: 0 ok; 1 bad config or missing token (names the variable); 3 another sync is running;
5 Notion failed or the schema needs fixing (nothing is lost locally: sync again later).

Example:
  export NOTION_TOKEN=...   # your integration's secret
  cos notion check && cos notion setup && cos notion sync
`;

const SUBCOMMANDS = ['check', 'setup', 'sync'] as const;

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals, root, json } = parseCommand(context, flags, { positionals: 1 });
  const sub = positionals[0];
  if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    const given = sub ? `unknown subcommand ${JSON.stringify(sub)}` : 'a subcommand is needed';
    throw new InputError(`${given[0]!.toUpperCase()}${given.slice(1)}; use check, setup or sync (see cos notion --help).`);
  }
  if (values['dry-run'] && sub !== 'sync') throw new InputError(`--dry-run applies to cos notion sync only, not to cos notion ${sub}.`);
  if (sub === 'sync') return sync(context, root, json, values['dry-run'] === true);
  return checkOrSetup(context, root, json, sub as 'check' | 'setup');
}

async function checkOrSetup(context: CommandContext, root: string, json: boolean, sub: 'check' | 'setup'): Promise<number> {
  const { checkNotion, setupNotion, lastSynced } = await import('../notion/check.js');
  const report = sub === 'check' ? await checkNotion(root, context.env) : await setupNotion(root, context.env);
  const { config, dataSource, problems, changed, warnings } = report;
  const code = problems.length > 0 ? EXIT.external : EXIT.ok;
  const last = lastSynced(root, config);
  if (json) {
    printJson(context, {
      ok: problems.length === 0,
      config: { file: config.file, database_id: config.database_id, data_source_id: config.data_source_id, token_env: config.token_env, properties: config.properties },
      data_source: { id: dataSource.id, title: dataSource.title, found_by: dataSource.source },
      problems: problems.map((p) => ({ field: p.field, property: p.property, kind: p.kind, expected: p.expected, actual: p.actual, options: p.options, fixable: p.fixable, message: p.message })),
      ...(sub === 'setup' ? { changed } : {}),
      warnings,
      last_sync: last,
    });
    return code;
  }
  const lines: string[] = [];
  for (const warning of warnings) lines.push(`warning: ${warning}`);
  lines.push(`config: ${config.file} ok (database ${config.database_id}, token from ${config.token_env})`);
  const others = dataSource.others > 0 ? `; the database has ${dataSource.others} more, set data_source_id to pick another` : '';
  lines.push(`notion: reachable; data source "${dataSource.title || '(untitled)'}" ${dataSource.id} (${dataSource.source === 'config' ? 'from data_source_id' : "the database's first"}${others})`);
  for (const change of changed) lines.push(`setup: ${change}`);
  if (problems.length === 0) {
    lines.push(`schema: every mapped property is there with the right type (${Object.keys(config.properties).length} fields)`);
    lines.push(last.at ? `ledger: ${last.sprints} sprints synced, last at ${last.at}` : 'ledger: no sync yet; run cos notion sync');
  } else {
    lines.push(`schema: ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
    for (const p of problems) lines.push(`  - ${p.message}`);
    const fixable = problems.filter((p) => p.fixable).length;
    if (fixable > 0 && sub === 'check') lines.push(`fix: run cos notion setup (fixes ${fixable} of ${problems.length}).`);
  }
  // Keys and property names of notion-sync.yaml, the data source's title from Notion: each line stays one line, escaped.
  context.stdout(visibleLines(lines));
  return code;
}

async function sync(context: CommandContext, root: string, json: boolean, dryRun: boolean): Promise<number> {
  const { syncNotion } = await import('../notion/sync.js');
  // Hundreds of sprints at about 3 requests a second take minutes: a bar on a terminal.
  const progress = dryRun ? null : await progressFor(context, json, 'cos notion sync', 'sprints');
  let summary: Awaited<ReturnType<typeof syncNotion>>;
  try {
    summary = await syncNotion(root, { dryRun, now: context.now(), env: context.env, onProgress: progress?.update });
  } finally {
    progress?.stop();
  }
  if (json) {
    printJson(context, {
      created: summary.created,
      updated: summary.updated,
      unchanged: summary.unchanged,
      failed: summary.failed,
      dry_run: dryRun,
      failures: summary.failures,
      requests: summary.requests ?? 0,
      retries: summary.retries ?? 0,
      rate_limited: summary.rateLimited ?? 0,
    });
  } else {
    const verb = dryRun ? 'would be ' : '';
    context.stdout(
      `notion sync${dryRun ? ' (dry run)' : ''}: ${summary.created} ${verb}created, ${summary.updated} ${verb}updated, ${summary.unchanged} unchanged, ${summary.failed} failed\n`,
    );
    // A failure quotes property names and Notion's own words: one line each, escaped.
    for (const f of summary.failures.slice(0, 10)) context.stderr(`${visible(`  ${f.sprint}: ${f.code}: ${f.message}`, { oneLine: true })}\n`);
    if (summary.failures.length > 10) context.stderr(`  ... and ${summary.failures.length - 10} more\n`);
    if (summary.failed > 0) context.stderr('Failures are logged in .agent/state/notion-sync.log; your entries are untouched. Run cos notion sync again later.\n');
  }
  return summary.failed > 0 ? EXIT.external : EXIT.ok;
}
