/**
 * The Claude Code hooks that `cos setup claude` merges into `.claude/settings.json`, and taking
 * them out again. Pure: settings text in, settings text out.
 *
 * Invariants:
 * - Everything that is not one of our three hooks (other hooks, permissions, env, unknown keys)
 *   is kept, in its order.
 * - Our hooks are recognised by their command (`<cos> hook <event>`), so an older install (another
 *   cos path, another timeout) is updated in place rather than duplicated.
 * - Installing over an install changes nothing: the input text is returned as it was.
 */
import { InputError } from '../errors.js';
import { DEFAULT_LAYOUT, formatJson, isPlainObject, parseJsonText, type JsonLayout } from './json-text.js';

/** One Claude Code hook cos installs: the event, the `cos hook` sub-command and its matcher. */
export interface CosHook {
  /** The Claude Code hook event. */
  event: 'SessionStart' | 'PreToolUse' | 'PostToolUse' | 'Notification' | 'Stop';
  /** The `cos hook <name>` sub-command. */
  name: 'session-start' | 'pre-tool-use' | 'post-tool-use' | 'notification' | 'stop';
  matcher?: string;
  /** Seconds before Claude Code cancels the hook. */
  timeout: number;
}

/** The Claude Code hooks cos installs: event, matcher and the `cos hook` command each runs. */
export const COS_HOOKS: readonly CosHook[] = [
  { event: 'SessionStart', name: 'session-start', timeout: 15 },
  { event: 'PreToolUse', name: 'pre-tool-use', matcher: '*', timeout: 15 },
  { event: 'PostToolUse', name: 'post-tool-use', matcher: '*', timeout: 10 },
  { event: 'Notification', name: 'notification', timeout: 15 },
  { event: 'Stop', name: 'stop', timeout: 15 },
];

/** The hook command for an invocation of cos (`cos`, `npx --no-install cos`, a path). */
export function hookCommand(cos: string, name: CosHook['name']): string {
  return `${cos} hook ${name}`;
}

const OURS = /(?:^|[\s/"'])(?:cos|cli\.js)["']?\s+hook\s+(session-start|pre-tool-use|post-tool-use|notification|stop)\s*$/;

/** Which of our hooks a command is, or null for anybody else's. */
export function ourHookName(command: unknown): CosHook['name'] | null {
  if (typeof command !== 'string') return null;
  const match = OURS.exec(command);
  return match ? (match[1] as CosHook['name']) : null;
}

type Group = Record<string, unknown> & { hooks?: unknown };

function desiredHook(cos: string, hook: CosHook): Record<string, unknown> {
  return { type: 'command', command: hookCommand(cos, hook.name), timeout: hook.timeout };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function readSettings(text: string | null, file: string): { settings: Record<string, unknown>; layout: JsonLayout } {
  if (text === null || text.trim() === '') return { settings: {}, layout: DEFAULT_LAYOUT };
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new InputError(`${file} is not valid JSON (${parsed.reason}); fix it first, nothing was changed.`);
  if (!isPlainObject(parsed.value)) throw new InputError(`${file} must hold a JSON object; nothing was changed.`);
  const hooks = parsed.value.hooks;
  if (hooks !== undefined && !isPlainObject(hooks)) throw new InputError(`${file}: "hooks" must be an object of events; nothing was changed.`);
  if (isPlainObject(hooks)) {
    for (const hook of COS_HOOKS) {
      const groups = hooks[hook.event];
      if (groups !== undefined && !Array.isArray(groups)) {
        throw new InputError(`${file}: "hooks.${hook.event}" must be a list of matcher groups; nothing was changed.`);
      }
    }
  }
  return { settings: parsed.value, layout: parsed.layout };
}

function groupHooks(group: unknown): unknown[] | null {
  return isPlainObject(group) && Array.isArray(group.hooks) ? group.hooks : null;
}

/** A change to Claude Code's settings file: the new text and whether it changed. */
export interface SettingsChange {
  /** The new text, or null when the file should not exist (remove, nothing else in it). */
  text: string | null;
  changed: boolean;
}

/** Merge our hooks into a settings text (null: no file yet). */
export function installHooks(text: string | null, cos: string, file = '.claude/settings.json'): SettingsChange {
  const { settings, layout } = readSettings(text, file);
  const next = structuredClone(settings);
  const hooks = (isPlainObject(next.hooks) ? next.hooks : {}) as Record<string, unknown>;
  let changed = false;
  for (const hook of COS_HOOKS) {
    const want = desiredHook(cos, hook);
    const groups = (Array.isArray(hooks[hook.event]) ? hooks[hook.event] : []) as unknown[];
    let kept = false;
    for (let g = 0; g < groups.length; g++) {
      const list = groupHooks(groups[g]);
      if (!list) continue;
      for (let h = 0; h < list.length; h++) {
        const entry = list[h] as Record<string, unknown> | undefined;
        if (ourHookName(entry?.command) !== hook.name) continue;
        if (!kept) {
          kept = true;
          if (!sameJson(entry, want)) {
            list[h] = want;
            changed = true;
          }
        } else {
          // A second copy of our hook: Claude Code would run it twice.
          list.splice(h--, 1);
          changed = true;
        }
      }
      if (list.length === 0) {
        groups.splice(g--, 1);
      }
    }
    if (!kept) {
      const group: Group = hook.matcher !== undefined ? { matcher: hook.matcher, hooks: [want] } : { hooks: [want] };
      groups.push(group);
      changed = true;
    }
    hooks[hook.event] = groups;
  }
  if (!changed && text !== null && text.trim() !== '') return { text, changed: false };
  next.hooks = hooks;
  return { text: formatJson(next, layout), changed: true };
}

/** Take exactly our hooks out; containers that become empty because of it go too. */
export function removeHooks(text: string | null, file = '.claude/settings.json'): SettingsChange {
  if (text === null) return { text: null, changed: false };
  const { settings, layout } = readSettings(text, file);
  if (!isPlainObject(settings.hooks)) return { text, changed: false };
  const next = structuredClone(settings);
  const hooks = next.hooks as Record<string, unknown>;
  let changed = false;
  for (const event of Object.keys(hooks)) {
    const groups = hooks[event];
    if (!Array.isArray(groups)) continue;
    let touched = false;
    for (let g = 0; g < groups.length; g++) {
      const list = groupHooks(groups[g]);
      if (!list) continue;
      const before = list.length;
      for (let h = 0; h < list.length; h++) {
        if (ourHookName((list[h] as Record<string, unknown> | undefined)?.command) !== null) list.splice(h--, 1);
      }
      if (list.length !== before) {
        touched = true;
        if (list.length === 0) groups.splice(g--, 1);
      }
    }
    if (touched) {
      changed = true;
      if (groups.length === 0) delete hooks[event];
    }
  }
  if (!changed) return { text, changed: false };
  if (Object.keys(hooks).length === 0) delete next.hooks;
  return { text: formatJson(next, layout), changed: true };
}

/** Whether a settings text holds all of our hooks. */
export function hasOurHooks(text: string | null): boolean {
  if (text === null) return false;
  const parsed = parseJsonText(text);
  if (!parsed.ok || !isPlainObject(parsed.value) || !isPlainObject(parsed.value.hooks)) return false;
  const hooks = parsed.value.hooks;
  return COS_HOOKS.every((hook) => {
    const groups = hooks[hook.event];
    return Array.isArray(groups) && groups.some((group) => (groupHooks(group) ?? []).some((h) => ourHookName((h as Record<string, unknown>)?.command) === hook.name));
  });
}
