import type { Outcome } from './outcome.js';
import { reaction, type Reaction } from './reaction.js';
import { invoke } from './invoke.js';
import { isThenable, type MaybePromise } from './maybe.js';

/**
 * Run `r` at most once per context object (one sync) and give every caller the same outcome;
 * concurrent callers await the same run. This is how several branches depend on one sub-workflow
 * ("sync components") without doing it twice. Keyed by a WeakMap, so a finished sync's memo goes
 * with its context, and a new context runs `r` again.
 *
 * The memo holds what invoke answered: the outcome itself when `r` finished synchronously (later
 * callers get it synchronously too), else the promise of it, which callers share until it settles
 * and the memo holds the outcome instead (invoke's promises never reject).
 *
 * The run uses the first caller's abort signal: if that caller's Timeout expires, later callers get
 * the aborted run's outcome (an error), as in ctrlkit where the shared result is whatever the first
 * run produced.
 */
export function Shared<C extends object>(r: Reaction<C>): Reaction<C> {
  const runs = new WeakMap<object, MaybePromise<Outcome>>();
  return reaction<C>(
    `Shared(${r.reactionName})`,
    (ctx, signal) => {
      let run = runs.get(ctx);
      if (run === undefined) {
        run = invoke(r, ctx, signal);
        runs.set(ctx, run);
        // Once settled, later callers need not wait a microtask for an outcome that is already known.
        if (isThenable(run)) void run.then((o) => runs.set(ctx, o));
      }
      return run;
    },
    { children: [r], parallel: r.parallel, decorator: 'Shared' },
  );
}
