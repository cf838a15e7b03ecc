/** cos dispatch: out of the box, refusals (exit 3), --force and supersedes, preflight (exit 4), the prompt. */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { NOW, kinds, scanJson, writeEntry } from './fixture.js';

async function initRepo(): Promise<string> {
  const root = testdir();
  const init = await cos(['init', '--dir', root]);
  expect(init.code).toBe(0);
  return root;
}

function currentFiles(root: string): string[] {
  return readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md'));
}

interface DispatchJson {
  version: number;
  entry: Record<string, unknown> & { file: string; name: string };
  prompt: string;
}

async function dispatchJson(root: string, args: string[]): Promise<DispatchJson> {
  const result = await cos(['dispatch', ...args, '--json', '--dir', root], { now: NOW });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as DispatchJson;
}

describe('cos dispatch', () => {
  it('works out of the box: cos init && cos dispatch developer my-sprint', async () => {
    const root = await initRepo();
    const result = await cos(['dispatch', 'developer', 'my-sprint', '--dir', root], { now: NOW });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('.agent/status/current/001-2026-03-01T12-00-00Z-developer.md');
    const [file] = currentFiles(root);
    const text = readFileSync(join(root, '.agent/status/current', file!), 'utf8');
    expect(text).toMatch(/^---\ntimestamp: 2026-03-01T12:00:00Z\nsprint: my-sprint\nagent: developer\nstatus: DISPATCHED\nseverity: INFO\n/);
    expect(text).toContain('role: developer');
    // The prompt: role prose, model tier, standing orders, escalation triggers, preflight, commands.
    const prompt = result.stdout;
    expect(prompt).toContain('# Briefing: Developer on sprint my-sprint');
    expect(prompt).toContain('model tier: sonnet');
    expect(prompt).toContain('You implement one sprint.');
    expect(prompt).toContain('## Standing orders');
    expect(prompt).toContain('On FAILED, give an error signature');
    expect(prompt).toContain('## Escalate when');
    expect(prompt).toContain('The same approach failed twice');
    expect(prompt).toContain('Verify you can read: `runbook.md`');
    expect(prompt).toContain('STOP and post: `cos post --sprint my-sprint --agent developer --status BLOCKED --severity URGENT');
    expect(prompt).toContain('cos post --sprint my-sprint --agent developer --status IN_PROGRESS');
    expect(prompt).toContain('cos heartbeat --sprint my-sprint --agent developer   # at least every 30 minutes');
    expect(prompt).toContain('--status COMPLETE');
    expect(prompt).toContain('--status FAILED --error');
  });

  it('every role cos init writes passes its own preflight in a fresh repository', async () => {
    const root = await initRepo();
    for (const role of ['chief-of-staff', 'sprintmaster', 'developer', 'qa-reviewer', 'mine-sweeper']) {
      const result = await cos(['dispatch', role, `sprint-${role}`, '--dir', root], { now: NOW });
      expect(result.code, `${role}: ${result.stderr}`).toBe(0);
    }
  });

  it('--json gives version, the entry and the prompt; --agent and --ttl set the entry', async () => {
    const root = await initRepo();
    const out = await dispatchJson(root, ['developer', 's1', '--agent', 'dev-7', '--ttl', '45']);
    expect(out.version).toBe(1);
    expect(out.entry).toMatchObject({ sprint: 's1', agent: 'dev-7', status: 'DISPATCHED', role: 'developer', ttl_minutes: 45, seq: 1 });
    expect(out.entry.file).toBe(`.agent/status/current/${out.entry.name}`);
    expect(out.entry).not.toHaveProperty('supersedes');
    expect(out.prompt).toContain('cos heartbeat --sprint s1 --agent dev-7   # at least every 45 minutes');
  });

  it('the prompt carries the sprint history and the claims waiting for verification', async () => {
    const root = await initRepo();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'developer', status: 'IN_PROGRESS', at: 50, message: 'wiring the results view' });
    const c = writeEntry(root, { seq: 2, sprint: 's1', agent: 'developer', status: 'COMPLETE', at: 40, message: 'run npm test' });
    const out = await dispatchJson(root, ['qa-reviewer', 's1']);
    expect(out.prompt).toContain('## Sprint history (2 entries before yours)');
    expect(out.prompt).toContain('wiring the results view');
    expect(out.prompt).toContain(`--status VERIFIED --verifies ${c.file}`);
    // A reviewer's last entry is its verdict: VERIFIED closes its entry as well as COMPLETE does.
    expect(out.prompt).toContain('Never leave your entry open: end with VERIFIED, COMPLETE, BLOCKED or FAILED.');
    const developer = await dispatchJson(root, ['developer', 's2']);
    expect(developer.prompt).toContain('Never leave your entry open: end with COMPLETE, BLOCKED or FAILED.');
  });

  it('an unknown role exits 1 and lists the roles that exist', async () => {
    const root = await initRepo();
    const result = await cos(['dispatch', 'astronaut', 's1', '--dir', root], { now: NOW });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('astronaut');
    expect(result.stderr).toContain('chief-of-staff, developer, mine-sweeper, qa-reviewer, sprintmaster');
    expect(currentFiles(root)).toEqual([]);
  });

  it('bad usage exits 1 and writes nothing', async () => {
    const root = await initRepo();
    for (const args of [['developer'], ['developer', '../x'], ['developer', 's1', '--ttl', 'soon'], ['developer', 's1', '--agent', 'Bad Name']]) {
      const result = await cos(['dispatch', ...args, '--dir', root], { now: NOW });
      expect(result.code, args.join(' ')).toBe(1);
    }
    expect(currentFiles(root)).toEqual([]);
  });

  it('a role file with broken front matter exits 1 naming the file and what is wrong, and writes nothing', async () => {
    const root = await initRepo();
    const cases: Array<[string, string]> = [
      ['---\nrole: broken\nmodel: [x\n---\nprose\n', 'its front matter is not valid YAML'],
      ['---\nrole: broken\nmodel: sonnet\n', 'its front matter is not closed by a "---" line'],
      ['just prose\n', 'it has no YAML front matter (a role file must start with a "---" line)'],
      ['---\nrole: broken\nrequires:\n  files: 5\n---\nprose\n', 'requires.files must be a list of strings'],
    ];
    for (const [text, reason] of cases) {
      writeFileSync(join(root, '.agent/roles/broken.md'), text);
      const result = await cos(['dispatch', 'broken', 's1', '--dir', root], { now: NOW });
      expect(result.code, text).toBe(1);
      expect(result.stderr).toMatch(/^cos dispatch: \.agent\/roles\/broken\.md is not a valid role: /);
      expect(result.stderr).toContain(reason);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(currentFiles(root)).toEqual([]);
  });

  it('a missing ROLE or SPRINT gets one sentence with a single cos dispatch: prefix', async () => {
    const root = await initRepo();
    for (const args of [[], ['developer']]) {
      const result = await cos(['dispatch', ...args, '--dir', root], { now: NOW });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('cos dispatch: Give a ROLE and a SPRINT, e.g. cos dispatch developer my-sprint; see cos dispatch --help.\n');
    }
  });
});

