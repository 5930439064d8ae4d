import type { Outcome } from './outcome.js';
import { reaction, type Reaction } from './reaction.js';
import { invoke } from './invoke.js';

/**
 * Rerun `r` while it returns an error, at most `times` extra attempts, and return the last outcome.
 * Exit, requeue and continue are answers, not failures, so they are never retried. There is no
 * sleep between attempts: a sync must stay fast, and a longer wait is a requeue's job.
 */
export function Retry<C>(times: number, r: Reaction<C>): Reaction<C> {
  if (!Number.isInteger(times) || times < 0) {
    throw new RangeError(`Retry needs a non-negative integer number of extra attempts, got ${times}`);
  }
  return reaction<C>(
    `Retry(${times}, ${r.reactionName})`,
    async (ctx, signal) => {
      let o: Outcome = await invoke(r, ctx, signal);
      for (let i = 0; i < times && o.kind === 'error' && !signal?.aborted; i++) {
        o = await invoke(r, ctx, signal);
      }
      return o;
    },
    { children: [r], parallel: r.parallel, decorator: `Retry(${times})` },
  );
}
