/**
 * git commands that rewrite `.agent/config/`, each run twice on the same state: by real git (does
 * the config file change?) and through the built pre-tool-use hook, in the JSON Claude Code sends
 * for a Bash call (is it denied?). The gaps a reviewer found — pathspec magic (`:(icase)`, `:/:`,
 * exclusions alone), a backslash in a pathspec, `git stash` — and their class, each with its
 * harmless twin. The guard denies exactly the commands git lets write the config, except the few
 * rows marked as read on the side of denying (docs/guard.md says why).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, testdir } from '../helpers/tmp.js';
import { bashPreToolUse, guardDecision, project } from '../hooks/run-hook.js';
import { pool } from '../helpers/pool.js';

const CONFIG = '.agent/config/coordination.yaml';
const ENV = { COS_SPRINT: 'wiring', COS_AGENT: 'dev' };

type Setup = 'dirty' | 'stashed-config' | 'stashed-src' | 'config-below-src' | 'config-stashed-src-changed' | 'untracked-config' | 'untracked-quoted' | 'nested-repo';

/**
 * A committed project (its config holds team.json besides cos's files), then: `dirty` — a
 * person's uncommitted change of the config and a change
 * of src/x.ts; `stashed-config` — the config change put in stash@{0}, the tree clean;
 * `stashed-src` — only src/x.ts in stash@{0}; `config-below-src` — stash@{0} holds src/x.ts,
 * stash@{1} the config change; `config-stashed-src-changed` — the config change in stash@{0},
 * src/x.ts changed; `untracked-config` — a person's new config file, not yet added, and an
 * untracked build folder; `untracked-quoted` — new config files whose names git prints C-quoted
 * (a double quote, a backslash, a tab, a newline); `nested-repo` — a repository of its own cloned
 * into .agent/config/vendored/ (git clean removes it only when given -f twice).
 */
async function templates(): Promise<Record<Setup, string>> {
  const base = await project();
  mkdirSync(join(base, 'src'));
  writeFileSync(join(base, 'src/x.ts'), 'a\n');
  writeFileSync(join(base, '.agent/config/team.json'), '{}\n');
  git(base, 'init', '-q', '-b', 'main');
  git(base, 'add', '-A');
  git(base, 'commit', '-q', '-m', 'project');
  const copy = (setup: Setup, steps: (dir: string) => void) => {
    const dir = testdir();
    cpSync(base, dir, { recursive: true });
    steps(dir);
    return [setup, dir] as const;
  };
  const changeConfig = (dir: string) => {
    writeFileSync(join(dir, CONFIG), 'version: 1\nttl_minutes: 3000\n');
    writeFileSync(join(dir, '.agent/config/team.json'), '{"lead": "x"}\n');
  };
  const changeSrc = (dir: string) => writeFileSync(join(dir, 'src/x.ts'), 'b\n');
  return Object.fromEntries([
    copy('dirty', (dir) => {
      changeConfig(dir);
      changeSrc(dir);
    }),
    copy('stashed-config', (dir) => {
      changeConfig(dir);
      git(dir, 'stash', 'push', '-q', '--', '.agent/config');
    }),
    copy('stashed-src', (dir) => {
      changeSrc(dir);
      git(dir, 'stash', 'push', '-q', '--', 'src');
    }),
    copy('config-below-src', (dir) => {
      changeConfig(dir);
      git(dir, 'stash', 'push', '-q', '--', '.agent/config');
      changeSrc(dir);
      git(dir, 'stash', 'push', '-q', '--', 'src');
    }),
    copy('untracked-config', (dir) => {
      writeFileSync(join(dir, '.agent/config/routes.yaml'), 'notify: {}\n');
      mkdirSync(join(dir, 'build'));
      writeFileSync(join(dir, 'build/out.js'), '');
    }),
    copy('untracked-quoted', (dir) => {
      for (const name of ['new"routes.yaml', 'back\\slash.yaml', 'tab\there.yaml', 'new\nline.yaml']) writeFileSync(join(dir, '.agent/config', name), 'x\n');
    }),
    copy('nested-repo', (dir) => {
      mkdirSync(join(dir, '.agent/config/vendored'));
      writeFileSync(join(dir, '.agent/config/vendored/rules.yaml'), 'x\n');
      git(join(dir, '.agent/config/vendored'), 'init', '-q');
    }),
    copy('config-stashed-src-changed', (dir) => {
      changeConfig(dir);
      git(dir, 'stash', 'push', '-q', '--', '.agent/config');
      changeSrc(dir);
    }),
  ]) as Record<Setup, string>;
}

