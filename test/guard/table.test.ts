/**
 * The guard table: destructive commands and their harmless look-alikes, each with the decision the
 * guard must take (PRODUCT.md, "Humans in the loop"). Pure: decideTool with a fixed context.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { decideBash, decideTool, isCosReporting, type GuardContext } from '../../src/guard/rules.js';
import { mayBeDenied } from '../../src/guard/prefilter.js';
import { normaliseCommand, splitCommands } from '../../src/guard/shell.js';

const ROOT = '/srv/project';
const context = (extra: Partial<GuardContext> = {}): GuardContext => ({
  root: ROOT,
  cwd: ROOT,
  home: '/home/dev',
  deny: [...DEFAULT_CONFIG.guard.deny, 'git reset --hard', 'terraform destroy'],
  protectedBranches: DEFAULT_CONFIG.guard.protected_branches,
  currentBranch: () => 'feature-login',
  remoteDefaultBranch: (remote) => (remote === 'origin' ? 'trunk' : null),
  gitConfig: () => new Map(),
  ...extra,
});

type Row = [command: string, decision: 'allow' | string];

/** [command, 'allow' | the rule that denies it] */
const TABLE: Row[] = [
  // force pushes
  ['git push --force origin main', 'force-push'],
  ['git push -f origin master', 'force-push'],
  ['git push origin +main', 'force-push'],
  ['git push --force origin trunk', 'force-push'], // the remote's default branch
  ['git push --force-with-lease origin main', 'force-push'],
  ['git push --force origin HEAD:main', 'force-push'],
  ['git push -uf origin refs/heads/master', 'force-push'],
  ['git push --force --all', 'force-push'],
  ['git push origin --delete main', 'force-push'],
  ['git push origin :master', 'force-push'],
  ['git -C /srv/project push --force origin main', 'force-push'],
  ['sudo git push --force origin main', 'force-push'],
  ['git status && git push --force origin main', 'force-push'],
  ['git push --force origin feature-login', 'allow'], // the agent's own branch
  ['git push --force', 'allow'], // current branch: feature-login
  ['git push --force-with-lease origin feature-login', 'allow'],
  ['git push origin main', 'allow'], // not a force push
  ['git push origin feature-login:feature-login', 'allow'],
  ['git push --force origin v1.0:refs/tags/v1.0', 'allow'],
  ['echo "git push --force origin main"', 'allow'],
  ["git commit -m 'do not git push --force origin main'", 'allow'],
  ['git log --grep="push --force"', 'allow'],
  ['ls # git push --force origin main', 'allow'],
  // force pushes run in another checkout: its current branch is not the agent's
  ['git -C /srv/other-checkout push --force', 'force-push'],
  ['cd /srv/other-checkout && git push --force-with-lease', 'force-push'],
  ['git --git-dir=/srv/other/.git push -f origin HEAD', 'force-push'],
  ['git -C /srv/other-checkout push --force origin feature-login', 'allow'], // the branch is named
  ['git -C src push --force', 'allow'], // still this repository: the agent's own branch
  // quoting and line continuations the shell removes
  ["git pu''sh --force origin main", 'force-push'],
  ['git pu\\sh -f origin main', 'force-push'],
  // recursive deletes
  ['rm -rf ~', 'recursive-delete-outside-repo'],
  ['rm -rf /', 'recursive-delete-outside-repo'],
  ['rm -rf $HOME/projects', 'recursive-delete-outside-repo'],
  ['rm -r ../other-repo', 'recursive-delete-outside-repo'],
  ['rm -fr /tmp/*', 'recursive-delete-outside-repo'],
  ['rm --recursive --force /etc', 'recursive-delete-outside-repo'],
  ['cd / && rm -rf work', 'recursive-delete-outside-repo'],
  ['rm -rf "$SOME_DIR"', 'recursive-delete-outside-repo'],
  ['rm -rf .', 'recursive-delete-outside-repo'], // the repository itself
  ['rm -rf .git', 'recursive-delete-outside-repo'],
  ['bash -c "rm -rf ~"', 'recursive-delete-outside-repo'],
  ['echo $(rm -rf ~/Documents)', 'recursive-delete-outside-repo'],
  ['echo `rm -rf /var`', 'recursive-delete-outside-repo'],
  ['npm test; rm -rf ~/.ssh', 'recursive-delete-outside-repo'],
  ['find . -name x | xargs rm -rf /usr', 'recursive-delete-outside-repo'],
  ['ls\nrm -rf ~', 'recursive-delete-outside-repo'],
  ["r''m -rf /", 'recursive-delete-outside-repo'],
  ['r\\\nm -rf ~', 'recursive-delete-outside-repo'],
  ['rm -rf .g*', 'recursive-delete-outside-repo'], // the glob names .git
  ['rm -rf /srv/project/.?it', 'recursive-delete-outside-repo'],
  ['pushd .. && rm -rf other-repo', 'recursive-delete-outside-repo'],
  ['cd - && rm -rf build', 'recursive-delete-outside-repo'], // back to where the line does not say
  ['rm -rf .cache*', 'allow'], // cannot name .git nor .agent
  ['rm -rf ./build', 'allow'],
  ['rm -rf build dist node_modules', 'allow'],
  ['rm -rf /srv/project/tmp', 'allow'],
  ['cd src && rm -rf generated', 'allow'],
  ['rm -rf ./build/*', 'allow'],
  ['rm ~/notes.txt', 'allow'], // not recursive
  ['echo "rm -rf ~"', 'allow'],
  ["grep -r 'rm -rf /' docs", 'allow'],
  // databases
  ['psql -c "DROP DATABASE production"', 'drop-database'],
  ['mysql -e "drop schema app"', 'drop-database'],
  ['echo "DROP DATABASE app;" | psql', 'drop-database'],
  ['dropdb app_production', 'drop-database'],
  ['mongosh --eval "db.dropDatabase()"', 'drop-database'],
  ['bin/rails db:drop', 'drop-database'],
  ['psql -c "SELECT * FROM users"', 'allow'],
  ['echo "DROP DATABASE is dangerous"', 'allow'],
  ['grep -i "drop database" migrations/*.sql', 'allow'],
  ['psql -c "dRoP DATABASE prod"', 'drop-database'],
  // patterns from guard.deny
  ['git reset --hard origin/main', 'pattern:git reset --hard'],
  ['git -c core.x=1 reset --hard', 'pattern:git reset --hard'],
  ['terraform destroy -auto-approve', 'pattern:terraform destroy'],
  ['git reset --soft HEAD~1', 'allow'],
  ['echo terraform destroy', 'allow'],
  // always on
  ['cos approve 041-2026-11-29T14-08-57Z-dev.md', 'self-approval'],
  ['npx cos approve 041-2026-11-29T14-08-57Z-dev.md --agent boss', 'self-approval'],
  ['node node_modules/agent-cos/dist/cli.js approve 041-x.md', 'self-approval'],
  ['node /opt/app/dist/cli approve 041-x.md', 'self-approval'],
  ['node $(pwd)/node_modules/agent-cos/dist/cli.js approve 041-x.md', 'self-approval'],
  ['tsx ./src/cli approve 041-x.md', 'self-approval'],
  ['node dist/hook.js approve 041-x.md', 'self-approval'],
  ['node dist/cli.js status', 'allow'],
  ['echo cos approve', 'allow'],
  ['echo "budget_usd_per_sprint: 999" >> .agent/config/coordination.yaml', 'config-edit'],
  ["sed -i 's/30/300/' .agent/config/coordination.yaml", 'config-edit'],
  ['rm .agent/config/coordination.yaml', 'config-edit'],
  ['cp /tmp/evil.yaml .agent/config/coordination.yaml', 'config-edit'],
  ['cat .agent/config/coordination.yaml', 'allow'],
  ['cp .agent/config/coordination.yaml /tmp/backup.yaml', 'allow'],
  ['rm -rf .agent', 'config-edit'], // takes .agent/config/ with it
  ['mv .agent /tmp/x', 'config-edit'],
  ['rm -rf .a*', 'config-edit'],
  ['rm -rf .[!.]*', 'config-edit'],
  ['rmdir .agent/config', 'config-edit'],
  ['mv notes.md .agent/', 'allow'],
  ['rm -rf .agent/status/tmp', 'status-edit'], // entries are written by cos only (forged approvals)
  ['rm -rf .agent/roles/tmp', 'allow'],
  ['cos post --sprint s --agent a --status IN_PROGRESS --message "cos approve later"', 'allow'],
  ['npm test', 'allow'],
  // look-alikes that once passed (session 3), each beside a harmless one that stays allowed
  ['psql <<< "DROP TABLE users"', 'drop-database'], // a here-string
  ['psql <<< "SELECT count(*) FROM users"', 'allow'],
  ['psql -v ON_ERROR_STOP=1 <<SQL\nDROP TABLE users;\nSQL', 'drop-database'], // a here-document
  ["psql <<'SQL'\nSELECT 1;\nSQL\necho done", 'allow'],
  ["cat <<'EOF' > notes.md\nrm -rf ~ is what we must never run\nEOF", 'allow'], // a here-document is data
  ['docker exec db psql -c "DROP TABLE users"', 'drop-database'], // nested in a wrapper command
  ['docker exec -it -u postgres db psql -c "SELECT * FROM users"', 'allow'],
  ['docker compose exec -T db psql -U app -c "drop database app"', 'drop-database'],
  ['kubectl exec -it db-0 -- mysql -e "DROP TABLE orders"', 'drop-database'],
  ['ssh db.internal \'psql -c "DROP TABLE users"\'', 'drop-database'],
  ['ssh db.internal uptime', 'allow'],
  ['echo "DROP TABLE users;" | docker exec -i db psql', 'drop-database'],
  ['echo "DROP TABLE users;" > migrations/down.sql', 'allow'], // written down, not run
  ['find . | xargs rm -rf', 'recursive-delete-outside-repo'], // run through xargs: paths unknown
  ['xargs rm -rf', 'recursive-delete-outside-repo'],
  ['ls | xargs -I{} rm -rf {}', 'recursive-delete-outside-repo'],
  ['find . -type d -name cache -exec rm -rf {} +', 'recursive-delete-outside-repo'],
  ["find . -name '*.o' | xargs rm -f", 'allow'], // not recursive
  ['find . -name "*.tmp" -exec rm {} +', 'allow'],
  ['git ls-files | xargs grep -n TODO', 'allow'],
  ['env -i PATH=/usr/bin rm -rf ~', 'recursive-delete-outside-repo'],
  ['nice -n 10 timeout 60 rm -rf /opt/app', 'recursive-delete-outside-repo'],
  ['sudo -u deploy -- rm -rf /var/www', 'recursive-delete-outside-repo'],
  ["sh -c 'cd / && rm -rf srv'", 'recursive-delete-outside-repo'],
  ['eval "rm -rf $HOME"', 'recursive-delete-outside-repo'],
  ["echo 'rm -rf ~' | sh", 'recursive-delete-outside-repo'], // a script piped into a shell
  ["bash <<< 'rm -rf ~'", 'recursive-delete-outside-repo'],
  ["echo 'rm -rf ~' | cat", 'allow'],
  ['nice -n 10 npm test', 'allow'],
  ['rm -rf *', 'recursive-delete-outside-repo'], // at the top: deletes the repository's files
  ['rm -rf ./*', 'recursive-delete-outside-repo'],
  ['cd src && rm -rf ../*', 'recursive-delete-outside-repo'],
  ['rm -rf build/*', 'allow'],
  ['cd build && rm -rf *', 'allow'],
  ['rm -rf *.log', 'allow'],
  ['git rm -r .agent/config', 'config-edit'], // git changing .agent/config/
  ['git rm --cached .agent/config/coordination.yaml', 'config-edit'],
  ['git checkout -- .agent/config/coordination.yaml', 'config-edit'],
  ['git checkout HEAD~3 -- .agent/config', 'config-edit'],
  ['git restore .agent/config/coordination.yaml', 'config-edit'],
  ['git restore --source=HEAD~1 .agent', 'config-edit'],
  ['git -C .agent restore config', 'config-edit'],
  ['git mv .agent/config/coordination.yaml old.yaml', 'config-edit'],
  ['git restore src/app.ts', 'allow'],
  ['git checkout -- src/app.ts', 'allow'],
  ['git checkout -b feature-x', 'allow'],
  ['git diff .agent/config', 'allow'],
  ['git log -- .agent/config', 'allow'],
  ['git rm -r --cached .agent/status/tmp', 'status-edit'],
  ['git rm -r --cached .agent/roles/tmp', 'allow'],
  // commands inside compound commands (if, for, while, until, { }, !, coproc, functions, case):
  // the reserved word is not the program (session 4), each beside a harmless look-alike
  ['if true; then rm -rf ~; fi', 'recursive-delete-outside-repo'],
  ['if true; then rm -rf build; fi', 'allow'],
  ['for d in x; do git push --force origin main; done', 'force-push'],
  ['for f in a; do echo "rm -rf ~"; done', 'allow'],
  ['for b in main; do git push origin $b; done', 'allow'],
  ['while true; do psql -c "DROP DATABASE prod"; done', 'drop-database'],
  ['while true; do psql -c "SELECT 1"; done', 'allow'],
  ['{ rm -rf ~; }', 'recursive-delete-outside-repo'],
  ['{ rm -rf dist; }', 'allow'],
  ['! rm -rf ~', 'recursive-delete-outside-repo'],
  ['! rm -rf ./build', 'allow'],
  ['until rm -rf ~; do :; done', 'recursive-delete-outside-repo'],
  ['until npm test; do sleep 1; done', 'allow'],
  ['coproc rm -rf ~', 'recursive-delete-outside-repo'],
  ['coproc npm test', 'allow'],
  ['f() { rm -rf ~; }; f', 'recursive-delete-outside-repo'],
  ['f() { rm -rf build; }; f', 'allow'],
  ['function g { git push -f origin main; }', 'force-push'],
  ['if true; then cos approve x.md; fi', 'self-approval'],
  ['if true; then cos status; fi', 'allow'],
  ['if ! git diff --quiet; then sudo rm -rf /opt/app; else echo clean; fi', 'recursive-delete-outside-repo'],
  ['time { rm -rf ~; }', 'recursive-delete-outside-repo'],
  ['case "$1" in a|b) rm -rf ~;; esac', 'recursive-delete-outside-repo'],
  ['case "$1" in\n  rm) echo remove;;\n  (push) ls;;\nesac', 'allow'], // case patterns are not commands
  ['rm -rf ~ $()', 'recursive-delete-outside-repo'], // an empty substitution is no function head
  // abbreviated long options git and GNU rm accept as unambiguous prefixes
  ['rm --rec --force ~', 'recursive-delete-outside-repo'],
  ['rm --recur ~', 'recursive-delete-outside-repo'],
  ['rm --rec --force ./build', 'allow'],
  ['git push --force-w origin main', 'force-push'],
  ['git push --forc origin main', 'force-push'],
  ['git push --del origin main', 'force-push'],
  ['git push --force-w origin feature-login', 'allow'],
  ['git push --follow-tags origin main', 'allow'],
  // shell-side gaps found by review (session 4): each beside its harmless twin
  // brace expansion, as bash does it before anything else
  ['rm -rf {~,x}', 'recursive-delete-outside-repo'],
  ['rm -r{f,} ~', 'recursive-delete-outside-repo'],
  ['git push -f origin {main,x}', 'force-push'],
  ['rm -rf /srv/{project,other}/tmp', 'recursive-delete-outside-repo'],
  ['r{m,} -rf ~', 'recursive-delete-outside-repo'], // the program itself from a brace
  ['echo {~,x}', 'allow'],
  ['rm -rf build/{a,b}', 'allow'],
  ['rm -rf "{~,x}"', 'allow'], // quoted braces are literal: a folder named {~,x} here
  ['git push -f origin {feature-login,feature-login}', 'allow'],
  // wrappers, each read with its own option grammar
  ['env -C /tmp rm -rf build', 'recursive-delete-outside-repo'], // build is /tmp/build
  ['env --chdir=/tmp rm -rf build', 'recursive-delete-outside-repo'],
  ['env -C dir rm -rf ~', 'recursive-delete-outside-repo'],
  ['env -S "rm -rf ~"', 'recursive-delete-outside-repo'],
  ['env -S "git push -f" origin main', 'force-push'],
  ['exec -a name rm -rf ~', 'recursive-delete-outside-repo'],
  ['setsid rm -rf ~', 'recursive-delete-outside-repo'],
  ['setsid -f git push --force origin main', 'force-push'],
  ['flock /tmp/l rm -rf ~', 'recursive-delete-outside-repo'],
  ['flock -w 5 /tmp/l rm -rf ~', 'recursive-delete-outside-repo'],
  ["flock /tmp/l -c 'rm -rf ~'", 'recursive-delete-outside-repo'],
  ['busybox rm -rf ~', 'recursive-delete-outside-repo'],
  ["su -c 'rm -rf ~'", 'recursive-delete-outside-repo'],
  ["su - deploy -c 'psql -c \"DROP TABLE users\"'", 'drop-database'],
  ["runuser -u app -- sh -c 'rm -rf /var/app'", 'recursive-delete-outside-repo'],
  ['runuser -u app -- rm -rf /var/app', 'recursive-delete-outside-repo'],
  ['runuser -u app -- ls /var/app', 'allow'],
  ['strace rm -rf ~', 'recursive-delete-outside-repo'],
  ['strace -f -o /tmp/trace -e trace=file rm -rf ~', 'recursive-delete-outside-repo'],
  ['chroot / rm -rf ~', 'recursive-delete-outside-repo'],
  ['sudo -D /tmp rm -rf build', 'recursive-delete-outside-repo'],
  ['taskset 0x3 rm -rf ~', 'recursive-delete-outside-repo'],
  ['watch -n 5 rm -rf /tmp/cache', 'recursive-delete-outside-repo'],
  ['env -C src rm -rf build', 'allow'],
  ['env -C dir ls', 'allow'],
  ['exec -a name rm -rf ./build', 'allow'],
  ['flock /tmp/l npm test', 'allow'],
  ["flock /tmp/l -c 'rm -rf ./build'", 'allow'],
  ["su -c 'ls ~'", 'allow'],
  ['strace -o /tmp/trace npm test', 'allow'],
  ['busybox ls ~', 'allow'],
  // git -c overrides the configuration for a refspec-less force push
  ['git -c remote.origin.push=HEAD:main push -f', 'force-push'],
  ['git -c push.default=matching push --force', 'force-push'],
  ['git -c remote.origin.push=HEAD:feature-login push -f', 'allow'],
  ['git -c color.ui=never push -f', 'allow'],
  // values known only when the line runs
  ['X=-rf; rm $X ~', 'recursive-delete-outside-repo'],
  ['export X=-rf && rm $X ~', 'recursive-delete-outside-repo'],
  ['B=main; git push -f origin $B', 'force-push'],
  ['D=/srv; T=$D/other; rm -rf $T', 'recursive-delete-outside-repo'],
  ['X=/; X=./build; rm -rf $X', 'recursive-delete-outside-repo'], // assigned twice: unknown
  ['rm $OPTS ~', 'recursive-delete-outside-repo'], // an unknown variable may hold -r
  ['git push -f origin "$BRANCH"', 'force-push'], // an unknown branch
  ['X=./build; rm -rf $X', 'allow'],
  ['B=feature-login; git push -f origin $B', 'allow'],
  ['rm "$tmpfile"', 'allow'], // not recursive, whatever the variable holds
  ['rm $OPTS ./build', 'allow'],
  ['git push origin "$BRANCH"', 'allow'], // not forced
  ['bash -c "$(echo rm -rf ~)"', 'recursive-delete-outside-repo'],
  ['$(echo rm -rf ~)', 'recursive-delete-outside-repo'],
  ["eval \"$(printf 'git push -f origin %s' main)\"", 'force-push'],
  ['$(echo rm) -rf ~', 'recursive-delete-outside-repo'], // the words after it are its arguments
  ['`echo rm` -rf ~', 'recursive-delete-outside-repo'],
  ['eval $(echo rm -rf) ~', 'recursive-delete-outside-repo'],
  ['$(echo rm) -rf ./build', 'allow'],
  ['"$(echo echo)" "a; rm -rf ~"', 'allow'], // a quoted argument stays one word
  ['$(which python) x.py', 'allow'],
  ['eval "$(ssh-agent -s)"', 'allow'], // output unknown: not this guard's to see
  ['bash -c "$(echo rm -rf ./build)"', 'allow'],
  ["git commit -m \"$(cat <<'EOF'\nrm -rf ~ was a bad idea\nEOF\n)\"", 'allow'], // printed, not run
  ['find ~ -delete', 'recursive-delete-outside-repo'],
  ['find / -name x -delete', 'recursive-delete-outside-repo'],
  ['find .. -delete', 'recursive-delete-outside-repo'],
  ['find . -delete', 'recursive-delete-outside-repo'], // the whole repository, .git included
  ['find .git -name "*.lock" -delete', 'recursive-delete-outside-repo'],
  ['find ~ -type f -exec rm {} +', 'recursive-delete-outside-repo'], // a remover on what find finds, like -delete
  ['find . -type f -exec rm -f {} \\;', 'recursive-delete-outside-repo'], // every file of the repository, .git's too
  ['find ~ -name x -exec ls {} +', 'allow'],
  ['find src -exec rm {} +', 'allow'],
  ["find . -name '*.tmp' -delete", 'allow'],
  ['find build -type f -delete', 'allow'],
  ['find ~ -name x -print', 'allow'],
  ["xargs -I{} sh -c 'rm -rf {}'", 'recursive-delete-outside-repo'],
  ["find . -name cache -exec sh -c 'rm -rf {}' \\;", 'recursive-delete-outside-repo'],
  ["xargs -I{} sh -c 'echo {}'", 'allow'],
  ['ls | xargs -i rm -rf {}', 'recursive-delete-outside-repo'], // -i takes its value attached only: rm is the command
  ["ls | xargs -i sh -c 'rm -rf ./{}'", 'recursive-delete-outside-repo'],
  ['ls | xargs -l rm', 'allow'],
  ["ls | xargs -n1 sh -c 'rm -rf ./build'", 'allow'],
  // false positives
  ["psql -c \"SELECT 'DROP TABLE x'\"", 'allow'], // in an SQL string literal
  ['psql -c "-- DROP TABLE x\nSELECT 1"', 'allow'], // in an SQL comment
  ['psql -c "SELECT 1 /* DROP TABLE x */"', 'allow'],
  ['psql -c \'SELECT "drop table" FROM t\'', 'allow'], // a quoted identifier
  ["psql -c \"SELECT 'x'; DROP TABLE x\"", 'drop-database'],
  ["psql -c \"SELECT 'a\\'; DROP TABLE x; --'\"", 'drop-database'], // MySQL reads one string, PostgreSQL a DROP
  ['mysql -e "SELECT 1 /*! DROP TABLE x */"', 'drop-database'], // MySQL runs executable comments
  ['psql -c "/* note */ DROP TABLE x"', 'drop-database'],
  ['rm -rf "*"', 'allow'], // the file named *, not a glob
  ["rm -rf '*'", 'allow'],
  ['rm -rf \\*', 'allow'],
  ['rm -rf "*"/*', 'allow'], // everything in the folder named *
  ['rm -rf "*" *', 'recursive-delete-outside-repo'], // the second one is a glob at the top
  ['rm -rf *"*"', 'allow'], // the files whose names end in *
  ['case x in a) echo hi;& b) echo there;; esac', 'allow'],
  ['case x in a) echo hi;;& rm) echo there;; esac', 'allow'],
  ['case x in a) echo hi;& b) rm -rf ~;; esac', 'recursive-delete-outside-repo'],
  // the tokenizer no longer stops at what it cannot read
  ["ls # don't\nrm -rf ~", 'recursive-delete-outside-repo'], // a quote in a comment opens nothing
  [`echo \${X:-a b}; rm -rf ~`, 'recursive-delete-outside-repo'], // shell-quote threw on ${X:-…}
  [`echo \${X:-a b}; rm -rf ./build`, 'allow'],
];

