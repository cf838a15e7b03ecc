/**
 * `cos mcp`: the CLI's operations as an MCP server over stdio. The only importer of
 * @modelcontextprotocol/sdk and zod (loaded by commands/mcp.ts through import(), so no other
 * command pays for them).
 *
 * - Tools (tools.ts) call the commands' operations (`execute`) directly: the JSON document is
 *   the result's structuredContent (and its text); a CosError is `isError: true` with the same
 *   one sentence the CLI prints. An operation that did its work and then failed (post whose
 *   commit failed: the entry is written) is `isError: true` with that sentence AND its document. Writes go through the store, whose entry creation is exclusive
 *   across processes, so several agents' servers can post into one repository at once.
 * - Resources: every role (`cos://roles/<name>`, `.agent/roles/<name>.md`) and the runbook
 *   (`cos://runbook`, `runbook.md`), read fresh on each request.
 * - stdout carries protocol messages only: the transport gets its own stream onto fd 1, and
 *   process.stdout.write (console.log included) is pointed at stderr for as long as we serve.
 */
import { readConfinedText } from '../trust/read.js';
import { repositoryRoots, worktreeRoots } from '../trust/roots.js';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { OperationIo } from '../commands/context.js';
import { listRoles, unknownRole } from '../dispatch/role.js';
import { describeFailure, EXIT, isCosError } from '../errors.js';
import { visible } from '../output/visible.js';
import { SLUG_PATTERN } from '../protocol/slug.js';
import { agentPaths } from '../store/paths.js';
import { COS_VERSION } from '../version.js';
import { TOOLS, type ToolDefinition } from './tools.js';
import { boundLines, MAX_MESSAGE_BYTES, tooLongAnswer, type TooLong } from './lines.js';

export const SERVER_NAME = 'cos';
/** How long requests read before stdin ended may take to be answered before the server closes anyway. */
const DRAIN_MS = 60_000;

const INSTRUCTIONS = `agent-cos: a git-native chief of staff. Report your work as status entries: post IN_PROGRESS when you start (sprint and agent are slugs from your briefing), heartbeat while you work, end with COMPLETE, BLOCKED or FAILED (with error). VERIFIED with verifies checks another agent's COMPLETE; resolves closes an escalation. scan, status and brief read the state; dispatch claims a sprint for a role. Roles and the runbook are resources.`;

export interface ServeOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadableStream;
  /** Where diagnostics go (never stdout). */
  log: (text: string) => void;
}

type ToolResult = {
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

/**
 * A refusal: its sentence as the text; for a CosError also `{ version, error: { code, exit_code,
 * message } }`, so a client decides by the code (`conflict`, `not-found`, ...), not the words.
 */
function errorResult(text: string, error?: unknown): ToolResult {
  const result: ToolResult = { content: [{ type: 'text', text }], isError: true };
  if (isCosError(error)) result.structuredContent = { version: 1, error: { code: error.code, exit_code: error.exitCode, message: text } };
  return result;
}

/** Run one tool: the command's operation on the validated input, its JSON document back. Never throws. */
export async function callTool(root: string, env: NodeJS.ProcessEnv, tool: ToolDefinition, input: Record<string, unknown>, log: (text: string) => void = () => {}): Promise<ToolResult> {
  const io: OperationIo = {
    root,
    cwd: root,
    env,
    now: () => new Date(),
    readStdin: async () => '',
    // A warning may quote repository text (a config key): one line of the server's log, escaped.
    warn: (text) => log(`cos ${tool.name}: warning: ${visible(text, { oneLine: true })}\n`),
  };
  let prepared: Record<string, unknown>;
  try {
    prepared = tool.prepare ? tool.prepare(input, root) : input;
  } catch (error) {
    // The tool's own input (as the schema's sentences): no "cos <command>:" in front.
    return errorResult(isCosError(error) ? error.message : describeFailure(tool.name, error).message, error);
  }
  try {
    const outcome = await tool.run(prepared, io);
    const text = JSON.stringify({ version: 1, ...outcome.document }, null, 2);
    const structuredContent = JSON.parse(text) as Record<string, unknown>;
    // Done and kept, then something after it failed (post's commit): an error that still carries
    // the document (what was written, "ok": false and the error), the sentence first.
    if (outcome.failure) {
      const sentence = describeFailure(tool.name, outcome.failure).message;
      return { content: [{ type: 'text', text: sentence }, { type: 'text', text }], structuredContent, isError: true };
    }
    if (outcome.exitCode !== EXIT.ok && !(tool.okCodes ?? []).includes(outcome.exitCode)) return errorResult(`cos ${tool.name} exited ${outcome.exitCode}.`);
    return { content: [{ type: 'text', text }], structuredContent };
  } catch (error) {
    return errorResult(describeFailure(tool.name, error).message, error);
  }
}

export function createServer(root: string, env: NodeJS.ProcessEnv, log: (text: string) => void = () => {}): McpServer {
  const server = new McpServer({ name: SERVER_NAME, version: COS_VERSION }, { instructions: INSTRUCTIONS });
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input },
      async (input: Record<string, unknown>) => callTool(root, env, tool, input, log),
    );
  }
  const paths = agentPaths(root);
  server.registerResource(
    'role',
    new ResourceTemplate('cos://roles/{name}', {
      list: async () => ({
        resources: listRoles(root).map((name) => ({ uri: `cos://roles/${name}`, name: `role ${name}`, mimeType: 'text/markdown' })),
      }),
    }),
    { title: 'Role definitions', description: 'A role: model tier, preflight requirements, standing orders, escalation triggers and briefing prose (.agent/roles/<name>.md).', mimeType: 'text/markdown' },
    async (uri, variables) => {
      const name = String(variables.name);
      if (!SLUG_PATTERN.test(name) || name.length > 64) throw new Error(`Invalid role ${JSON.stringify(name)}: a role name is a slug such as "developer".`);
      const file = join(paths.roles, `${name}.md`);
      const text = readConfinedText(file, repositoryRoots(root), paths.rel(file));
      if (text === null) throw new Error(unknownRole(root, name).message);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text }] };
    },
  );
  server.registerResource(
    'runbook',
    'cos://runbook',
    { title: 'Runbook', description: 'Startup sequence and operating procedures (runbook.md).', mimeType: 'text/markdown' },
    async (uri) => {
      const text = readConfinedText(paths.runbook, worktreeRoots(root), 'runbook.md');
      if (text === null) throw new Error('runbook.md does not exist in this repository; cos init writes one.');
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text }] };
    },
  );
  return server;
}

