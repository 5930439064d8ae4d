import type { LoopDelayMonitor } from './loop-delay.js';

/**
 * Decides whether a hook request should be shed. Metacontroller honours only 429 + Retry-After as
 * "come back later" (anything else is an error with exponential backoff and a SyncError event), so
 * overload is always answered with 429 by the caller.
 */
export interface PressureGauge {
  /** Why the next request should be shed, or undefined when it may proceed. */
  overloaded(inFlight: number): string | undefined;
  close(): void;
}

/** `loop` is sampled while hook requests come in (the caller touches it for each); 0 disables that check. */
export function createPressureGauge(opts: { maxInFlight: number; maxEventLoopDelayMs: number }, loop: LoopDelayMonitor): PressureGauge {
  return {
    overloaded(inFlight) {
      if (inFlight > opts.maxInFlight) return `in-flight ${inFlight} > ${opts.maxInFlight}`;
      if (opts.maxEventLoopDelayMs > 0) {
        const delay = loop.delayMs();
        if (delay > opts.maxEventLoopDelayMs) return `event-loop delay ${Math.round(delay)} ms > ${opts.maxEventLoopDelayMs} ms`;
      }
      return undefined;
    },
    close() {
      loop.close();
    },
  };
}
