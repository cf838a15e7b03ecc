/** `cos scan` as text: findings grouped by severity, most severe first, then a summary line. */
import type { Finding } from '../checks/types.js';
import { SEVERITIES, type Severity } from '../protocol/fields.js';
import type { Style } from './style.js';
import { visible } from './visible.js';

export interface ScanSummary {
  findings: readonly Finding[];
  entries: number;
  problems: number;
  failOn: Severity | 'never';
  failing: number;
}

export function renderScan(summary: ScanSummary, style: Style): string {
  const { findings } = summary;
  const out: string[] = [];
  const counts: string[] = [];
  for (const severity of [...SEVERITIES].reverse()) {
    const group = findings.filter((finding) => finding.severity === severity);
    if (group.length === 0) continue;
    counts.push(`${group.length} ${severity}`);
    out.push(style.severity(severity, `${severity} (${group.length})`));
    for (const finding of group) {
      const where = finding.sprint ? ` ${style.bold(finding.sprint)}` : '';
      // Repository text (file names, entry fields) stays on its line, its control characters escaped.
      out.push(`  ${style.severity(severity, finding.kind)}${where}: ${visible(finding.message, { oneLine: true })}`);
      out.push(`    ${style.cyan('→')} ${visible(finding.action, { oneLine: true })}`);
      if (finding.files.length > 0) {
        const shown = finding.files
          .slice(0, 5)
          .map((file) => visible(file, { oneLine: true }))
          .join(', ');
        out.push(`    ${style.dim(finding.files.length > 5 ? `${shown} (+${finding.files.length - 5} more)` : shown)}`);
      }
    }
    out.push('');
  }
  const over = `${summary.entries} ${summary.entries === 1 ? 'entry' : 'entries'}${summary.problems > 0 ? ` and ${summary.problems} malformed ${summary.problems === 1 ? 'file' : 'files'}` : ''}`;
  const threshold = summary.failOn === 'never' ? 'fail-on never' : `fail-on ${summary.failOn}`;
  if (findings.length === 0) {
    out.push(style.green(`All clear: no findings over ${over} (${threshold}).`));
  } else {
    const verdict =
      summary.failing > 0
        ? style.red(`${summary.failing} at or above ${summary.failOn}: exit 2`)
        : style.green(`none at or above ${summary.failOn === 'never' ? 'the threshold' : summary.failOn}`);
    out.push(`${findings.length} ${findings.length === 1 ? 'finding' : 'findings'} (${counts.join(', ')}) over ${over}; ${threshold}: ${verdict}.`);
  }
  return `${out.join('\n')}\n`;
}
