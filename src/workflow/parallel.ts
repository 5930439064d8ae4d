import { reaction, type Reaction } from './reaction.js';
import { invoke } from './invoke.js';

/**
 * Mark `r` as safe to run concurrently with its Parallel siblings inside a Join. It changes when `r`
 * starts, never what the Join returns: outcomes are merged by declared position. Use it only for
 * reactions whose effects on the context do not depend on each other (e.g. each puts different
 * children). Outside a Join it has no effect.
 */
export function Parallel<C>(r: Reaction<C>): Reaction<C> {
  return reaction<C>(`Parallel(${r.reactionName})`, (ctx, signal) => invoke(r, ctx, signal), {
    children: [r],
    parallel: true,
    decorator: 'Parallel',
  });
}
