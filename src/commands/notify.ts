import { loadConfig } from '../config/load.js';
import { InputError } from '../errors.js';
import { visible } from '../output/visible.js';
import { approvalStore, readApprovals } from '../trust/approvals.js';
import { approveRoutes, CONFIG_FILE, listRoutes, revokeApprovals, type Route } from '../watch/routes.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';

export const flags = defineFlags({
  json: {
    type: 'boolean',
    help: '{"version": 1, "file": ".agent/config/coordination.yaml", "approvals": "<where they are kept>", "routes": [{"severity", "command", "sha256", "approved"}]} (after allow or revoke: as they are now)',
  },
});

export const help = `Usage: cos notify [allow | revoke] [--json]

The notify routes of .agent/config/coordination.yaml (notify: {URGENT: "<command>", ...}) are
shell commands that cos watch runs for new and re-escalated findings of their severity. The
repository chooses them, so a clone must not get them run on its own say: cos watch runs a route
only once you approved that exact command for that severity on this machine, like direnv allow.
A route that changed since (after a pull, say) is not run until approved again; cos watch says
so once, naming the file and this command. --exec, typed by you, needs no approval.

  cos notify          list the routes, each approved or not
  cos notify allow    print every route, then approve exactly those (sha256 of severity and command)
  cos notify revoke   forget every approval of this repository: no route runs until approved again

${flagsHelp(flags)}

Approvals are kept where a clone cannot put them: in the git common directory
(.git/cos/notify-approved.json, shared by every worktree), or outside git in
$XDG_STATE_HOME/cos/notify-approved/ (default ~/.local/state), keyed by the repository's path.
Control characters in a command are shown as \\uXXXX escapes, so what you read is what runs.

Exit codes: 0 done; 1 bad usage, or coordination.yaml cannot be read.

Example:
  cos notify && cos notify allow`;

function describe(routes: readonly Route[], approved: ReadonlySet<string> | null): string {
  const width = Math.max(...routes.map((route) => route.severity.length));
  return routes
    .map((route) => {
      const mark = approved === null ? '' : approved.has(route.sha256) ? 'approved      ' : 'NOT APPROVED  ';
      return `  ${route.severity.padEnd(width)}  ${mark}${visible(route.command, { oneLine: true })}`;
    })
    .join('\n');
}

export async function run(context: CommandContext): Promise<number> {
  const { positionals, root, json } = parseCommand(context, flags, { positionals: 1 });
  const action = positionals[0];
  if (action !== undefined && action !== 'allow' && action !== 'revoke') {
    throw new InputError(`Unknown action ${JSON.stringify(action)}: use cos notify, cos notify allow or cos notify revoke; see cos notify --help.`);
  }
  const routes = listRoutes(loadConfig(root).config.notify);
  const store = approvalStore(root, context.env);
  if (action === 'allow' && routes.length > 0) {
    // Shown before it is recorded: what is approved is exactly what was printed.
    if (!json) {
      context.stdout(`cos watch will run these commands of ${CONFIG_FILE} through your shell, in ${root}, for new and re-escalated findings of their severity:\n${describe(routes, null)}\n`);
    }
    approveRoutes(store, routes);
  }
  if (action === 'revoke') revokeApprovals(store);
  const approved = readApprovals(store);
  if (json) {
    printJson(context, {
      file: CONFIG_FILE,
      approvals: store.shown,
      routes: routes.map((route) => ({ severity: route.severity, command: route.command, sha256: route.sha256, approved: approved.has(route.sha256) })),
    });
    return 0;
  }
  if (routes.length === 0) {
    context.stdout(`No notify routes in ${CONFIG_FILE}; nothing for cos watch to run${action === 'revoke' ? ` (approvals forgotten: ${store.shown})` : ''}.\n`);
    return 0;
  }
  if (action === 'allow') {
    context.stdout(`Approved on this machine (recorded in ${store.shown}); a route that changes needs cos notify allow again.\n`);
    return 0;
  }
  const waiting = routes.filter((route) => !approved.has(route.sha256)).length;
  context.stdout(`Notify routes in ${CONFIG_FILE} (approvals: ${store.shown}):\n${describe(routes, approved)}\n`);
  if (action === 'revoke') context.stdout('Every approval forgotten: cos watch runs none of them until cos notify allow.\n');
  else if (waiting > 0) context.stdout(`${waiting === 1 ? '1 route is' : `${waiting} routes are`} not approved: cos watch does not run ${waiting === 1 ? 'it' : 'them'} until you review and run cos notify allow.\n`);
  else context.stdout('All approved: cos watch runs them.\n');
  return 0;
}
