import { CONTINUE, type Outcome } from './outcome.js';
import { reaction, type Reaction } from './reaction.js';
import { aborted, invoke } from './invoke.js';
import { andThen, eachInOrder } from './maybe.js';

/**
 * Run children in order and stop at the first outcome that is not `continue` (exit, requeue or
 * error), returning it. All continue (or no children) → continue. This is the gate: a child that
 * exits keeps every later child from running.
 *
 * Synchronous while the children answer synchronously (see eachInOrder).
 */
export function Sequential<C>(name: string, ...children: Reaction<C>[]): Reaction<C> {
  const kids = Object.freeze([...children]);
  const label = `Sequential(${name})`;
  return reaction<C>(
    label,
    (ctx, signal) => {
      const stoppedWith = eachInOrder<Outcome>(kids.length, (i) => {
        if (signal?.aborted) return aborted(label, signal);
        return andThen(invoke(kids[i]!, ctx, signal), stopUnlessContinue);
      });
      return andThen(stoppedWith, orContinue);
    },
    { children: kids },
  );
}

const stopUnlessContinue = (o: Outcome): Outcome | undefined => (o.kind === 'continue' ? undefined : o);
const orContinue = (o: Outcome | undefined): Outcome => o ?? CONTINUE;