/** Serve over stdio until stdin ends. */
export async function serve(options: ServeOptions): Promise<void> {
  // Bounded lines: an over-long message gets a JSON-RPC error and is dropped as it arrives (lines.ts).
  let answerTooLong: (tooLong: TooLong) => void = () => {};
  const stdin = boundLines(options.stdin ?? process.stdin, MAX_MESSAGE_BYTES, (tooLong) => answerTooLong(tooLong));
  const realWrite = process.stdout.write.bind(process.stdout);
  const protocolOut = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      realWrite(chunk, (error?: Error | null) => callback(error ?? null));
    },
  });
  // Anything else that writes to stdout (a stray console.log) goes to stderr instead.
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => (process.stderr.write as (...args: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
  const server = createServer(options.root, options.env, options.log);
  const transport = new StdioServerTransport(stdin, protocolOut, { maxBufferSize: MAX_MESSAGE_BYTES + 1 });
  answerTooLong = (tooLong) => void transport.send(tooLongAnswer(tooLong, MAX_MESSAGE_BYTES) as unknown as Parameters<typeof transport.send>[0]).catch(() => {});
  // When stdin ends, the requests already read are still answered before the server closes
  // (`printf '<requests>' | cos mcp` gets every answer); bounded, so a stuck call cannot hold it open.
  const pending = new Set<string | number>();
  let ended = false;
  let finish: () => void = () => {};
  const closed = new Promise<void>((resolve) => (finish = resolve));
  let closing = false;
  const closeWhenIdle = (force = false) => {
    if (closing || !ended || (pending.size > 0 && !force)) return;
    closing = true;
    void server.close().finally(finish);
  };
  const onEnd = () => {
    if (ended) return;
    ended = true;
    setTimeout(() => closeWhenIdle(true), DRAIN_MS).unref();
    closeWhenIdle();
  };
  transport.onclose = () => finish();
  transport.onmessage = (message) => {
    if ('method' in message && 'id' in message && message.id !== undefined) pending.add(message.id);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message: Parameters<typeof send>[0]) => {
    await send(message);
    if (!('method' in message) && 'id' in message && message.id !== undefined && pending.delete(message.id)) closeWhenIdle();
  };
  stdin.once('end', onEnd);
  stdin.once('close', onEnd);
  await server.connect(transport);
  options.log(`cos mcp: serving ${options.root} over stdio\n`);
  try {
    await closed;
  } finally {
    process.stdout.write = realWrite as typeof process.stdout.write;
  }
}
