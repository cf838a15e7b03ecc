/**
 * Notify routes are commands the repository chooses (docs/security.md): cos watch runs one only
 * once a person approved that exact route on this machine (cos notify allow), kept where a clone
 * cannot put it. Real git (a bare remote, an attacker's clone and a victim's), real child
 * processes, a route whose command writes a marker file outside the repository.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEVERITIES, type Severity } from '../../src/protocol/fields.js';
import { listRoutes, routeHash, unapproved } from '../../src/watch/routes.js';
import { cos, runCli } from '../helpers/cli.js';
import { git, testdir } from '../helpers/tmp.js';
import { until } from './procs.js';
import { startWatcher, summaryWhere } from './watcher.js';

const SENTENCE = /^The notify routes? for [A-Z, ]+ in \.agent\/config\/coordination\.yaml (is|are) not approved on this machine \(new, or changed since approved\), so cos watch does not run (it|them); review with cos notify and approve with cos notify allow\.$/;

/** A route for every severity that leaves `<outside>/<name>-<severity>` behind. */
function routes(outside: string, name: string): string {
  return `notify:\n${SEVERITIES.map((severity) => `  ${severity}: 'touch "${outside}/${name}-$COS_SEVERITY"'`).join('\n')}\n`;
}

/** A bare remote; the attacker's clone commits `.agent/` with routes; the victim clones it. */
function clones(outside: string) {
  const remote = testdir();
  git(remote, 'init', '-q', '--bare', '-b', 'main');
  const attacker = testdir();
  git(attacker, 'clone', '-q', remote, '.');
  return { remote, attacker };
}

async function initWithRoutes(repo: string, outside: string, name: string, more = '') {
  expect((await runCli(['init', '--dir', repo])).code).toBe(0);
  writeFileSync(join(repo, '.agent/config/coordination.yaml'), `version: 1\n${more}${routes(outside, name)}`);
}

function urgent(repo: string, sprint: string) {
  return runCli(['post', '--dir', repo, '--sprint', sprint, '--agent', 'ann', '--status', 'BLOCKED', '--severity', 'URGENT']);
}

describe('approved notify routes (pure)', () => {
  const command = fc.string({ minLength: 1, maxLength: 40 });
  const notify = fc.dictionary(fc.constantFrom(...SEVERITIES), command) as fc.Arbitrary<Partial<Record<Severity, string>>>;

  it('a route is approved exactly when that command was approved for that severity', () => {
    fc.assert(
      fc.property(notify, notify, (now, before) => {
        const approved = new Set(listRoutes(before).map((route) => route.sha256));
        const waiting = new Set(unapproved(listRoutes(now), approved).map((route) => route.severity));
        for (const severity of SEVERITIES) {
          if (now[severity] === undefined) continue;
          expect(waiting.has(severity)).toBe(before[severity] !== now[severity]);
        }
      }),
    );
  });

  it('any change to a command, or moving it to another severity, is a different route', () => {
    fc.assert(
      fc.property(command, command, fc.constantFrom(...SEVERITIES), fc.constantFrom(...SEVERITIES), (a, b, s, t) => {
        expect(routeHash(s, a) === routeHash(t, b)).toBe(a === b && s === t);
      }),
    );
  });
});