describe('refusals (exit 3) and --force', () => {
  it('refuses an occupied sprint, naming the blocking entry; --force records supersedes', async () => {
    const root = await initRepo();
    const first = await dispatchJson(root, ['developer', 's1']);
    const refused = await cos(['dispatch', 'developer', 's1', '--agent', 'dev-2', '--dir', root], { now: NOW });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(first.entry.file);
    expect(refused.stdout).toBe('');
    expect(currentFiles(root)).toHaveLength(1);

    const forced = await dispatchJson(root, ['developer', 's1', '--agent', 'dev-2', '--force']);
    expect(forced.entry.supersedes).toBe(first.entry.name);
    expect(forced.prompt).toContain('## This dispatch was forced');
    const text = readFileSync(join(root, forced.entry.file), 'utf8');
    expect(text).toContain(`supersedes: ${first.entry.name}`);
    // The superseded entry no longer counts: no conflict, and the new holder blocks the next dispatch.
    expect(kinds(await scanJson(root), 'conflict')).toEqual([]);
    const again = await cos(['dispatch', 'developer', 's1', '--dir', root], { now: NOW });
    expect(again.code).toBe(3);
    expect(again.stderr).toContain(forced.entry.file);
    expect(again.stderr).not.toContain(first.entry.file);
  });

  it('cos status agrees with cos scan: an agent superseded by a forced redispatch is no longer (stale)', async () => {
    const root = await initRepo();
    const old = writeEntry(root, { seq: 1, sprint: 's1', agent: 'developer', status: 'IN_PROGRESS', at: 300 });
    writeEntry(root, { seq: 2, sprint: 's2', agent: 'developer', status: 'IN_PROGRESS', at: 300 });
    const staleOf = async () => {
      const status = JSON.parse((await cos(['status', '--json', '--dir', root], { now: NOW })).stdout) as {
        sprints: Array<{ sprint: string; agents: Array<{ agent: string; stale: boolean }> }>;
      };
      return status.sprints.flatMap((sprint) => sprint.agents.map((agent) => `${sprint.sprint}/${agent.agent}:${agent.stale}`)).sort();
    };
    expect(await staleOf()).toEqual(['s1/developer:true', 's2/developer:true']);
    const forced = await dispatchJson(root, ['developer', 's1', '--agent', 'dev-2', '--force']);
    expect(forced.entry.supersedes).toBe(old.file);
    expect(kinds(await scanJson(root), 'stale').map((f) => f.sprint)).toEqual(['s2']);
    expect(await staleOf()).toEqual(['s1/dev-2:false', 's1/developer:false', 's2/developer:true']);
    const text = await cos(['status', '--dir', root], { now: NOW });
    expect(text.stdout).not.toMatch(/s1 .*\(stale\)/);
    expect(text.stdout).toMatch(/s2 .*developer:IN_PROGRESS\(stale\)/);
  });

  it('refuses a sprint with an open escalation, until it is resolved', async () => {
    const root = await initRepo();
    // A FAILED URGENT holds nothing: only the escalation stands in the way.
    const u = writeEntry(root, { seq: 1, sprint: 's1', agent: 'developer', status: 'FAILED', severity: 'URGENT' });
    const refused = await cos(['dispatch', 'developer', 's1', '--dir', root], { now: NOW });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(u.path);
    expect(refused.stderr).toContain('escalation');
    // Resolving it the way its finding says (a NOTE) makes nobody a holder.
    expect((await cos(['resolve', u.file, '--agent', 'lead', '--dir', root], { now: NOW })).code).toBe(0);
    expect((await cos(['dispatch', 'developer', 's1', '--dir', root], { now: NOW })).code).toBe(0);
  });

  it('refuses a repeated failure and the attempt cap; --force supersedes the failures', async () => {
    const root = await initRepo();
    const a = writeEntry(root, { seq: 1, sprint: 'same', agent: 'developer', status: 'FAILED', error: 'E1', at: 30 });
    const b = writeEntry(root, { seq: 2, sprint: 'same', agent: 'developer', status: 'FAILED', error: 'E1', at: 20 });
    const refused = await cos(['dispatch', 'developer', 'same', '--dir', root], { now: NOW });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(a.path);
    expect(refused.stderr).toContain(b.path);
    for (const [seq, error] of [[3, 'x'], [4, 'y'], [5, 'z']] as const) writeEntry(root, { seq, sprint: 'capped', agent: 'developer', status: 'FAILED', error, at: 30 - seq });
    const capped = await cos(['dispatch', 'developer', 'capped', '--dir', root], { now: NOW });
    expect(capped.code).toBe(3);
    expect(capped.stderr).toContain('attempt cap of 3');

    const forced = await dispatchJson(root, ['developer', 'same', '--force']);
    expect(forced.entry.supersedes).toEqual([a.file, b.file]);
    expect(kinds(await scanJson(root), 'repeated-failure').map((f) => f.sprint)).toEqual(['capped']);
  });

  it('--force over an escalation supersedes it, which handles it; an old archived repeated failure still refuses', async () => {
    const root = await initRepo();
    const u = writeEntry(root, { seq: 1, sprint: 's1', agent: 'developer', status: 'BLOCKED', severity: 'BLOCKER' });
    const forced = await dispatchJson(root, ['developer', 's1', '--force']);
    expect(forced.entry.supersedes).toBe(u.file);
    expect(forced.prompt).toContain(u.path);
    expect(kinds(await scanJson(root), 'escalation')).toEqual([]);
    writeEntry(root, { seq: 2, sprint: 'ancient', agent: 'developer', status: 'FAILED', error: 'E', at: 60 * 24 * 60, archive: true });
    writeEntry(root, { seq: 3, sprint: 'ancient', agent: 'developer', status: 'FAILED', error: 'E', at: 60 * 24 * 59, archive: true });
    expect(kinds(await scanJson(root), 'repeated-failure')).toEqual([]);
    expect((await cos(['dispatch', 'developer', 'ancient', '--dir', root], { now: NOW })).code).toBe(3);
  });

  it('allows a retry under the cap with different signatures, and a new dispatch of a finished sprint', async () => {
    const root = await initRepo();
    writeEntry(root, { seq: 1, sprint: 'retry', agent: 'developer', status: 'FAILED', error: 'E1', at: 30 });
    writeEntry(root, { seq: 2, sprint: 'done', agent: 'developer', status: 'COMPLETE', at: 30 });
    expect((await cos(['dispatch', 'developer', 'retry', '--dir', root], { now: NOW })).code).toBe(0);
    expect((await cos(['dispatch', 'qa-reviewer', 'done', '--dir', root], { now: NOW })).code).toBe(0);
  });
});