/** [command, state, the guard's decision, whether real git changes the config (default: denied)] */
type Row = [command: string, setup: Setup, want: 'allow' | 'config-edit' | 'too-complex', gitWrites?: boolean];

const ROWS: Row[] = [
  // pathspec magic: long and short forms, combined, any case
  ["git restore ':(icase).AGENT/config'", 'dirty', 'config-edit'],
  ["git restore ':(icase).AGENT'", 'dirty', 'config-edit'],
  ["git restore ':(top,icase).Agent'", 'dirty', 'config-edit'],
  ["git restore ':(icase).agent/CONF*'", 'dirty', 'config-edit'],
  ["git checkout -- ':(icase).AGENT/Config/Coordination.YAML'", 'dirty', 'config-edit'],
  ["git restore ':/:.agent/config'", 'dirty', 'config-edit'], // a second `:` ends the short magic
  ["git restore ':.agent'", 'dirty', 'config-edit'], // a bare `:` is no magic
  ["git restore ':(prefix:0).agent'", 'dirty', 'config-edit'],
  ["git restore ':(glob).agen*/**'", 'dirty', 'config-edit'],
  ["git restore ':(glob)**/*.yaml'", 'dirty', 'config-edit'],
  ['git --icase-pathspecs restore .AGENT', 'dirty', 'config-edit'],
  ['GIT_ICASE_PATHSPECS=1 git restore .AGENT/config', 'dirty', 'config-edit'],
  // exclusions alone: the whole tree but them, from the top wherever git runs
  ["git restore ':!src'", 'dirty', 'config-edit'],
  ["git restore ':^src'", 'dirty', 'config-edit'],
  ["git restore ':(exclude)src/x.ts'", 'dirty', 'config-edit'],
  ["cd src && git restore ':!x.ts'", 'dirty', 'config-edit'],
  // a backslash escapes the next character in git's wildmatch; bracket expressions, POSIX classes
  ["git restore '.agent/\\config/coordination.yaml'", 'dirty', 'config-edit'],
  ["git restore '.\\agent/config/coordination.yaml'", 'dirty', 'config-edit'],
  ["git checkout -- '.agent/[[:lower:]]onfig/coordination.yaml'", 'dirty', 'config-edit'],
  ["git restore '.agent/[!x]onfig/coordination.yaml'", 'dirty', 'config-edit'],
  ["git restore '*.json'", 'dirty', 'config-edit'], // a glob against the files the config holds now
  ["git restore ':(glob)**/team.*'", 'dirty', 'config-edit'],
  ["git restore '.agent/\\config'", 'dirty', 'config-edit', false], // a glob names files only: git fails; denied alike
  // git stash: a push puts the changes away and writes the files back as HEAD has them
  ['git stash push -- .agent/config/coordination.yaml', 'dirty', 'config-edit'],
  ['git stash', 'dirty', 'config-edit'],
  ['git stash push', 'dirty', 'config-edit'],
  ['git stash -u', 'dirty', 'config-edit'],
  ['git stash save wip', 'dirty', 'config-edit'],
  ['git stash -m wip', 'dirty', 'config-edit'],
  ['git stash push -m wip .agent', 'dirty', 'config-edit'],
  ['git stash push --keep-index', 'dirty', 'config-edit'],
  ["git stash -- ':(icase).AGENT'", 'dirty', 'config-edit'],
  ['git stash push --pathspec-from-file=- <<< .agent/config/coordination.yaml', 'dirty', 'config-edit'],
  // applying a stash writes the files it holds
  ['git stash pop', 'stashed-config', 'config-edit'],
  ['git stash apply', 'stashed-config', 'config-edit'],
  ["git stash apply 'stash@{0}'", 'stashed-config', 'config-edit'],
  ['git stash pop --index 0', 'stashed-config', 'config-edit'],
  ['git stash branch from-stash', 'stashed-config', 'config-edit'],
  ["git stash pop 'stash@{1}'", 'config-below-src', 'config-edit'],
  ['git stash drop && git stash pop', 'config-below-src', 'config-edit'], // the config stash moves up to stash@{0}
  // the rest of the class: other writers of the working files of a pathspec, another work tree
  ['git checkout-index -f -a', 'dirty', 'config-edit'],
  ['git checkout-index -f .agent/config/coordination.yaml', 'dirty', 'config-edit'],
  ['git --git-dir=.git --work-tree=. restore .agent/config', 'dirty', 'config-edit'],
  ['git restore --pathspec-from-file=- <<< .agent/config/coordination.yaml', 'dirty', 'config-edit'],
  ['git restore --pathspec-from-file=paths.txt', 'dirty', 'too-complex', false], // a file the guard does not read
  ['git -c alias.r=restore r .agent/config', 'dirty', 'too-complex'], // an alias on the line
  // paths given at run time: read when the line prints them, too complex otherwise
  ['echo .agent/config/coordination.yaml | xargs git restore', 'dirty', 'config-edit'],
  ['git ls-files -m | xargs git checkout --', 'dirty', 'too-complex'],
  ["find .agent -name '*.yaml' -exec git restore {} +", 'dirty', 'too-complex'],
  ['git ls-files .agent | git restore --pathspec-from-file=-', 'dirty', 'too-complex'],
  // xargs splits at blanks only outside quotes and backslashes, or at NULs (-0), or at its -d delimiter, or reads -a FILE
  ['echo "\'.agent\'" | xargs git restore', 'dirty', 'too-complex'],
  ["echo '.ag\"\"ent' | xargs git restore", 'dirty', 'too-complex'],
  ["printf '%s\\0' .agent | xargs -0 git restore", 'dirty', 'too-complex'],
  ['echo .agent | xargs -0 git restore', 'dirty', 'too-complex', false], // the item is `.agent` and a newline: git fails; denied alike
  ['printf .agentXsrc | xargs -dX git restore', 'dirty', 'too-complex'],
  ['echo src | xargs -a .git/paths git restore', 'dirty', 'too-complex', false], // the file is missing here: nothing runs
  // git reads --pathspec-from-file lines C-unquoted (a line starting with a double quote), or split at NULs
  ["printf '.agent\\0' | git restore --pathspec-from-file=- --pathspec-file-nul", 'dirty', 'too-complex'],
  ["echo '\".agent\"' | git restore --pathspec-from-file=-", 'dirty', 'config-edit'],
  ["echo '\"\\056agent\"' | git restore --pathspec-from-file=-", 'dirty', 'too-complex'],
  ["git checkout-index -f --stdin <<< '\".agent/config/coordination.yaml\"'", 'dirty', 'config-edit'],
  // git clean removes untracked files: which ones, git's own dry run says
  ['git clean -fd', 'untracked-config', 'config-edit'],
  ['git clean -f -- .agent', 'untracked-config', 'config-edit'],
  ["cd src && git clean -fd ':/'", 'untracked-config', 'config-edit'],
  ['git clean -fdx', 'untracked-config', 'config-edit'],
  ['git clean -f', 'untracked-quoted', 'config-edit'], // names git prints C-quoted, read unquoted
  ['git clean -f -- .agent/config', 'untracked-quoted', 'config-edit'],
  ['git clean -ffd', 'nested-repo', 'config-edit'], // -f twice removes a nested repository: the dry run is given it too
  ['git clean -f -f -d', 'nested-repo', 'config-edit'],
  ['git clean --force --force -d', 'nested-repo', 'config-edit'],
  ['git clean -fd', 'nested-repo', 'allow'], // -f once: git skips the repository
  // git restore -p / git checkout -p without a path: every hunk of the whole tree
  ['yes | git checkout -p', 'dirty', 'config-edit'],
  ['yes | git restore -p', 'dirty', 'config-edit'],
  ['yes | git checkout -p HEAD', 'dirty', 'config-edit'],
  // throwing away every uncommitted change throws away a person's change of the config
  ['git reset --hard', 'dirty', 'config-edit'],
  ['git reset --hard HEAD~0', 'dirty', 'config-edit'],
  ['git checkout -f main', 'dirty', 'config-edit'],
  ['git switch --discard-changes main', 'dirty', 'config-edit'],
  // other git commands that write a path an argument names, or take files out of the tree
  ['git diff --output=.agent/config/coordination.yaml HEAD', 'dirty', 'config-edit'],
  ['git log -1 --output .agent/config/coordination.yaml', 'dirty', 'config-edit'],
  ['git archive -o .agent/config/coordination.yaml HEAD', 'dirty', 'config-edit'],
  ['git merge-file .agent/config/coordination.yaml src/x.ts src/x.ts', 'dirty', 'config-edit', false], // the merge of a file with itself twice: unchanged
  ['git read-tree --reset -u HEAD', 'dirty', 'config-edit'],
  ['git switch -q --orphan pages', 'stashed-src', 'config-edit'], // a clean tree: git removes every tracked file
  ['git sparse-checkout set src', 'stashed-src', 'config-edit'],
  // git takes any unique prefix of a long option (parse-options): each abbreviation is the option
  ['git reset --har', 'dirty', 'config-edit'],
  ['git reset --ha', 'dirty', 'config-edit'],
  ['git checkout --forc main', 'dirty', 'config-edit'],
  ['git switch --discard-chan main', 'dirty', 'config-edit'],
  ['git read-tree --rese -u HEAD', 'dirty', 'config-edit'],
  ['git restore --staged --work .agent', 'dirty', 'config-edit'],
  ['git checkout-index --al -f', 'dirty', 'config-edit'],
  ['git switch -q --orph pages', 'stashed-src', 'config-edit'],
  ['git switch -q --orph=pages', 'stashed-src', 'config-edit'],
  ['yes | git restore -p --sour HEAD', 'dirty', 'config-edit'], // the value of --sour is no pathspec
  ['git stash push --mess wip', 'dirty', 'config-edit'],
  ["git -c alias.rh='reset --hard' rh", 'dirty', 'too-complex'], // any alias given on the line
  ['git -c alias.st=status st', 'dirty', 'too-complex', false], // denied alike: the guard does not follow aliases
  // harmless twins: git leaves the config as it is
  ['git diff --output=diff.txt HEAD', 'dirty', 'allow'],
  ['git archive -o build.tar HEAD', 'dirty', 'allow'],
  ['git merge-file -p .agent/config/coordination.yaml src/x.ts src/x.ts', 'dirty', 'allow'],
  ['git sparse-checkout list', 'dirty', 'allow'],
  ['git worktree add -q build/pages', 'dirty', 'allow'],
  ['git reset --hard', 'stashed-src', 'allow'], // nothing uncommitted in .agent/config/
  ['git reset --keep HEAD', 'dirty', 'allow'],
  ['git checkout main', 'dirty', 'allow'],
  ['git clean -fd', 'dirty', 'allow'], // nothing untracked in .agent/config/
  ["git clean -fd -- ':!.agent'", 'untracked-config', 'allow'],
  ['git clean -fd build', 'untracked-config', 'allow'],
  ['git clean -fd -e routes.yaml', 'untracked-config', 'allow'],
  ['git clean -nd', 'untracked-config', 'allow'],
  // The last of -n and --no-dry-run is what git does (qa-reviewer-s6e); a value is not an option.
  ['git clean -fd -n --no-dry-run', 'untracked-config', 'config-edit'],
  ['git clean -nfd --no-dry-run', 'untracked-config', 'config-edit'],
  ['git clean -n --no-d -f', 'untracked-config', 'config-edit'],
  ['git clean -f -e -n', 'untracked-config', 'config-edit'],
  ['git clean -fd --no-dry-run -n', 'untracked-config', 'allow'],
  // A value attached in a bundle is no option (qa-reviewer-s6f): -en excludes "n".
  ['git clean -fd -en', 'untracked-config', 'config-edit'],
  ['git clean -fdxen', 'untracked-config', 'config-edit'],
  ['git clean -fdne x', 'untracked-config', 'allow'],
  ['git mv -n --no-dry-run .agent/config/coordination.yaml .agent/config/c2.yaml', 'untracked-config', 'config-edit'],
  ['git mv --no-dry-run -n .agent/config/coordination.yaml .agent/config/c2.yaml', 'untracked-config', 'allow'],
  ['yes | git checkout -p -- src/x.ts', 'dirty', 'allow'],
  ['yes | git restore -p src', 'dirty', 'allow'],
  ['git restore src/x.ts', 'dirty', 'allow'],
  ['echo src/x.ts | xargs git restore', 'dirty', 'allow'],
  ["echo '\"src/x.ts\"' | git restore --pathspec-from-file=-", 'dirty', 'allow'],
  ['git diff --name-only | xargs git add', 'dirty', 'allow'],
  ["git restore '*.ts'", 'dirty', 'allow'],
  ["git restore ':(icase)SRC/X.ts'", 'dirty', 'allow'],
  ["git restore -- . ':!.agent'", 'dirty', 'allow'],
  ["git restore ':!.agent'", 'dirty', 'allow'], // exclusions alone, leaving .agent/ out
  ["git restore ':(glob)*.yaml'", 'dirty', 'allow', false], // :(glob)'s * stops at /: git matches nothing
  ["git restore ':(literal).agent/\\config'", 'dirty', 'allow', false],
  ['git stash push -- src/', 'dirty', 'allow'],
  ['git stash push src/', 'dirty', 'allow'],
  ['git stash -- src/', 'dirty', 'allow'],
  ["git stash push -- ':!.agent'", 'dirty', 'allow'],
  ["git stash push ':(exclude).agent'", 'dirty', 'allow'],
  ['git stash list', 'stashed-config', 'allow'],
  ['git stash show -p', 'stashed-config', 'allow'],
  ['git stash drop', 'stashed-config', 'allow'],
  ['git stash create', 'dirty', 'allow'],
  ['git stash pop', 'stashed-src', 'allow'],
  ["git stash apply 'stash@{0}'", 'config-below-src', 'allow'],
  ['git stash pop', 'dirty', 'allow', false], // nothing stashed: git fails
  ['git checkout-index -f src/x.ts', 'dirty', 'allow'],
  ['git --git-dir=.git --work-tree=. restore src/x.ts', 'dirty', 'allow'],
  ['git restore --staged .agent/config', 'dirty', 'allow'],
  ['git restore --stag .agent/config', 'dirty', 'allow'],
  ['git reset --mix', 'dirty', 'allow'],
  // A push earlier in the line renumbers the stashes; one that finds nothing to save does not.
  ['git stash push -- src && git stash pop', 'stashed-config', 'config-edit'], // src unchanged: the config stash is popped
  ['git stash push -- src && git stash pop', 'config-below-src', 'allow'],
  // Decision: read both ways, so a push that does save (src changed) still counts the config stash below it.
  ['git stash push -- src && git stash pop', 'config-stashed-src-changed', 'config-edit', false],
];

