/**
 * The guard's fast path: a Bash command that contains none of the words any rule needs (the
 * programs and sub-commands the rules look for) cannot be denied, so it is allowed without
 * loading the shell parser. Not weaker than the parser: every rule needs its program's name in
 * the text (`git push`, `rm`, `dropdb`, `cos approve`, a pattern's program); text that hides it
 * (`X=rm; $X -rf ~`) escapes the parser just the same — the guard is a seat belt. Pure.
 */
const RULE_WORDS: Record<string, readonly string[]> = {
  'force-push': ['push'],
  'recursive-delete-outside-repo': ['rm'],
  'drop-database': ['drop', 'DROP', 'Drop', 'db:'],
};

/** Always checked: an agent's own `cos approve`, writes into `.agent/config/`. */
const ALWAYS = ['approve', 'config'];

/** Whether the guard must parse this command (false: no rule can deny it). */
export function mayBeDenied(command: string, deny: readonly string[]): boolean {
  for (const word of ALWAYS) if (command.includes(word)) return true;
  for (const item of deny) {
    const words = RULE_WORDS[item] ?? [item.trim().split(/\s+/)[0] ?? item];
    for (const word of words) if (word === '*' || command.includes(word)) return true;
  }
  return false;
}
