import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUNBOOK_MD } from '../../src/templates/runbook.js';

describe('runbook.md', () => {
  it('the template cos init writes is the repository runbook, word for word', () => {
    expect(RUNBOOK_MD).toBe(readFileSync(fileURLToPath(new URL('../../runbook.md', import.meta.url)), 'utf8'));
  });

  it('documents the startup sequence and every procedure', () => {
    const order = ['**chief-of-staff**', '**sprintmaster**', '**developer(s)**', '**qa-reviewer**'].map((s) => RUNBOOK_MD.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const heading of ['### A crashed agent', '### A stuck lock', '### A merge', '### A Notion outage', '### Restoring from the archive', '## A team in worktrees (one machine)', '## A team across machines (one git remote)']) {
      expect(RUNBOOK_MD).toContain(heading);
    }
  });
});
