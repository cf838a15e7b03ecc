/**
 * The guard's fast path: a Bash command that contains none of the words any rule needs (the
 * programs and sub-commands the rules look for) cannot be denied, so it is allowed without
 * loading the shell parser. Not weaker than the parser: every rule needs its program's name in
 * the text (`git push`, `rm`, `dropdb`, `cos approve`, a pattern's program) once the quotes,
 * backslashes and line continuations the shell removes are taken out (`r''m`, `pu\sh` and
 * `r\<newline>m` are `rm` and `push` to the shell, so to the prefilter), and SQL keywords are
 * compared in any case (`dRoP DATABASE`); text that hides it (`X=rm; $X -rf ~`) escapes the
 * parser just the same — the guard is a seat belt. Pure.
 */
const RULE_WORDS: Record<string, readonly string[]> = {
  'force-push': ['push'],
  'recursive-delete-outside-repo': ['rm', 'delete'],
  'drop-database': ['drop', 'db:'],
};

/** The words the shell would see: quotes, backslashes and line continuations taken out. */
function unquoted(command: string): string {
  return command.replace(/\\\r?\n/g, '').replace(/["'\\]/g, '');
}

/**
 * Always checked: an agent's own `cos approve`; changes of `.agent/config/` and `.agent/status/`
 * (guard/protected.ts) — named, named by a file name of the config (`$D/coordination.yaml`), removed
 * with `.agent` or a dot-glob (`.a*`) that can name `.agent`, or rewritten by a git command whose
 * pathspec covers them without naming them (`git checkout -- .`, `git restore :/`, `git rm -r .`)
 * or by a stash pushed or applied (`git stash`, `git stash pop`), or thrown away (`git reset --hard`,
 * `git switch --discard-changes`, `git read-tree --rese -u`: an option may be abbreviated); and any
 * git alias given on the line (`git -c alias.rh='reset --hard' rh`: `alias` is what shows).
 */
const ALWAYS = ['approve', 'config', '.agent', 'coordination', 'notion-sync', 'guard-settings', 'checkout', 'restore', 'rm', 'mv', 'clean', 'stash', 'reset', 'switch', 'read-tree', 'alias'];
const DOT_GLOB = /(?:^|[\s/=])\.[^\s/]*[*?[]/;
/**
 * A path that names a `status` folder (`/tmp/link-to-agent/status/current/x.md`, `cp f link/status`):
 * `.agent/` reached through a link that hides its name. `git status`, `cos status` are not paths.
 */
const STATUS_PATH = /\/status|status\//;
/** A brace expansion (`r{m,}`, `{a..b}`) can build a rule's word from parts: such a line is parsed. */
const BRACES = /\{[^{}\s]*(?:,|\.\.)[^{}\s]*\}/;

/**
 * Whether a Bash command run in `cwd` is parsed whatever its words: Claude Code keeps `cd` between
 * Bash calls, so an agent whose cwd is in `.agent/` (or `.agent/` itself) writes a protected file
 * with a bare relative name (`cp f 219-…-lead.md` in `.agent/status/current`, `cp x co*.yaml` in
 * `.agent/config`), none of the prefilter's words in sight. Both paths are real paths (links
 * resolved); one path comparison, so the fast path stays fast everywhere else. Pure.
 */
export function cwdInAgent(root: string, cwd: string): boolean {
  const agent = `${root.endsWith('/') ? root : `${root}/`}.agent`;
  return cwd === agent || cwd.startsWith(`${agent}/`);
}

/** Whether the guard must parse this command (false: no rule can deny it). */
export function mayBeDenied(command: string, deny: readonly string[]): boolean {
  const plain = unquoted(command);
  const lower = plain.toLowerCase();
  for (const word of ALWAYS) if (plain.includes(word)) return true;
  if (DOT_GLOB.test(plain) || BRACES.test(plain) || STATUS_PATH.test(plain)) return true;
  for (const item of deny) {
    const words = RULE_WORDS[item] ?? [unquoted(item.trim().split(/\s+/)[0] ?? item)];
    // SQL is read in any case (the drop-database rule matches it case-insensitively).
    const text = item === 'drop-database' ? lower : plain;
    for (const word of words) if (word === '*' || text.includes(word)) return true;
  }
  return false;
}
