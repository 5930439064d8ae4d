import type { Outcome } from './outcome.js';
import { reaction, type Reaction } from './reaction.js';
import { invoke } from './invoke.js';
import { andThen, eachInOrder, type MaybePromise } from './maybe.js';

/**
 * Rerun `r` while it returns an error, at most `times` extra attempts, and return the last outcome.
 * Exit, requeue and continue are answers, not failures, so they are never retried. There is no
 * sleep between attempts: a sync must stay fast, and a longer wait is a requeue's job.
 *
 * Synchronous while the attempts answer synchronously (see eachInOrder).
 */
export function Retry<C>(times: number, r: Reaction<C>): Reaction<C> {
  if (!Number.isInteger(times) || times < 0) {
    throw new RangeError(`Retry needs a non-negative integer number of extra attempts, got ${times}`);
  }
  return reaction<C>(
    `Retry(${times}, ${r.reactionName})`,
    (ctx, signal) =>
      // The last attempt always answers, so the loop never runs out with `undefined`.
      eachInOrder<Outcome>(times + 1, (attempt) =>
        andThen(invoke(r, ctx, signal), (o) => (o.kind === 'error' && attempt < times && !signal?.aborted ? undefined : o)),
      ) as MaybePromise<Outcome>,
    { children: [r], parallel: r.parallel, decorator: `Retry(${times})` },
  );
}
