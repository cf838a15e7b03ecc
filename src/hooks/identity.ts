/**
 * How a hook knows whose session it is: the sprint and agent it reports for. Pure.
 *
 * 1. `COS_SPRINT` and `COS_AGENT` in the hook's environment (set where Claude Code is started,
 *    or in `.claude/settings.local.json` under "env"): explicit, always wins.
 * 2. Otherwise the hook learns it from the agent's own reporting: a Bash tool call running
 *    `cos post` or `cos heartbeat` with `--sprint` and `--agent`, or a call of the cos MCP
 *    server's post/heartbeat tool. The dispatch briefing makes posting IN_PROGRESS the agent's
 *    first act, so from then on the hooks know. The binding is kept per Claude Code session in
 *    `.agent/state/sessions/<session_id>.json`.
 */
import { slugProblem } from '../protocol/slug.js';

export interface Identity {
  sprint: string;
  agent: string;
}

export function identityFromEnv(env: NodeJS.ProcessEnv): Identity | null {
  const sprint = env.COS_SPRINT;
  const agent = env.COS_AGENT;
  if (sprint === undefined || agent === undefined) return null;
  if (slugProblem(sprint) !== null || slugProblem(agent) !== null) return null;
  return { sprint, agent };
}

/**
 * Split a shell command into simple commands (at unquoted `;`, `&`, `|`, newlines) of words,
 * reading quotes and backslashes as a POSIX shell does: enough to find flags.
 */
function commands(segment: string): string[][] {
  const all: string[][] = [];
  let out: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "'") {
      const close = segment.indexOf("'", i + 1);
      const end = close === -1 ? segment.length : close;
      word += segment.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      inWord = true;
      for (i++; i < segment.length && segment[i] !== '"'; i++) {
        if (segment[i] === '\\' && i + 1 < segment.length && '"\\$`'.includes(segment[i + 1]!)) i++;
        word += segment[i];
      }
    } else if (c === '\\' && i + 1 < segment.length) {
      word += segment[++i];
      inWord = true;
    } else if (/\s/.test(c) || c === ';' || c === '&' || c === '|') {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
      if (c !== ' ' && c !== '\t' && out.length > 0) {
        all.push(out);
        out = [];
      }
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  if (out.length > 0) all.push(out);
  return all;
}

const COS_WORD = /(?:^|\/)(?:cos|agent-cos|cli\.js)$/;

function identityFromWords(list: string[]): Identity | null {
  const at = list.findIndex((word) => COS_WORD.test(word));
  if (at === -1) return null;
  const rest = list.slice(at + 1);
  let command: string | undefined;
  let sprint: string | undefined;
  let agent: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const eq = word.indexOf('=');
    const flag = word.startsWith('--') && eq > 0 ? word.slice(0, eq) : word;
    const inline = word.startsWith('--') && eq > 0 ? word.slice(eq + 1) : undefined;
    if (flag === '--sprint' || flag === '--agent') {
      const value = inline ?? rest[++i];
      if (flag === '--sprint') sprint = value;
      else agent = value;
    } else if (flag === '--dir') {
      if (inline === undefined) i++;
    } else if (!word.startsWith('-') && command === undefined) {
      command = word;
    }
  }
  if (command !== 'post' && command !== 'heartbeat') return null;
  if (sprint === undefined || agent === undefined || slugProblem(sprint) !== null || slugProblem(agent) !== null) return null;
  return { sprint, agent };
}

/** The identity a tool call reveals, or null. The last cos post/heartbeat in a command wins. */
export function identityFromTool(toolName: string | undefined, toolInput: Record<string, unknown> | undefined): Identity | null {
  if (!toolName || !toolInput) return null;
  if (toolName === 'Bash') {
    const command = toolInput.command;
    if (typeof command !== 'string' || command.length > 100_000 || !/\b(?:post|heartbeat)\b/.test(command)) return null;
    let found: Identity | null = null;
    for (const list of commands(command)) {
      const identity = identityFromWords(list);
      if (identity) found = identity;
    }
    return found;
  }
  const mcp = /^mcp__(?:cos|agent-cos)__(?:post|heartbeat)$/.exec(toolName);
  if (mcp) {
    const { sprint, agent } = toolInput;
    if (typeof sprint === 'string' && typeof agent === 'string' && slugProblem(sprint) === null && slugProblem(agent) === null) return { sprint, agent };
  }
  return null;
}
