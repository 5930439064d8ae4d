import { createHistogram, performance } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

/**
 * Event-loop delay, sampled only while hook requests come in. A sampler that runs all the time wakes the
 * process 50 to 100 times a second (prom-client's default metrics keep one at 10 ms, the shedding check
 * kept another at 20 ms): that was nearly all the idle hook's CPU. The delay only matters to requests,
 * and the hook's own requests are what load its loop, so the sampler starts on a hook request and stops
 * once none has come for a while and the loop showed no delay.
 */
export interface LoopDelayMonitor {
  /** A hook request arrived: sample (from now on, if stopped) until the loop has been idle a while. */
  touch(): void;
  /**
   * The largest delay in ms of the last full window, the window being filled, or the sampler's own
   * overdue tick (a loop blocked right now); 0 while stopped, since nothing was waiting then.
   */
  delayMs(): number;
  /** Summary of the delays sampled since the last call, which it resets; zeros when none were. */
  drain(): LoopDelayStats;
  readonly running: boolean;
  /** Stops sampling; a later touch starts it again. */
  close(): void;
}

/** In seconds, as the nodejs_eventloop_lag_* gauges report them. */
export interface LoopDelayStats {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly stddev: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

export interface LoopDelayOptions {
  /** Period of the sampling timer; a sample is how late it ran. */
  readonly resolutionMs?: number;
  /** How long a window's maximum is remembered for delayMs(). */
  readonly windowMs?: number;
  /** No hook request for this long (and a quiet last window) stops the sampler. */
  readonly idleAfterMs?: number;
}

export const LOOP_DELAY_DEFAULTS = { resolutionMs: 20, windowMs: 500, idleAfterMs: 5000 } as const;

export function createLoopDelayMonitor(opts: LoopDelayOptions = {}): LoopDelayMonitor {
  const { resolutionMs, windowMs, idleAfterMs } = { ...LOOP_DELAY_DEFAULTS, ...opts };
  // Samples in ns (a histogram records integers >= 1), kept for drain() across stops.
  const samples = createHistogram();
  let timer: NodeJS.Timeout | undefined;
  let due = 0;
  let lastTouch = 0;
  let windowStart = 0;
  let windowMax = 0;
  let lastWindowMax = 0;

  const stop = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    windowMax = 0;
    lastWindowMax = 0;
  };

  const tick = (): void => {
    const now = performance.now();
    const late = Math.max(0, now - due);
    samples.record(Math.max(1, Math.round(late * 1e6)));
    windowMax = Math.max(windowMax, late);
    if (now - windowStart >= windowMs) {
      lastWindowMax = windowMax;
      windowMax = 0;
      windowStart = now;
      // Never right after a stall: the requests it held back are about to be read and must see it.
      if (now - lastTouch >= idleAfterMs && lastWindowMax < resolutionMs) {
        stop();
        return;
      }
    }
    arm(now);
  };

  const arm = (now: number): void => {
    due = now + resolutionMs;
    timer = setTimeout(tick, resolutionMs);
    // Never what keeps the process alive.
    timer.unref();
  };

  return {
    touch() {
      const now = performance.now();
      lastTouch = now;
      if (timer === undefined) {
        windowStart = now;
        arm(now);
      }
    },
    delayMs() {
      if (timer === undefined) return 0;
      return Math.max(lastWindowMax, windowMax, performance.now() - due);
    },
    drain() {
      const count = samples.count;
      const s = (ns: number): number => (count === 0 ? 0 : ns / 1e9);
      const stats: LoopDelayStats = {
        count,
        min: s(samples.min),
        max: s(samples.max),
        mean: s(samples.mean),
        stddev: s(samples.stddev),
        p50: s(samples.percentile(50)),
        p90: s(samples.percentile(90)),
        p99: s(samples.percentile(99)),
      };
      samples.reset();
      return stats;
    },
    get running() {
      return timer !== undefined;
    },
    close: stop,
  };
}

/** prom-client's default-metric names for the sampled delay, which dashboards (ours too) already query. */
const LAG_GAUGES = [
  ['min', 'nodejs_eventloop_lag_min_seconds', 'min'],
  ['max', 'nodejs_eventloop_lag_max_seconds', 'max'],
  ['mean', 'nodejs_eventloop_lag_mean_seconds', 'mean'],
  ['stddev', 'nodejs_eventloop_lag_stddev_seconds', 'standard deviation'],
  ['p50', 'nodejs_eventloop_lag_p50_seconds', '50th percentile'],
  ['p90', 'nodejs_eventloop_lag_p90_seconds', '90th percentile'],
  ['p99', 'nodejs_eventloop_lag_p99_seconds', '99th percentile'],
] as const;

type LoopDelayKey = (typeof LAG_GAUGES)[number][0];

export const LOOP_DELAY_METRIC_NAMES: readonly string[] = LAG_GAUGES.map(([, name]) => name);

/**
 * Registers the nodejs_eventloop_lag_{min,max,...}_seconds gauges on `registry`, read from `monitor` at
 * each scrape (and reset by it, as prom-client's own were). Their values are how late the sampler ran,
 * the resolution not included; 0 when the hook served no request since the last scrape.
 */
export function registerLoopDelayMetrics(registry: Registry, monitor: LoopDelayMonitor): void {
  const gauges: Array<readonly [LoopDelayKey, Gauge]> = [];
  // The first gauge's collect (prom-client runs it before reading that gauge, and the others are read after
  // it in registration order) sets them all from one drain.
  const collect = (): void => {
    const stats = monitor.drain();
    for (const [key, gauge] of gauges) gauge.set(stats[key]);
  };
  for (const [key, name, what] of LAG_GAUGES) {
    const help = `The ${what} of the event-loop delays sampled since the last scrape, while hook requests came in (0 when none did).`;
    gauges.push([key, new Gauge({ name, help, registers: [registry], ...(gauges.length === 0 ? { collect } : {}) })]);
  }
}
