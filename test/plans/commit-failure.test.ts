/**
 * `cos plan apply --commit` whose git commit fails (a pre-commit hook that refuses): the plan is
 * stored all the same, so it is still printed — with --json its document, `"commit": null`,
 * `"ok": false` and the error — beside one sentence on stderr, exit 5. Through the built CLI in a
 * real git repository; the library's applyPlan throws PlanNotCommittedError carrying the result.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCosError } from '../../src/errors.js';
import { applyPlan, PlanNotCommittedError } from '../../src/plans/apply.js';
import { runCli } from '../helpers/cli.js';
import { git, gitdir } from '../helpers/tmp.js';

const PLAN = (title: string) => `summary: Ship it\nsteps:\n  - sprint: only\n    title: ${title}\n    role: developer\n    done_when: it works\n`;
const REFUSE = '#!/bin/sh\necho "hook says no" >&2\nexit 1\n';

async function repo(): Promise<string> {
  const dir = gitdir({ 'README.md': 'x\n' });
  expect((await runCli(['init', '--dir', dir])).code).toBe(0);
  writeFileSync(join(dir, '.git/hooks/pre-commit'), REFUSE, { mode: 0o755 });
  return dir;
}

describe('cos plan apply --commit when the commit fails', () => {
  it('--json: the stored plan\'s document with "commit": null and the error; the sentence on stderr; exit 5', async () => {
    const dir = await repo();
    writeFileSync(join(dir, 'work.yaml'), PLAN('Do it'));
    const result = await runCli(['plan', 'apply', 'work.yaml', '--commit', '--json', '--dir', dir], { cwd: dir });
    expect(result.code).toBe(5);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ version: 1, outcome: 'created', file: '.agent/plans/work.yaml', attempt: 1, commit: null, ok: false, error: { code: 'external', exit_code: 5 } });
    expect(document.plan.steps[0].title).toBe('Do it');
    expect(readFileSync(join(dir, document.file), 'utf8')).toContain('title: Do it');
    expect(result.stderr).toBe(`cos plan: ${document.error.message}\n`);
    expect(document.error.message).toBe('git commit failed (hook says no); .agent/plans/work.yaml is written but not committed — commit it by hand (running the command again does not).');
    expect(git(dir, 'log', '--format=%s').trim()).toBe('fixture');
  }, 60_000);

  it('without --json: the outcome on stdout says it is not committed; the sentence on stderr; exit 5', async () => {
    const dir = await repo();
    writeFileSync(join(dir, 'work.yaml'), PLAN('Do it'));
    const result = await runCli(['plan', 'apply', 'work.yaml', '--commit', '--dir', dir], { cwd: dir });
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('.agent/plans/work.yaml: applied: attempt 1 of 3 (not committed: git failed).\nNext: cos ready\n');
    expect(result.stderr).toMatch(/^cos plan: git commit failed \(hook says no\); \.agent\/plans\/work\.yaml is written but not committed/);
  }, 60_000);

  it('the library: applyPlan throws PlanNotCommittedError (exit 5) carrying what it applied', async () => {
    const dir = await repo();
    const error = await applyPlan(dir, { name: 'work', text: PLAN('Do it') }, { commit: true }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(PlanNotCommittedError);
    expect(isCosError(error, 'external')).toBe(true);
    const { result } = error as PlanNotCommittedError;
    expect(result).toMatchObject({ outcome: 'created', file: '.agent/plans/work.yaml', commit: null, plan: { name: 'work', attempt: 1 } });
  }, 60_000);
});
