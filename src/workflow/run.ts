import type { Outcome } from './outcome.js';
import type { Reaction } from './reaction.js';
import { invoke } from './invoke.js';
import { isThenable } from './maybe.js';

/**
 * Run a workflow tree over one sync's context. Never throws: a throw anywhere becomes an `error`
 * outcome naming the reaction that threw (composites name the child, so that is the leaf).
 *
 * Always a promise, for callers' convenience; a tree that answered synchronously costs one resolved
 * promise here, however many nodes it has.
 */
export function runWorkflow<C extends object>(r: Reaction<C>, ctx: C): Promise<Outcome> {
  const o = invoke(r, ctx);
  return isThenable(o) ? (o as Promise<Outcome>) : Promise.resolve(o);
}
