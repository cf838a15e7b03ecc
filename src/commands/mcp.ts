import { parseCommand, type CommandContext } from './context.js';

export const help = `Usage: cos mcp [--dir D]

Serve the cos operations as a Model Context Protocol server over stdio (for Claude Code, Codex
and other MCP clients). Runs until stdin closes; logs go to stderr, stdout carries only protocol
messages.

Tools (inputs are named like the CLI flags; each returns the command's --json document as
structured content, and the CLI's error sentence with isError on failure):
  post       sprint, agent, status, severity, ttl, phase, title, role, cost, message, body,
             body_file, error, verifies, resolves, commit
  heartbeat  sprint, agent, ttl, if_due
  status     all
  scan       fail_on          (findings at or above it are a result, not an error)
  brief      since
  dispatch   role, sprint, agent, force, ttl
Resources: cos://roles/<name> (.agent/roles/<name>.md), cos://runbook (runbook.md).

Example (Claude Code):
  claude mcp add cos -- cos mcp --dir "$PWD"`;

export async function run(context: CommandContext): Promise<number> {
  const { root } = parseCommand(context, {});
  const { serve } = await import('../mcp/server.js');
  await serve({ root, env: context.env, stdin: context.stdin, log: context.stderr });
  return 0;
}