describe('preflight (exit 4)', () => {
  it('names every missing file and skill, and writes nothing', async () => {
    const root = await initRepo();
    writeFileSync(
      join(root, '.agent/roles/researcher.md'),
      '---\nrole: researcher\nmodel: haiku\nrequires:\n  files:\n    - runbook.md\n    - docs/missing.md\n    - ../outside.md\n  skills:\n    - chief-of-staff\n    - web-search\n    - deep-dive\n---\nResearch.\n',
    );
    const result = await cos(['dispatch', 'researcher', 's1', '--dir', root], { now: NOW });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('docs/missing.md does not exist');
    expect(result.stderr).toContain('../outside.md is outside the repository');
    expect(result.stderr).toContain('skill web-search (.agent/skills/web-search/) does not exist');
    expect(result.stderr).toContain('skill deep-dive (.agent/skills/deep-dive/) does not exist');
    expect(result.stderr).not.toContain('runbook.md does not');
    expect(result.stderr).not.toContain('skill chief-of-staff');
    expect(currentFiles(root)).toEqual([]);
  });

  it('fails when a default role loses what it requires', async () => {
    const root = await initRepo();
    rmSync(join(root, '.agent/skills/chief-of-staff'), { recursive: true });
    rmSync(join(root, 'runbook.md'));
    const result = await cos(['dispatch', 'chief-of-staff', 's1', '--dir', root], { now: NOW });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('file runbook.md does not exist');
    expect(result.stderr).toContain('skill chief-of-staff');
  });

  it('a refusal (exit 3) comes before the preflight', async () => {
    const root = await initRepo();
    writeEntry(root, { seq: 1, sprint: 's1', agent: 'developer', status: 'IN_PROGRESS', at: 1 });
    rmSync(join(root, 'runbook.md'));
    expect((await cos(['dispatch', 'developer', 's1', '--dir', root], { now: NOW })).code).toBe(3);
  });
});
