/**
 * The protocol section that `cos setup agents-md` writes into AGENTS.md / CLAUDE.md: the commands
 * to post, heartbeat, verify and resolve, and each role's standing orders. Pure.
 */
import type { Role } from '../protocol/role.js';

export interface SectionInput {
  roles: readonly Role[];
  /** Roles whose files could not be read, with the reason (named, not silently dropped). */
  skipped?: ReadonlyArray<{ file: string; reason: string }>;
  ttlMinutes: number;
}

export function agentsSection({ roles, skipped = [], ttlMinutes }: SectionInput): string {
  const base = 'cos post --sprint <sprint> --agent <you>';
  const out: string[] = [
    '## Coordination: agent-cos',
    '',
    'Agents in this repository report through numbered status entries in `.agent/status/`, written',
    'only with `cos`. `<sprint>` and `<you>` are slugs (`[a-z0-9][a-z0-9._-]*`, at most 64 characters);',
    'your dispatch briefing names both. Every command takes `--json`.',
    '',
    '```sh',
    `${base} --status IN_PROGRESS --message "starting: <plan in one line>"`,
    `cos heartbeat --sprint <sprint> --agent <you>   # at least every ${ttlMinutes} minutes while you work`,
    `${base} --status COMPLETE --message "what changed and how to check it"`,
    `${base} --status BLOCKED --severity URGENT --message "what you need, from whom"`,
    `${base} --status FAILED --error "<failure signature>" --message "what failed"`,
    `${base} --status VERIFIED --verifies <COMPLETE entry file> --message "what you checked"`,
    `${base} --status FAILED --verifies <COMPLETE entry file> --error "<failure signature>" --message "what is wrong"`,
    'cos resolve <URGENT/BLOCKER entry file> --agent <you> --message "what was decided"',
    'cos ack <URGENT/BLOCKER entry file> --agent <you>   # on it: stops re-escalation, does not resolve',
    'cos brief        # what is going on; cos status for the dashboard, cos scan for every finding',
    '```',
    '',
    '- Start with IN_PROGRESS and end with exactly one of COMPLETE, BLOCKED or FAILED: never leave an entry open.',
    `- Silent for more than ${ttlMinutes} minutes (the entry's ttl) and you count as stale. With \`cos setup claude\`, Claude Code's hooks send the heartbeats for you once you have posted.`,
    '- A COMPLETE is a claim until another agent posts VERIFIED for it (cos refuses a VERIFIED of your own claim or of another sprint). Verify the work itself, not the entry; reject it with FAILED --verifies.',
    '- Escalate with `--severity URGENT` (or BLOCKER when nothing can proceed) and wait; whoever settles it runs `cos resolve <file>` (a NOTE: it holds nothing and changes no sprint state).',
    '- Change only your own entries; everything about another sprint is an entry for the sprintmaster, not an edit.',
  ];
  if (roles.length > 0 || skipped.length > 0) {
    out.push('', '### Standing orders by role', '');
    for (const role of roles) {
      out.push(`**${role.name}** (${role.title}):`);
      if (role.standing_orders.length === 0) out.push('- (none)');
      for (const order of role.standing_orders) out.push(`- ${order}`);
      if (role.escalation_triggers.length > 0) {
        out.push(`- Escalate when: ${role.escalation_triggers.join(' ')}`);
      }
      out.push('');
    }
    for (const bad of skipped) out.push(`- \`${bad.file}\` is not a valid role (${bad.reason}); fix it and run \`cos setup agents-md\` again.`);
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