/** The hook's answer on this state: 'allow' (it printed nothing) or the rule its denial names, and the reason. */
function decision(root: string, command: string, session: string): Promise<{ rule: string; reason: string }> {
  return guardDecision(root, bashPreToolUse(root, command, session), ENV);
}

/** A copied repository's index told the files' new stat data, as a checkout in place would have it. */
function refresh(root: string): void {
  try {
    git(root, 'update-index', '-q', '--refresh');
  } catch {
    // files with changes: listed, and refreshed all the same
  }
}

/** Every file of .agent/config/ with its content. */
function snapshot(root: string): string {
  const dir = join(root, '.agent/config');
  if (!existsSync(dir)) return '';
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .sort()
    .map((name) => `${name}:${statSync(join(dir, name)).isFile() ? readFileSync(join(dir, name), 'utf8') : '/'}`)
    .join('\n');
}

/** Whether real git, running the command with bash, changes a file of .agent/config/ (writes, removes or adds one). */
function gitChangesConfig(root: string, command: string): boolean {
  const before = snapshot(root);
  try {
    execFileSync('bash', ['-c', command], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'ignore'],
      timeout: 30_000,
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_NOSYSTEM: '1' },
    });
  } catch {
    // git refused (no match, nothing to pop): what it left is what counts.
  }
  return snapshot(root) !== before;
}

