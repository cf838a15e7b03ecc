/**
 * The terminal bar behind progress.ts; the only module that imports cli-progress. The cursor and
 * line wrapping are left as they are, so a run stopped with Ctrl-C leaves the terminal usable.
 */
import cliProgress from 'cli-progress';
import type { Progress } from './progress.js';

export function progressBar(label: string, unit: string, stream: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {value}/{total} ${unit}`, barsize: 30, hideCursor: false, linewrap: true, clearOnComplete: true, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (total <= 0) return;
      if (!started) {
        started = true;
        bar.start(total, done);
        return;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