describe('the guard table', () => {
  it(`has at least 30 commands, destructive and harmless (${TABLE.length})`, () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    expect(TABLE.filter(([, want]) => want === 'allow').length).toBeGreaterThanOrEqual(15);
  });

  for (const [command, want] of TABLE) {
    it(`${want === 'allow' ? 'allows' : `denies (${want})`}: ${JSON.stringify(command)}`, () => {
      const decision = decideBash(command, context());
      if (want === 'allow') expect(decision).toEqual({ decision: 'allow' });
      else {
        expect(decision.decision).toBe('deny');
        if (decision.decision === 'deny') {
          expect(decision.rule).toBe(want);
          expect(decision.command).toBe(normaliseCommand(command));
          expect(decision.why.length).toBeGreaterThan(10);
        }
      }
    });
  }

  it('a rule left out of guard.deny no longer denies; the always-on rules stay', () => {
    const none = context({ deny: [] });
    expect(decideBash('git push --force origin main', none)).toEqual({ decision: 'allow' });
    expect(decideBash('rm -rf ~', none)).toEqual({ decision: 'allow' });
    expect(decideBash('cos approve x.md', none)).toMatchObject({ decision: 'deny', rule: 'self-approval' });
  });

  it('protected branches come from the config, and from the remote default branch', () => {
    expect(decideBash('git push --force origin release', context({ protectedBranches: ['release'] }))).toMatchObject({ rule: 'force-push' });
    expect(decideBash('git push --force origin main', context({ protectedBranches: [] }))).toEqual({ decision: 'allow' });
    expect(decideBash('git push --force upstream trunk', context())).toEqual({ decision: 'allow' }); // upstream has no known default
  });

  it('a force push naming no refspec goes where git config sends it: push.default, the upstream, remote.<name>.push', () => {
    const tracking = (mode: string) => context({ gitConfig: () => new Map([['push.default', [mode]], ['branch.feature-login.remote', ['origin']], ['branch.feature-login.merge', ['refs/heads/main']]]) });
    expect(decideBash('git push -f', tracking('upstream'))).toMatchObject({ rule: 'force-push', why: expect.stringContaining('push.default=upstream') });
    expect(decideBash('git push --force-with-lease origin', tracking('tracking'))).toMatchObject({ rule: 'force-push' });
    expect(decideBash('git push -f', tracking('simple'))).toEqual({ decision: 'allow' }); // simple pushes to its own name
    expect(decideBash('git push -f', tracking('current'))).toEqual({ decision: 'allow' });
    expect(decideBash('git push -f', tracking('nothing'))).toEqual({ decision: 'allow' });
    expect(decideBash('git push', tracking('upstream'))).toEqual({ decision: 'allow' }); // not forced
    expect(decideBash('git push -f origin feature-login', tracking('upstream'))).toEqual({ decision: 'allow' }); // the refspec is named
    expect(decideBash('git push -f', tracking('matching'))).toMatchObject({ rule: 'force-push' });
    const configured = context({ gitConfig: () => new Map([['remote.origin.push', ['HEAD:refs/heads/master']]]) });
    expect(decideBash('git push -f', configured)).toMatchObject({ rule: 'force-push', why: expect.stringContaining('remote.origin.push') });
    expect(decideBash('git push -f origin +refs/heads/*:refs/heads/*', context())).toMatchObject({ rule: 'force-push' });
    const pushRemote = context({ gitConfig: () => new Map([['remote.pushdefault', ['fork']], ['remote.fork.push', ['HEAD:main']]]) });
    expect(decideBash('git push -f', pushRemote)).toMatchObject({ rule: 'force-push', why: expect.stringContaining('on fork') });
  });

  it('a force push from a detached HEAD (branch unknown) is denied rather than guessed', () => {
    expect(decideBash('git push --force', context({ currentBranch: () => null }))).toMatchObject({ rule: 'force-push' });
  });

  it('Write / Edit / MultiEdit / NotebookEdit into .agent/config/ are denied; elsewhere they pass', () => {
    for (const tool of ['Write', 'Edit', 'MultiEdit']) {
      expect(decideTool(tool, { file_path: `${ROOT}/.agent/config/coordination.yaml`, content: 'x' }, context())).toMatchObject({ decision: 'deny', rule: 'config-edit', command: `${tool} .agent/config/coordination.yaml` });
      expect(decideTool(tool, { file_path: `${ROOT}/src/app.ts`, content: 'x' }, context())).toEqual({ decision: 'allow' });
    }
    expect(decideTool('NotebookEdit', { notebook_path: '.agent/config/x.ipynb' }, context())).toMatchObject({ rule: 'config-edit' });
    expect(decideTool('Read', { file_path: `${ROOT}/.agent/config/coordination.yaml` }, context())).toEqual({ decision: 'allow' });
  });

  it("cos's own reporting commands are recognised (for the budget gate); approve and mixed lines are not", () => {
    expect(isCosReporting('Bash', { command: 'cos post --sprint s --agent a --status BLOCKED' })).toBe(true);
    expect(isCosReporting('Bash', { command: 'cd /srv/project && npx cos heartbeat --sprint s --agent a' })).toBe(true);
    expect(isCosReporting('mcp__cos__post', { sprint: 's' })).toBe(true);
    expect(isCosReporting('Bash', { command: 'cos approve x.md' })).toBe(false);
    expect(isCosReporting('Bash', { command: 'cos post --sprint s --agent a --status IN_PROGRESS && npm test' })).toBe(false);
    expect(isCosReporting('Read', { file_path: 'x' })).toBe(false);
  });

  it('the fast path (prefilter) never lets through a command the parser denies: the table, and random lines (property)', () => {
    const deny = context().deny;
    for (const [command, want] of TABLE) if (want !== 'allow') expect(mayBeDenied(command, deny)).toBe(true);
    expect(mayBeDenied('npm test && ls -la', deny)).toBe(false);
    expect(mayBeDenied('git status', deny)).toBe(true); // guard.deny has a git pattern: every git command is parsed
    const part = fc.constantFrom('git push --force origin main', 'rm -rf ~', 'ls', 'echo hi', 'dropdb x', 'cos approve a.md', 'npm test', 'git reset --hard', 'cd /', 'rm -r ../x', 'terraform destroy', 'sudo', 'bash -c', 'xargs', 'rm -rf *', 'psql <<<', '"DROP TABLE x"', 'docker exec db', 'ssh h', 'sh', '<<EOF', 'EOF', 'git restore .agent/config', 'git push -f', '"', "'", '$(', ')', '`', '|', '&&', ';', '\n', ' ');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
        const line = parts.join(' ');
        if (decideBash(line, context()).decision === 'deny') expect(mayBeDenied(line, deny)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('the fast path sees through quotes and backslashes the shell removes (property: r\'\'m, pu\\sh)', () => {
    const deny = context().deny;
    const destructive = ['git push --force origin main', 'rm -rf ~', 'rm -rf /', 'dropdb app', 'cos approve a.md', 'git reset --hard', 'terraform destroy', 'rm -rf .agent'];
    fc.assert(
      fc.property(fc.constantFrom(...destructive), fc.nat(), fc.constantFrom("''", '""', '\\'), (command, at, insert) => {
        // Before a letter, `''`, `""` and `\` change nothing for the shell.
        const letters = [...command].flatMap((c, i) => (/[a-z]/.test(c) ? [i] : []));
        const i = letters[at % letters.length]!;
        const line = command.slice(0, i) + insert + command.slice(i);
        expect(decideBash(line, context()).decision).toBe('deny');
        expect(mayBeDenied(line, deny)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('quoted text never becomes a command (property: any text inside single quotes given to echo)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const quoted = `'${text.replace(/'/g, '')}'`;
        const commands = splitCommands(`echo ${quoted}`);
        expect(commands).toHaveLength(1);
        expect(commands[0]!.words[0]).toBe('echo');
        expect(decideBash(`echo ${quoted}`, context()).decision).toBe('allow');
      }),
    );
  });

  it('a destructive part is found wherever it sits in a chain (property)', () => {
    const harmless = fc.constantFrom('ls -la', 'npm test', 'echo "rm -rf ~"', 'git status', 'cd src');
    const sep = fc.constantFrom(' && ', '; ', ' | ', ' || ', '\n', ' & ');
    fc.assert(
      fc.property(fc.array(harmless, { maxLength: 4 }), fc.array(harmless, { maxLength: 4 }), sep, (before, after, s) => {
        const line = [...before, 'git push --force origin main', ...after].join(s);
        expect(decideBash(line, context())).toMatchObject({ decision: 'deny', rule: 'force-push' });
      }),
    );
  });
});
