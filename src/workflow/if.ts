import { CONTINUE } from './outcome.js';
import { reaction, type Reaction } from './reaction.js';

/** Does nothing and continues. What `If(false, …)` stands for in the tree. */
export const Nop: Reaction<unknown> = reaction<unknown>('Nop', () => CONTINUE);

/**
 * `r` when `cond` holds, else Nop. Decided when the tree is built (from the spec or capabilities),
 * not when it runs, so the printed tree shows exactly what will run.
 */
export function If<C>(cond: boolean, r: Reaction<C>): Reaction<C> {
  return cond ? r : Nop;
}
