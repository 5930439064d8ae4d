import { failure, type Outcome } from './outcome.js';
import { reaction, type Reaction } from './reaction.js';
import { aborted, invoke } from './invoke.js';
import { isThenable } from './maybe.js';

/**
 * Bound how long `r` may take. On expiry the answer is an error naming `r`
 * (`timed out after <ms> ms`) and the signal handed to `r` aborts, so a cooperative child stops
 * early and composites below start no further children. A child that ignores the signal still
 * settles later; its outcome is dropped, and since the engine never rejects, that late settlement
 * cannot become an unhandled rejection. The timer is cleared as soon as the answer is known, and an
 * aborting outer Timeout ends an inner one at once (no timer outlives the outer answer).
 *
 * A child that answers synchronously cannot be interrupted (no timer fires while it runs), so its
 * answer is returned at once, synchronously, and no timer is set at all.
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
      const started = Date.now();
      const answer = invoke(r, ctx, controller.signal);
      // The parent can only have aborted meanwhile if something in the child's synchronous part did it;
      // the parent's abort wins then, as it did when the listener was in place before the child started.
      if (parent?.aborted) {
        controller.abort(parent.reason);
        return aborted(label, parent);
      }
      // A child that answered synchronously could not have been interrupted, even by a timer set
      // before it: no timer can fire while it runs. Its answer stands, with no timer or listener to clean.
      if (!isThenable(answer)) return answer;
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
        // The limit counts from the child's start, so the synchronous part it already ran is included.
        const timer = setTimeout(() => settle(failure(r.reactionName, message), new Error(message)), Math.max(0, ms - (Date.now() - started)));
        parent?.addEventListener('abort', onParentAbort, { once: true });
        void answer.then((o) => settle(o));
      });
    },
    { children: [r], parallel: r.parallel, decorator: `Timeout(${ms}ms)` },
  );
}
