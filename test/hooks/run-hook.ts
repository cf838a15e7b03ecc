/** Run `cos hook <event>` as Claude Code does: the built CLI, the hook JSON on stdin, cwd = the project. */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cos, runCli, type CliResult } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

/** The guard's answer to one PreToolUse call: 'allow' (the hook printed nothing) or the rule its denial names, and the reason. */
export async function guardDecision(root: string, input: unknown, env?: NodeJS.ProcessEnv): Promise<{ rule: string; reason: string }> {
  const result = await hook('pre-tool-use', input, { cwd: root, ...(env ? { env } : {}) });
  expect(result.code).toBe(0);
  if (result.stdout === '') return { rule: 'allow', reason: '' };
  const out = JSON.parse(result.stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
  expect(out.hookSpecificOutput.permissionDecision).toBe('deny');
  const reason = out.hookSpecificOutput.permissionDecisionReason;
  return { rule: /\(rule ([a-z-]+)\)/.exec(reason)?.[1] ?? reason, reason };
}

/** The environment without anything that would tell a hook who it is. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const key of ['COS_SPRINT', 'COS_AGENT', 'CLAUDE_PROJECT_DIR']) delete env[key];
  return { ...env, ...extra };
}

export function hook(event: string, input: unknown, options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  return runCli(['hook', event], { cwd: options.cwd, baseEnv: cleanEnv(options.env), input: typeof input === 'string' ? input : JSON.stringify(input) });
}

/** A PreToolUse call of any tool, in the shape Claude Code sends it. */
export function preToolUse(root: string, tool: string, toolInput: Record<string, unknown>, session: string) {
  return {
    session_id: session,
    transcript_path: `/home/dev/.claude/projects/proj/${session}.jsonl`,
    cwd: root,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: toolInput,
    tool_use_id: `toolu_${session}`,
  };
}

/** A PreToolUse call of the Bash tool, in the shape Claude Code sends it. */
export function bashPreToolUse(root: string, command: string, session: string, description = 'run') {
  return preToolUse(root, 'Bash', { command, description }, session);
}

export const HOURS_AGO = (hours: number) => new Date(Date.now() - hours * 3_600_000);

/** An initialised project with `config` as coordination.yaml. */
export async function project(config = 'version: 1\n'): Promise<string> {
  const root = testdir();
  const init = await cos(['init', '--dir', root]);
  if (init.code !== 0) throw new Error(init.stderr);
  writeFileSync(join(root, '.agent/config/coordination.yaml'), config);
  return root;
}

/** Post an entry in-process at `now`; returns its absolute path and file name. */
export async function post(root: string, args: string[], now = new Date()): Promise<{ path: string; name: string }> {
  const result = await cos(['post', '--json', '--dir', root, ...args], { now });
  if (result.code !== 0) throw new Error(result.stderr);
  const entry = JSON.parse(result.stdout).entry as { file: string; name: string };
  return { path: join(root, entry.file), name: entry.name };
}

export function entryFiles(root: string): string[] {
  return readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md')).sort();
}

/** What changes when a file is rewritten (temp + rename gives a new inode). */
export function fingerprint(path: string): string {
  const stat = statSync(path);
  return `${stat.ino}:${stat.mtimeMs}:${readFileSync(path, 'utf8')}`;
}

export function heartbeatOf(path: string): string {
  return /^heartbeat: (.*)$/m.exec(readFileSync(path, 'utf8'))![1]!;
}

/**
 * Run each command through the built pre-tool-use hook: each of `denied` is denied with its rule
 * named in the reason; each of `allowed` passes silently (exit 0, nothing printed).
 */
export async function expectGuardTable(root: string, table: { denied: ReadonlyArray<readonly [string, string]>; allowed: readonly string[]; session: string; env: NodeJS.ProcessEnv }): Promise<void> {
  for (const [command, rule] of table.denied) {
    const result = await hook('pre-tool-use', bashPreToolUse(root, command, table.session, 'denied'), { cwd: root, env: table.env });
    expect({ command, code: result.code }).toEqual({ command, code: 0 });
    const output = result.stdout === '' ? null : JSON.parse(result.stdout).hookSpecificOutput;
    expect({ command, decision: output?.permissionDecision, reason: output?.permissionDecisionReason }).toEqual({ command, decision: 'deny', reason: expect.stringContaining(`(rule ${rule})`) });
  }
  for (const command of table.allowed) {
    const result = await hook('pre-tool-use', bashPreToolUse(root, command, table.session, 'allowed'), { cwd: root, env: table.env });
    expect({ command, result }).toEqual({ command, result: { code: 0, stdout: '', stderr: '' } });
  }
}
