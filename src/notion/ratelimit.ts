/**
 * Client-side rate limiter: a token bucket in its GCRA form. `burst` requests may go at once, then
 * one every 1/rate seconds, so the average never exceeds `rate`. A 429's Retry-After pauses every
 * request, not only the one that got it. Pure timing; the clock and the sleep are injectable.
 */
export interface RateLimiter {
  /** Resolve when the next request may go (rejects if the signal aborts). */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Hold every request back until `ms` from now (Retry-After). */
  pause(ms: number): void;
}

export interface RateLimiterOptions {
  rate: number;
  burst: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    if (ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createRateLimiter({ rate, burst, now = Date.now, sleep: wait = sleep }: RateLimiterOptions): RateLimiter {
  const interval = 1000 / rate;
  const tolerance = (Math.max(1, burst) - 1) * interval;
  // Theoretical arrival time of the next request at the average rate.
  let tat = 0;
  let pausedUntil = 0;
  return {
    async acquire(signal) {
      // Reserve a slot synchronously (so concurrent callers queue in order), then wait for it.
      for (;;) {
        const t = Math.max(now(), pausedUntil);
        const next = Math.max(tat, t);
        const at = Math.max(t, next - tolerance);
        tat = next + interval;
        const delay = at - now();
        await wait(delay, signal);
        // A pause that arrived while waiting applies to this request too.
        if (pausedUntil <= now()) return;
      }
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}
