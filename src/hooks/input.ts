/**
 * The JSON Claude Code writes on a hook's stdin: common fields (`session_id`, `cwd`,
 * `hook_event_name`, `transcript_path`) plus per-event ones (`source` on SessionStart,
 * `tool_name`/`tool_input` on PostToolUse, `stop_hook_active` on Stop). Pure; unknown fields are
 * ignored, a wrong type is a reason.
 */

export interface HookInput {
  session_id: string;
  cwd?: string;
  hook_event_name?: string;
  source?: string;
  tool_name?: string;
  tool_input?: Record<string, unknown>;
  stop_hook_active?: boolean;
  /** Notification: the text Claude Code shows, its title and kind (permission_prompt, idle_prompt, ...). */
  message?: string;
  title?: string;
  notification_type?: string;
}

export type HookInputResult = { ok: true; input: HookInput } | { ok: false; reason: string };

/** Session ids become file names: anything else is refused. */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function parseHookInput(text: string): HookInputResult {
  if (text.trim() === '') return { ok: false, reason: 'no hook JSON on stdin' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `hook JSON on stdin does not parse (${(error as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'hook JSON on stdin is not an object' };
  const data = value as Record<string, unknown>;
  const id = data.session_id;
  if (typeof id !== 'string' || !SESSION_ID.test(id) || id.includes('..')) {
    return { ok: false, reason: `hook JSON has no usable session_id (${JSON.stringify(id)?.slice(0, 80) ?? 'missing'})` };
  }
  const input: HookInput = { session_id: id };
  if (typeof data.cwd === 'string' && data.cwd !== '') input.cwd = data.cwd;
  if (typeof data.hook_event_name === 'string') input.hook_event_name = data.hook_event_name;
  if (typeof data.source === 'string') input.source = data.source;
  if (typeof data.tool_name === 'string') input.tool_name = data.tool_name;
  if (data.tool_input !== null && typeof data.tool_input === 'object' && !Array.isArray(data.tool_input)) input.tool_input = data.tool_input as Record<string, unknown>;
  if (typeof data.stop_hook_active === 'boolean') input.stop_hook_active = data.stop_hook_active;
  if (typeof data.message === 'string') input.message = data.message.slice(0, 4000);
  if (typeof data.title === 'string') input.title = data.title.slice(0, 200);
  if (typeof data.notification_type === 'string') input.notification_type = data.notification_type;
  return { ok: true, input };
}