describe('git commands that rewrite .agent/config/ are denied, as real git shows (through the built hook)', () => {
  it('each form is denied exactly when git writes the config; its harmless twin passes', { timeout: 600_000 }, async () => {
    const states = await templates();
    const got = await pool(ROWS, 3, async ([command, setup], i) => {
      const root = testdir();
      cpSync(states[setup], root, { recursive: true });
      refresh(root);
      const { rule } = await decision(root, command, `git-${i}`);
      return { rule, writes: gitChangesConfig(root, command) };
    });
    const wrong = ROWS.flatMap(([command, setup, want, writes], i) => {
      const expected = { rule: want, writes: writes ?? want !== 'allow' };
      return got[i]!.rule === expected.rule && got[i]!.writes === expected.writes ? [] : [`${command} [${setup}] → guard ${got[i]!.rule}, git writes ${got[i]!.writes} (want ${expected.rule}, ${expected.writes})`];
    });
    expect(wrong).toEqual([]);
  });

  it('each denial says in one sentence what was denied and why, and how to leave .agent/ out', { timeout: 120_000 }, async () => {
    const states = await templates();
    const reason = async (setup: Setup, command: string, session: string) => {
      const root = testdir();
      cpSync(states[setup], root, { recursive: true });
      return (await decision(root, command, session)).reason;
    };
    expect(await reason('dirty', "git restore ':(icase).AGENT/config'", 'r1')).toContain("(rule config-edit): git restore of :(icase).AGENT/config rewrites files in .agent/config/ (the team's configuration is changed by a person)");
    expect(await reason('dirty', 'git stash', 'r2')).toContain("(rule config-edit): git stash of the whole tree (no pathspec) rewrites files in .agent/config/ — name the paths you mean, or use git stash push -- ':!.agent' to leave .agent/ out");
    expect(await reason('dirty', "git restore ':!src'", 'r3')).toContain("git restore of :!src (exclusions alone: the whole tree but them) rewrites files in .agent/config/ — name the paths you mean, or add the pathspec ':!.agent' to leave .agent/ out");
    expect(await reason('stashed-config', 'git stash pop', 'r4')).toContain('(rule config-edit): git stash pop writes back .agent/config/coordination.yaml from stash@{0}, in .agent/config/');
    expect(await reason('untracked-config', 'git clean -fd', 'r6')).toContain("(rule config-edit): git clean removes .agent/config/routes.yaml, in .agent/config/ (git clean -n names it) — add the pathspec ':!.agent' to leave .agent/ out");
    expect(await reason('dirty', 'git checkout -p HEAD', 'r7')).toContain('git checkout of the whole tree (HEAD may name a revision: write -- before the paths) rewrites files in .agent/config/');
    expect(await reason('dirty', 'git restore --pathspec-from-file=paths.txt', 'r5')).toContain('(rule too-complex): it is too complex for the guard to check: git restore reads the paths it rewrites from paths.txt, which the guard does not read — name them on the command line');
  });
});
