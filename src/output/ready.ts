/** `cos ready` as text: runnable dispatch commands first, then what waits on what. */
import type { ReadyQueue } from '../plans/ready.js';
import { visibleLines } from './visible.js';

export function renderReady(queue: ReadyQueue & { plans: readonly unknown[] }): string {
  if (queue.plans.length === 0) return 'No plans yet. Write one (see cos plan --help), then: cos plan apply FILE --commit\n';
  const lines: string[] = [];
  if (queue.ready.length > 0) {
    lines.push('READY — dispatch now:');
    const width = Math.max(...queue.ready.map((item) => `cos dispatch ${item.role} ${item.sprint}`.length));
    for (const item of queue.ready) lines.push(`  ${`cos dispatch ${item.role} ${item.sprint}`.padEnd(width)}  # ${item.plan}: ${item.title}`);
  } else {
    lines.push('Nothing is READY: every step not taken up waits on another, or all are under way.');
  }
  if (queue.waiting.length > 0) {
    lines.push('', 'WAITING:');
    const width = Math.max(...queue.waiting.map((item) => item.sprint.length));
    for (const item of queue.waiting) lines.push(`  ${item.sprint.padEnd(width)}  waits on ${item.waiting_on.join(', ')}  (${item.plan})`);
  }
  return visibleLines(lines);
}
