import type { Outcome } from './outcome.js';

/**
 * A reaction: an async function over a per-sync context that decides something and returns an Outcome.
 * Composites (Sequential, Join) and decorators (Timeout, Retry, Parallel, Shared) are reactions too,
 * so a workflow tree is just a reaction.
 *
 * A reaction may also throw; the engine turns a throw into an `error` outcome naming the reaction.
 */
export interface Reaction<C> {
  (ctx: C): Promise<Outcome>;
  /** Human-readable name, used in error messages, status and logs. */
  readonly reactionName: string;
  /** Children of a composite, for printing and inspecting the tree. Leaves have none. */
  readonly children?: readonly Reaction<C>[];
  /** Set on reactions wrapped in Parallel: Join may start them concurrently. */
  readonly parallel?: boolean;
}

/** Give an async function a name and make it a Reaction. */
export function reaction<C>(
  name: string,
  fn: (ctx: C) => Promise<Outcome> | Outcome,
  extra: { children?: readonly Reaction<C>[]; parallel?: boolean } = {},
): Reaction<C> {
  const r = (async (ctx: C) => fn(ctx)) as Reaction<C>;
  Object.defineProperty(r, 'reactionName', { value: name, enumerable: true });
  if (extra.children) Object.defineProperty(r, 'children', { value: extra.children, enumerable: true });
  if (extra.parallel) Object.defineProperty(r, 'parallel', { value: true, enumerable: true });
  return r;
}