describe('cos watch runs a notify route only once it is approved on this machine', () => {
  it('a cloned hostile route never runs unless approved; approved it runs; changed after a pull it does not', { timeout: 180_000 }, async () => {
    const outside = testdir();
    const { remote, attacker } = clones(outside);
    await initWithRoutes(attacker, outside, 'first');
    git(attacker, 'add', '-A');
    git(attacker, 'commit', '-q', '-m', 'routes');
    git(attacker, 'push', '-q', 'origin', 'main');

    const victim = testdir();
    git(victim, 'clone', '-q', remote, '.');
    expect((await urgent(victim, 'alpha')).code).toBe(0);

    // Cloned: not run, one sentence naming the file and the command.
    const first = await runCli(['watch', '--once', '--no-notion', '--json', '--dir', victim]);
    expect(first.code).toBe(0);
    const told: Array<{ message: string }> = first.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((line) => line.source === 'notify');
    expect(told).toHaveLength(1);
    expect(told[0].message).toMatch(SENTENCE);
    expect(existsSync(join(outside, 'first-URGENT'))).toBe(false);

    // What cos notify shows, and what allow prints before it records.
    const listed = await runCli(['notify', '--dir', victim]);
    expect(listed.stdout).toMatch(/URGENT\s+NOT APPROVED\s+touch ".*\/first-\$COS_SEVERITY"/);
    const allowed = await runCli(['notify', 'allow', '--dir', victim]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/cos watch will run these commands[^\n]*\n(\s+[A-Z]+\s+touch "[^\n]*first-\$COS_SEVERITY"\n){4}Approved on this machine \(recorded in \.git\/cos\/notify-approved\.json\)/);
    expect(existsSync(join(victim, '.git/cos/notify-approved.json'))).toBe(true);

    // Approved: it runs, and nothing is said about it.
    const second = await runCli(['watch', '--once', '--no-notion', '--json', '--dir', victim]);
    expect(second.stdout).not.toMatch(/"source":"notify"/);
    expect(existsSync(join(outside, 'first-URGENT'))).toBe(true);

    // The attacker changes the route; the victim pulls: the new command does not run.
    const config = join(attacker, '.agent/config/coordination.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replaceAll('first-', 'changed-'));
    git(attacker, 'commit', '-q', '-am', 'changed routes');
    git(attacker, 'push', '-q', 'origin', 'main');
    git(victim, 'pull', '-q', '--no-rebase', 'origin', 'main');
    const third = await runCli(['watch', '--once', '--no-notion', '--json', '--dir', victim]);
    expect(third.stdout).toMatch(/"source":"notify","message":"The notify routes for INFO, WARN, URGENT, BLOCKER in/);
    expect(existsSync(join(outside, 'changed-URGENT'))).toBe(false);
  });

  it('a running watcher: says it once, runs what was approved meanwhile, and --exec needs no approval', { timeout: 180_000 }, async () => {
    const outside = testdir();
    const repo = testdir();
    git(repo, 'init', '-q', '-b', 'main');
    await initWithRoutes(repo, outside, 'route', 'watch:\n  reconcile_seconds: 0.5\n');
    const watcher = startWatcher(repo, ['--no-notion', '--exec', `touch "${outside}/exec-$COS_SPRINT"`]);
    await watcher.waitFor((line) => line.event === 'watching', 'watching');
    expect((await urgent(repo, 'alpha')).code).toBe(0);
    await watcher.waitFor((line) => line.event === 'finding' && line.finding.sprint === 'alpha', 'the finding on alpha');
    await until(() => existsSync(join(outside, 'exec-alpha')), '--exec ran for alpha');
    // Several reconciles later: still said once, the route never ran.
    const { summary } = await summaryWhere(watcher, () => true, 'a summary');
    await summaryWhere(watcher, (later) => later.reconciles >= summary.reconciles + 3, 'three more reconciles');
    expect(watcher.lines.filter((line) => line.source === 'notify')).toHaveLength(1);
    expect(existsSync(join(outside, 'route-URGENT'))).toBe(false);

    // Approved while it runs: the next finding runs it.
    expect((await cos(['notify', 'allow', '--dir', repo])).code).toBe(0);
    expect((await urgent(repo, 'beta')).code).toBe(0);
    await until(() => existsSync(join(outside, 'route-URGENT')), 'the approved route ran for beta');
    await until(() => existsSync(join(outside, 'exec-beta')), '--exec ran for beta');
    watcher.child.kill('SIGTERM');
    expect((await watcher.exited).code).toBe(0);
    expect(watcher.lines.filter((line) => line.source === 'notify')).toHaveLength(1);
  });

  it('outside git the approval lives in the user state directory, not in a file the folder could carry', { timeout: 120_000 }, async () => {
    const outside = testdir();
    const state = testdir();
    const repo = testdir();
    await initWithRoutes(repo, outside, 'plain');
    // What an archive of the folder could hold: approvals of exactly these routes, inside it.
    const hashes = SEVERITIES.map((severity) => routeHash(severity, `touch "${outside}/plain-$COS_SEVERITY"`));
    for (const file of ['.agent/state/notify-approved.json', '.agent/config/notify-approved.json']) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      writeFileSync(join(repo, file), JSON.stringify({ version: 1, approved_sha256: hashes }));
    }
    const env = { XDG_STATE_HOME: state };
    expect((await urgent(repo, 'alpha')).code).toBe(0);
    const before = await runCli(['watch', '--once', '--no-notion', '--dir', repo], { env });
    expect(before.stdout).toMatch(/notify: The notify routes for INFO, WARN, URGENT, BLOCKER in \.agent\/config\/coordination\.yaml are not approved/);
    expect(existsSync(join(outside, 'plain-URGENT'))).toBe(false);

    const allowed = await runCli(['notify', 'allow', '--dir', repo, '--json'], { env });
    const json = JSON.parse(allowed.stdout) as { approvals: string; routes: Array<{ approved: boolean }> };
    expect(json.approvals.startsWith(join(state, 'cos', 'notify-approved'))).toBe(true);
    expect(json.routes.every((route) => route.approved)).toBe(true);
    await runCli(['watch', '--once', '--no-notion', '--dir', repo], { env });
    expect(existsSync(join(outside, 'plain-URGENT'))).toBe(true);

    // Revoked: not run again.
    rmSync(join(outside, 'plain-URGENT'));
    expect((await runCli(['notify', 'revoke', '--dir', repo], { env })).code).toBe(0);
    expect((await urgent(repo, 'beta')).code).toBe(0);
    const after = await runCli(['watch', '--once', '--no-notion', '--dir', repo], { env });
    expect(after.stdout).toMatch(/are not approved on this machine/);
    expect(existsSync(join(outside, 'plain-URGENT'))).toBe(false);
  });
});
