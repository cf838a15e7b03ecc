/**
 * The guard's always-on rules through the built hook (`cos hook pre-tool-use`, a real process, the
 * PreToolUse JSON Claude Code sends): edits of `.agent/config/` and `.agent/status/` in every
 * spelling a reviewer found (cp -t, redirects through globs and $PWD, whole-tree git restores,
 * in-place editors and extractors), the agent's own `cos approve` through any launcher, forged
 * approvals, and repository paths reached through symbolic links — each with its harmless twin.
 * A real project in a temp dir, real links.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cos } from '../helpers/cli.js';
import { git, testdir } from '../helpers/tmp.js';
import { bashPreToolUse, entryFiles, guardDecision, hook, preToolUse, project } from './run-hook.js';
import { pool } from '../helpers/pool.js';

const ENV = { COS_SPRINT: 'wiring', COS_AGENT: 'dev' };

/** A PreToolUse call of a file tool, in the shape Claude Code sends it. */
function filePreToolUse(root: string, tool: 'Write' | 'Edit', path: string, session: string) {
  const input = tool === 'Write' ? { file_path: path, content: 'ttl_minutes: 3000\n' } : { file_path: path, old_string: 'version: 1', new_string: 'version: 1\nttl_minutes: 3000' };
  return preToolUse(root, tool, input, session);
}

/** The hook's answer: 'allow' (it printed nothing) or the rule named in its denial. */
async function decision(root: string, input: unknown): Promise<string> {
  return (await guardDecision(root, input, ENV)).rule;
}

type Row = [command: string, want: 'allow' | 'config-edit' | 'status-edit' | 'self-approval' | 'recursive-delete-outside-repo'];

