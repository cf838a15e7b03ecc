/**
 * One BLOCKER NOTE per agent and command — not per retry — also when the retries run at the same
 * time: real processes of the built `cos hook pre-tool-use`, held at a start gate and released
 * together, with the hook JSON in the shape Claude Code sends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cos } from '../helpers/cli.js';
import { gatedCli, race, type RaceResult } from '../helpers/racers.js';
import { bashPreToolUse, entryFiles, project } from './run-hook.js';


/** Each call as a real `cos hook pre-tool-use` process, its hook JSON on stdin, all released at once. */
function raceHooks(root: string, calls: Array<{ agent: string; command: string }>, round: string): Promise<RaceResult[]> {
  const goFile = join(root, `.go-${round}`);
  return race(
    calls.map((call, i) =>
      gatedCli(['hook', 'pre-tool-use'], {
        cwd: root,
        env: { COS_SPRINT: 'wiring', COS_AGENT: call.agent, CLAUDE_PROJECT_DIR: undefined },
        stdin: { input: JSON.stringify(bashPreToolUse(root, call.command, `${round}-session-${i}`, 'retry')), goFile },
      }),
    ),
  );
}

function denialNotes(root: string): Array<{ name: string; agent: string; denied: string }> {
  return entryFiles(root).flatMap((name) => {
    const text = readFileSync(join(root, '.agent/status/current', name), 'utf8');
    const denied = /^denied: (.*)$/m.exec(text)?.[1];
    return denied === undefined ? [] : [{ name, agent: /^agent: (.*)$/m.exec(text)![1]!, denied: String(parseYaml(denied)) }];
  });
}

function reasonOf(stdout: string): string {
  const out = JSON.parse(stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
  expect(out.hookSpecificOutput.permissionDecision).toBe('deny');
  return out.hookSpecificOutput.permissionDecisionReason;
}

describe('parallel denials of the same command', () => {
  it('8 identical denials at once write exactly one NOTE, and every process names it; once resolved, 6 more at once write exactly one new NOTE', { timeout: 180_000 }, async () => {
    const root = await project();
    const results = await raceHooks(root, Array.from({ length: 8 }, () => ({ agent: 'dev', command: 'rm -rf ~' })), 'a');
    const notes = denialNotes(root);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ agent: 'dev', denied: 'rm -rf ~' });
    for (const result of results) {
      expect(result.code).toBe(0);
      expect(reasonOf(result.stdout)).toContain(`cos approve ${notes[0]!.name}`);
    }
    expect(results.filter((result) => reasonOf(result.stdout).includes('(posted as')).length).toBe(1);

    // A person deals with it; the next retries are a new denial — again one NOTE, not one per retry.
    const resolved = await cos(['resolve', notes[0]!.name, '--agent', 'lead', '--dir', root]);
    expect(resolved.code).toBe(0);
    const again = await raceHooks(root, Array.from({ length: 6 }, () => ({ agent: 'dev', command: 'rm   -rf  ~' })), 'b');
    const after = denialNotes(root);
    expect(after).toHaveLength(2);
    for (const result of again) expect(reasonOf(result.stdout)).toContain(`cos approve ${after[1]!.name}`);
  });

  it('two agents × two commands, each twice, all at once: exactly four NOTEs, one per agent and command', { timeout: 180_000 }, async () => {
    const root = await project();
    const calls = ['dev', 'qa'].flatMap((agent) => ['rm -rf ~', 'git push --force origin main'].flatMap((command) => [{ agent, command }, { agent, command }]));
    const results = await raceHooks(root, calls, 'c');
    for (const result of results) reasonOf(result.stdout);
    const notes = denialNotes(root).map(({ agent, denied }) => `${agent}: ${denied}`).sort();
    expect(notes).toEqual(['dev: git push --force origin main', 'dev: rm -rf ~', 'qa: git push --force origin main', 'qa: rm -rf ~']);
  });
});
