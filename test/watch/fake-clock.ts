/** A manual clock and timer queue for the watcher's engine and Notion syncer (injected, not mocked). */
import type { Timers } from '../../src/watch/engine.js';

export class FakeClock implements Timers {
  private time: number;
  private nextId = 1;
  private pending = new Map<number, { at: number; fn: () => void }>();

  constructor(start: Date | number) {
    this.time = typeof start === 'number' ? start : start.getTime();
  }

  now = (): Date => new Date(this.time);

  set = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + ms, fn });
    return id;
  };

  clear = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };

  /** How many timers are waiting. */
  get size(): number {
    return this.pending.size;
  }

  /** Move the clock forward, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let nextId: number | null = null;
      let nextAt = Infinity;
      for (const [id, timer] of this.pending) if (timer.at <= end && timer.at < nextAt) (nextId = id), (nextAt = timer.at);
      if (nextId === null) break;
      const timer = this.pending.get(nextId)!;
      this.pending.delete(nextId);
      this.time = Math.max(this.time, timer.at);
      timer.fn();
    }
    this.time = end;
  }
}
