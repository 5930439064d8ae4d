import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

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

/** Resolution of the event-loop sampler, and how often its histogram is read and reset. */
const RESOLUTION_MS = 20;
const SAMPLE_EVERY_MS = 500;

export function createPressureGauge(opts: { maxInFlight: number; maxEventLoopDelayMs: number }): PressureGauge {
  let delayMs = 0;
  let histogram: IntervalHistogram | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (opts.maxEventLoopDelayMs > 0) {
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    const h = histogram;
    // A timer keeps the last full window's maximum; each request also looks at the window being filled.
    // A blocked loop also delays this timer, and how late it runs is itself a measure of the stall: that
    // does not depend on whether the sampler recorded its late tick before or after our read.
    let lastTick = performance.now();
    timer = setInterval(() => {
      const now = performance.now();
      const late = now - lastTick - SAMPLE_EVERY_MS;
      lastTick = now;
      delayMs = Math.max(0, h.max / 1e6 - RESOLUTION_MS, late);
      h.reset();
    }, SAMPLE_EVERY_MS);
    timer.unref();
  }
  return {
    overloaded(inFlight) {
      if (inFlight > opts.maxInFlight) return `in-flight ${inFlight} > ${opts.maxInFlight}`;
      if (histogram) {
        // The window being filled counts too: right after a stall the sampler's own timer has recorded the
        // delay, but the periodic read may not have run yet (or may have run just before the sample landed).
        const delay = Math.max(delayMs, histogram.max / 1e6 - RESOLUTION_MS);
        if (delay > opts.maxEventLoopDelayMs) return `event-loop delay ${Math.round(delay)} ms > ${opts.maxEventLoopDelayMs} ms`;
      }
      return undefined;
    },
    close() {
      if (timer) clearInterval(timer);
      histogram?.disable();
    },
  };
}
