import type { Outcome } from './outcome.js';
import type { Reaction } from './reaction.js';
import { invoke } from './invoke.js';

/**
 * Run a workflow tree over one sync's context. Never throws: a throw anywhere becomes an `error`
 * outcome naming the reaction that threw (composites name the child, so that is the leaf).
 */
export function runWorkflow<C extends object>(r: Reaction<C>, ctx: C): Promise<Outcome> {
  return invoke(r, ctx);
}