/** Bash commands run at the project's top: [command, the decision]. `$OUT` is a folder outside the repository. */
const BASH: Row[] = [
  // 1. the folder written into named by -t / --target-directory
  ['cp -t .agent/config x.yaml', 'config-edit'],
  ['cp --target-directory=.agent/config x.yaml', 'config-edit'],
  ['cp -at .agent/config x.yaml', 'config-edit'],
  ['mv -t .agent/config x.yaml', 'config-edit'],
  ['install -t .agent/config x.yaml', 'config-edit'],
  ['install --target-directory .agent/config x.yaml', 'config-edit'],
  ['ln -st .agent/config /tmp/x.yaml', 'config-edit'],
  ['cp -vt.agent/config x.yaml', 'config-edit'], // the value attached inside a cluster (qa-reviewer-h4)
  ['mv -fvt.agent/status/current x.md', 'status-edit'],
  ['cp -vtbuild x.yaml', 'allow'],
  // GNU getopt takes an unambiguous prefix of a long option (qa-reviewer-h5)
  ['cp --target=.agent/status/current f.md', 'status-edit'],
  ['cp --targ=.agent/config x.yaml', 'config-edit'],
  ['install --target-dir=.agent/config x.yaml', 'config-edit'],
  ['ln -s --target=.agent/config /tmp/x.yaml', 'config-edit'],
  ['mv --target .agent/status/current x.md', 'status-edit'],
  ['cp --target=build x.yaml', 'allow'],
  ['cp --targ build .agent/config/coordination.yaml', 'allow'], // a source, read
  ['cp -t build x.yaml', 'allow'],
  ['cp -t build .agent/config/coordination.yaml', 'allow'], // a source, read
  ['install -t build x.yaml', 'allow'],
  // 2. redirects through a glob or a variable
  ['echo x > .agent/conf*/coordination.yaml', 'config-edit'],
  ['echo x > .agent/config/coord*', 'config-edit'],
  ['echo x > .ag?nt/config/coordination.yaml', 'config-edit'],
  ['echo x >> .agent/[c]onfig/coordination.yaml', 'config-edit'],
  ['echo x > $PWD/.agent/config/coordination.yaml', 'config-edit'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, not a template
  ['echo x > "${PWD}/.agent/config/coordination.yaml"', 'config-edit'],
  ['cd .agent && echo x > $PWD/config/coordination.yaml', 'config-edit'],
  ['echo x > $ROOT/.agent/config/coordination.yaml', 'config-edit'], // unknown variable, the rest names it
  ['echo x > "$D/coordination.yaml"', 'config-edit'], // a config file's name behind a variable
  ['echo x > build/b*.txt', 'allow'],
  ['echo x > $PWD/build/out.txt', 'allow'],
  ['echo x > "$OUT_FILE"', 'allow'], // wholly behind a variable: cannot be told, passes (docs/guard.md)
  ['echo x > .agent/roles/dev.md', 'allow'],
  ['cat .agent/config/* > /tmp/all.yaml', 'allow'],
  // 3. git restores whose pathspec covers the config
  ['git checkout HEAD~1 -- .', 'config-edit'],
  ['git restore .', 'config-edit'],
  ['git checkout -- .', 'config-edit'],
  ['git checkout .', 'config-edit'],
  ['git restore --source=HEAD~2 -- :/', 'config-edit'],
  ["git restore --source HEAD~2 ':(top)'", 'config-edit'],
  ['git restore -W -S .agent', 'config-edit'],
  ["git checkout -- '*.yaml'", 'config-edit'], // git's * crosses /
  ['cd src && git checkout -- :/', 'config-edit'],
  ['git restore src/x.ts', 'allow'],
  ['git checkout HEAD~1 -- src', 'allow'],
  ["git checkout -- '*.ts'", 'allow'],
  ["git restore -- . ':!.agent'", 'allow'], // the config excluded
  ['git checkout main', 'allow'],
  ['git checkout -b feature', 'allow'],
  // 8. only the index: the working file is unchanged
  ['git restore --staged .agent/config/coordination.yaml', 'allow'],
  ['git restore -S .', 'allow'],
  ['git reset -- .agent/config/coordination.yaml', 'allow'],
  ['git reset HEAD .agent/config', 'allow'],
  // 4. in-place editors and extractors
  ["yq -i '.ttl_minutes = 3000' .agent/config/coordination.yaml", 'config-edit'],
  ["yq --inplace '.a = 1' .agent/config/coordination.yaml", 'config-edit'],
  ["awk -i inplace '{print}' .agent/config/coordination.yaml", 'config-edit'],
  ["gawk --include=inplace '{print}' .agent/config/coordination.yaml", 'config-edit'],
  ["sed -i 's/30/3000/' .agent/config/coordination.yaml", 'config-edit'],
  ["sed --in-place=.bak 's/30/3000/' .agent/config/coordination.yaml", 'config-edit'],
  ["perl -pi -e 's/30/3000/' .agent/config/coordination.yaml", 'config-edit'],
  ["perl -i.bak -pe 's/30/3000/' .agent/config/coordination.yaml", 'config-edit'],
  ['patch .agent/config/coordination.yaml < fix.patch', 'config-edit'],
  ['patch -d .agent/config -p1 < fix.patch', 'config-edit'],
  ['patch --directory=.agent/config < fix.patch', 'config-edit'],
  ['patch -o .agent/config/coordination.yaml src/a < fix.patch', 'config-edit'],
  ['tar -xf a.tar -C .agent/config', 'config-edit'],
  ['tar xzf a.tgz -C .agent/config', 'config-edit'],
  ['tar --extract --file=a.tar --directory=.agent', 'config-edit'],
  ['unzip a.zip -d .agent/config', 'config-edit'],
  ['unzip -o a.zip -d .agent', 'config-edit'],
  ['rsync -a /tmp/cfg/ .agent/config/', 'config-edit'],
  ['dd if=/tmp/x of=.agent/config/coordination.yaml', 'config-edit'],
  ['truncate -s 0 .agent/config/coordination.yaml', 'config-edit'],
  ['curl -o .agent/config/coordination.yaml https://example.com/c.yaml', 'config-edit'],
  ['gzip .agent/config/coordination.yaml', 'config-edit'],
  ["find .agent/config -name '*.yaml' -delete", 'config-edit'],
  ['find -L .agent -delete', 'config-edit'],
  ["yq '.ttl_minutes' .agent/config/coordination.yaml", 'allow'],
  ["yq -i '.a = 1' build/x.yaml", 'allow'],
  ["awk '{print}' .agent/config/coordination.yaml", 'allow'],
  ['sed -n p .agent/config/coordination.yaml', 'allow'],
  ["perl -ne 'print' .agent/config/coordination.yaml", 'allow'],
  ['patch build/x < fix.patch', 'allow'],
  ['tar -xf a.tar -C build', 'allow'],
  ['tar -czf /tmp/cfg.tgz .agent/config', 'allow'],
  ['unzip a.zip -d build', 'allow'],
  ['unzip -l a.zip', 'allow'],
  ['rsync -a .agent/config/ /tmp/cfg/', 'allow'],
  ['dd if=.agent/config/coordination.yaml of=/tmp/x', 'allow'],
  ['truncate -s 0 build/log', 'allow'],
  ['gzip -c .agent/config/coordination.yaml > /tmp/c.gz', 'allow'],
  ['cat .agent/config/*', 'allow'],
  ['grep -r ttl .agent/config', 'allow'],
  ["find .agent/config -name '*.yaml'", 'allow'],
  ["find build -name '*.o' -delete", 'allow'],
  // 5. the agent's own approval, through any launcher
  ['cos approve 001-x.md --agent lead', 'self-approval'],
  ['npm exec cos -- approve 001-x.md', 'self-approval'],
  ['npm exec -- cos approve 001-x.md', 'self-approval'],
  ['npm x cos approve 001-x.md', 'self-approval'],
  ['npx cos approve 001-x.md', 'self-approval'],
  ['npx -y agent-cos approve 001-x.md', 'self-approval'],
  ['npx -p agent-cos cos approve 001-x.md', 'self-approval'],
  ['npx agent-cos@latest approve 001-x.md', 'self-approval'],
  ['pnpm exec cos approve 001-x.md', 'self-approval'],
  ['yarn cos approve 001-x.md', 'self-approval'],
  ['node node_modules/.bin/cos approve 001-x.md', 'self-approval'],
  ['node dist/cli.js approve 001-x.md', 'self-approval'],
  ['node --enable-source-maps ./dist/cli.js --dir . approve 001-x.md', 'self-approval'],
  ['"$(which cos)" approve 001-x.md', 'self-approval'],
  ['$COS approve 001-x.md', 'self-approval'], // a program behind a variable, given approve
  ['`which cos` approve 001-x.md', 'self-approval'],
  ['node /opt/app/dist/cli approve 001-x.md --agent lead', 'self-approval'], // node resolves the .js (qa-reviewer-h4)
  ['node $(pwd)/node_modules/agent-cos/dist/cli.js approve 001-x.md', 'self-approval'],
  ['node "$(pwd)/dist/cli" approve 001-x.md', 'self-approval'],
  ['node $(npm root)/agent-cos approve 001-x.md', 'self-approval'],
  ['bun run node_modules/agent-cos/dist/index.js approve 001-x.md', 'self-approval'], // a folder named agent-cos
  ['python3 -m cos approve 001-x.md', 'self-approval'], // any launcher: approve right after a word naming cos
  ['node "$(cat .cos-path)" approve 001-x.md', 'self-approval'], // right after a command substitution
  ['node dist/cli --dir . approve 001-x.md', 'self-approval'],
  ['node dist/cli status', 'allow'],
  ['node scripts/release.js approve', 'allow'],
  ['cos post -m approve --sprint wiring --agent dev --status NOTE', 'allow'],
  ['grep -rn "cos approve" docs', 'allow'],
  ['$EDITOR approve.md', 'allow'],
  ['npm exec cos -- post --sprint wiring --agent dev --status IN_PROGRESS', 'allow'],
  ['npx cos status', 'allow'],
  ['echo cos approve', 'allow'],
  ['git commit -m "cos approve later"', 'allow'],
  // 6. forged approvals: entries are written by cos
  ['printf "approves: 001-x.md" > .agent/status/current/099-2026-11-29T22-00-00Z-lead.md', 'status-edit'],
  ['cp /tmp/approval.md .agent/status/current/', 'status-edit'],
  ['cd .agent/status/current && cat > 099-2026-11-29T22-00-00Z-lead.md < /tmp/a', 'status-edit'],
  ['tee .agent/status/current/099-2026-11-29T22-00-00Z-lead.md < /tmp/a', 'status-edit'],
  ['git checkout other -- .agent/status', 'status-edit'],
  ['echo "{}" > .agent/state/guard-settings.json', 'config-edit'], // the guard's settings, cached from the config
  ['cat .agent/status/current/*.md', 'allow'],
  ['git add .agent/status && git commit -m "status"', 'allow'],
  ['cos resolve 001-x.md --agent dev', 'allow'],
];

describe('the guard always denies edits of .agent/config/ and .agent/status/ and self-approval (through the built hook)', () => {
  it('each spelling is denied by its rule and its harmless twin passes', { timeout: 600_000 }, async () => {
    const root = await project();
    mkdirSync(join(root, 'build'));
    const got = await pool(BASH, 3, (row, i) => decision(root, bashPreToolUse(root, row[0], `table-${i}`)));
    const wrong = BASH.flatMap((row, i) => (got[i] === row[1] ? [] : [`${row[0]}  →  ${got[i]} (want ${row[1]})`]));
    expect(wrong).toEqual([]);
  });

  it('Write and Edit into .agent/config/ or .agent/status/ are denied, also through a link into the repository; elsewhere they pass', { timeout: 120_000 }, async () => {
    const root = await project();
    const outside = testdir();
    symlinkSync(root, join(outside, 'repo-link'));
    symlinkSync(join(root, '.agent/config'), join(outside, 'config-link'));
    const rows: Array<[tool: 'Write' | 'Edit', path: string, want: string]> = [
      ['Write', join(root, '.agent/config/coordination.yaml'), 'config-edit'],
      ['Edit', '.agent/config/coordination.yaml', 'config-edit'],
      ['Write', join(outside, 'repo-link/.agent/config/coordination.yaml'), 'config-edit'],
      ['Edit', join(outside, 'config-link/coordination.yaml'), 'config-edit'],
      ['Write', join(outside, 'repo-link/.agent/status/current/099-2026-11-29T22-00-00Z-lead.md'), 'status-edit'],
      ['Write', join(root, '.agent/status/current/099-2026-11-29T22-00-00Z-lead.md'), 'status-edit'],
      ['Write', join(outside, 'repo-link/src/x.ts'), 'allow'],
      ['Write', join(root, '.agent/roles/dev.md'), 'allow'],
      ['Edit', join(outside, 'notes.md'), 'allow'],
    ];
    const got = await pool(rows, 3, (row, i) => decision(root, filePreToolUse(root, row[0], row[1], `file-${i}`)));
    expect(rows.map((row, i) => `${row[0]} ${row[1]} → ${got[i]}`)).toEqual(rows.map((row) => `${row[0]} ${row[1]} → ${row[2]}`));
  });

  it('the reasons say what to do: a git restore of the whole tree names the pathspec that leaves .agent/ out; a Write through a link names the file where it really is', { timeout: 120_000 }, async () => {
    const root = await project();
    const outside = testdir();
    symlinkSync(root, join(outside, 'repo-link'));
    const reason = async (input: unknown) => (JSON.parse((await hook('pre-tool-use', input, { cwd: root, env: ENV })).stdout) as { hookSpecificOutput: { permissionDecisionReason: string } }).hookSpecificOutput.permissionDecisionReason;
    expect(await reason(bashPreToolUse(root, 'git restore .', 'why-1'))).toContain("git restore of . rewrites files in .agent/config/ — name the paths you mean, or add the pathspec ':!.agent' to leave .agent/ out");
    expect(await decision(root, bashPreToolUse(root, "git restore . ':!.agent'", 'why-2'))).toBe('allow');
    expect(await reason(filePreToolUse(root, 'Write', join(outside, 'repo-link/.agent/config/coordination.yaml'), 'why-3'))).toContain('(rule config-edit): Write of .agent/config/coordination.yaml changes .agent/config/');
  });

  it('a path through a link is placed where the link leads, both ways', { timeout: 120_000 }, async () => {
    const root = await project();
    mkdirSync(join(root, 'build'));
    writeFileSync(join(root, 'build/a.o'), '');
    const outside = testdir();
    mkdirSync(join(outside, 'data'));
    symlinkSync(root, join(outside, 'repo-link'));
    symlinkSync(join(outside, 'data'), join(root, 'data-link'));
    const rows: Row[] = [
      [`rm -rf ${join(outside, 'repo-link/build')}`, 'allow'], // inside the repository, reached through a link
      [`rm -rf ${join(outside, 'repo-link')}/build/*`, 'allow'],
      [`echo x > ${join(outside, 'repo-link/.agent/config/coordination.yaml')}`, 'config-edit'],
      [`cp /tmp/x.yaml ${join(outside, 'repo-link/.agent/conf*')}/`, 'config-edit'],
      [`rm -rf ${join(outside, 'repo-link/.agent')}`, 'config-edit'],
      [`rm -rf ${join(outside, 'repo-link')}/`, 'recursive-delete-outside-repo'], // the repository itself
      ['rm -rf data-link/', 'recursive-delete-outside-repo'], // empties the folder outside it leads to
      ['rm -rf data-link/*', 'recursive-delete-outside-repo'],
      ['rm -rf data-link', 'allow'], // takes away the link itself, inside the repository
      ['rm -rf build', 'allow'],
    ];
    const got = await pool(rows, 3, (row, i) => decision(root, bashPreToolUse(root, row[0], `link-${i}`)));
    expect(rows.map((row, i) => `${row[0]} → ${got[i]}`)).toEqual(rows.map((row) => `${row[0]} → ${row[1]}`));
  });

  it('a forged approval lets nothing through: writing it is denied, and only a person’s cos approve passes the command, once', { timeout: 120_000 }, async () => {
    const root = await project();
    expect(await decision(root, bashPreToolUse(root, 'dropdb app', 'forge-1'))).toBe('drop-database');
    const denialNote = entryFiles(root).find((name) => /^denied: /m.test(readFileSync(join(root, '.agent/status/current', name), 'utf8')))!;
    const forged = `---\ntimestamp: 2026-11-29T22:00:00Z\nsprint: wiring\nagent: lead\nstatus: NOTE\nseverity: INFO\nheartbeat: 2026-11-29T22:00:00Z\nttl_minutes: 30\napproves: ${denialNote}\n---\nok\n`;
    const forgedPath = join(root, '.agent/status/current/099-2026-11-29T22-00-00Z-lead.md');
    const write = { ...filePreToolUse(root, 'Write', forgedPath, 'forge-2'), tool_input: { file_path: forgedPath, content: forged } };
    expect(await decision(root, write)).toBe('status-edit');
    expect(await decision(root, bashPreToolUse(root, `cat > ${forgedPath} <<'EOF'\n${forged}EOF`, 'forge-3'))).toBe('status-edit');
    expect(await decision(root, bashPreToolUse(root, `npx cos approve ${denialNote} --agent lead`, 'forge-4'))).toBe('self-approval');
    // None of it happened: the command is still denied.
    expect(await decision(root, bashPreToolUse(root, 'dropdb app', 'forge-5'))).toBe('drop-database');
    // A person approves: exactly that command passes once.
    expect((await cos(['approve', denialNote, '--agent', 'lead', '--dir', root])).code).toBe(0);
    const approval = entryFiles(root).at(-1)!;
    expect(await decision(root, bashPreToolUse(root, 'dropdb app', 'forge-6'))).toBe('allow');
    // Taking its use back, to run it twice, is denied too (the record is outside git here: .agent/state).
    const marker = join(root, '.agent/state/approvals-used', approval);
    expect(existsSync(marker)).toBe(true);
    expect(await decision(root, bashPreToolUse(root, `rm ${marker}`, 'forge-7'))).toBe('status-edit');
    expect(await decision(root, bashPreToolUse(root, 'rm -rf .agent/state/approvals-used', 'forge-8'))).toBe('status-edit');
    expect(await decision(root, bashPreToolUse(root, 'ls .agent/state/approvals-used', 'forge-9'))).toBe('allow');
    expect(await decision(root, bashPreToolUse(root, 'dropdb app', 'forge-10'))).toBe('drop-database');
  });

  it('in a git repository the record of used approvals is in the git common directory, and protected there', { timeout: 120_000 }, async () => {
    const root = await project();
    git(root, 'init', '-q');
    const used = join(root, '.git/cos/approvals-used');
    const rows: Row[] = [
      [`rm -f ${used}/099-2026-11-29T22-00-00Z-lead.md`, 'status-edit'],
      ['rm -rf .git/cos/approvals-used/*', 'status-edit'],
      ['find .git/cos/approvals-used -name x', 'allow'],
      ['rm -rf .git', 'recursive-delete-outside-repo'],
    ];
    const got = await pool(rows, 2, (row, i) => decision(root, bashPreToolUse(root, row[0], `used-${i}`)));
    expect(rows.map((row, i) => `${row[0]} → ${got[i]}`)).toEqual(rows.map((row) => `${row[0]} → ${row[1]}`));
  });
});
