import { failure, type Outcome } from './outcome.js';
import { reaction, type Reaction } from './reaction.js';
import { aborted, invoke } from './invoke.js';

/**
 * Bound how long `r` may take. On expiry the answer is an error naming `r`
 * (`timed out after <ms> ms`) and the signal handed to `r` aborts, so a cooperative child stops
 * early and composites below start no further children. A child that ignores the signal still
 * settles later; its outcome is dropped, and since the engine never rejects, that late settlement
 * cannot become an unhandled rejection. The timer is cleared as soon as the answer is known, and an
 * aborting outer Timeout ends an inner one at once (no timer outlives the outer answer).
 *
 * Parallel-safety is inherited from `r`: bounding time does not add shared state.
 */
export function Timeout<C>(ms: number, r: Reaction<C>): Reaction<C> {
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new RangeError(`Timeout needs a positive finite number of milliseconds, got ${ms}`);
  }
  const label = `Timeout(${ms}ms, ${r.reactionName})`;
  const message = `timed out after ${ms} ms`;
  return reaction<C>(
    label,
    (ctx, parent) => {
      if (parent?.aborted) return aborted(label, parent);
      const controller = new AbortController();
      return new Promise<Outcome>((resolve) => {
        let done = false;
        const settle = (o: Outcome, abortReason?: unknown): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          parent?.removeEventListener('abort', onParentAbort);
          // Answer first: an abort listener in the child must not be able to delay or change it.
          resolve(o);
          if (abortReason !== undefined) controller.abort(abortReason);
        };
        const onParentAbort = (): void => settle(aborted(label, parent!), parent!.reason);
        const timer = setTimeout(() => settle(failure(r.reactionName, message), new Error(message)), ms);
        parent?.addEventListener('abort', onParentAbort, { once: true });
        void invoke(r, ctx, controller.signal).then((o) => settle(o));
      });
    },
    { children: [r], parallel: r.parallel, decorator: `Timeout(${ms}ms)` },
  );
}
