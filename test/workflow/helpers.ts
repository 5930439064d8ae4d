import { reaction, type Outcome, type Reaction } from '../../src/workflow/index.js';
import { sleep } from '../support/wait.js';

/** The test context: every leaf appends to `log`, so tests can assert what ran and in which order. */
export interface Ctx {
  log: string[];
}

export const newCtx = (): Ctx => ({ log: [] });

export { sleep };

/** A leaf that logs its name and returns `outcome` (after `delayMs`, if given). */
export function leaf(name: string, outcome: Outcome, delayMs = 0): Reaction<Ctx> {
  return reaction<Ctx>(name, async (ctx) => {
    ctx.log.push(name);
    if (delayMs > 0) await sleep(delayMs);
    return outcome;
  });
}

/** A leaf that logs `start:x` and `end:x` around a delay: shows overlap and completion order. */
export function timed(name: string, outcome: Outcome, delayMs: number): Reaction<Ctx> {
  return reaction<Ctx>(name, async (ctx) => {
    ctx.log.push(`start:${name}`);
    await sleep(delayMs);
    ctx.log.push(`end:${name}`);
    return outcome;
  });
}

/** A leaf that throws `thrown` after logging. */
export function thrower(name: string, thrown: unknown): Reaction<Ctx> {
  return reaction<Ctx>(name, (ctx) => {
    ctx.log.push(name);
    throw thrown;
  });
}

/** A leaf returning each scripted outcome in turn (the last one repeats), counting its calls. */
export function scripted(name: string, ...outcomes: Outcome[]): Reaction<Ctx> & { calls: () => number } {
  let calls = 0;
  const r = reaction<Ctx>(name, (ctx) => {
    ctx.log.push(name);
    const o = outcomes[Math.min(calls, outcomes.length - 1)]!;
    calls += 1;
    return o;
  });
  return Object.assign(r, { calls: () => calls });
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Run `fn` and return the unhandled rejections Node reported while it ran (plus a few turns after). */
export async function unhandledRejectionsDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', onRejection);
  try {
    await fn();
    // Node reports unhandled rejections after the microtask queue drains; give it a macrotask or two.
    await sleep(10);
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  return seen;
}
