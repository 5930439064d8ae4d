import type { Outcome } from './outcome.js';

/**
 * A reaction: an async function over a per-sync context that decides something and returns an Outcome.
 * Composites (Sequential, Join) and decorators (Timeout, Retry, Parallel, Shared) are reactions too,
 * so a workflow tree is just a reaction.
 *
 * A reaction may also throw; the engine turns a throw into an `error` outcome naming the reaction.
 *
 * `signal` is set when the reaction runs under a Timeout: once it aborts, the outcome is no longer
 * wanted, so a long-running reaction should stop touching the context. Composites pass it down and
 * start no further children after it aborts. Reactions that ignore it are still correct.
 */
export interface Reaction<C> {
  (ctx: C, signal?: AbortSignal): Promise<Outcome>;
  /** Human-readable name, used in error messages, status and logs. */
  readonly reactionName: string;
  /** Children of a composite, for printing and inspecting the tree. Leaves have none. */
  readonly children?: readonly Reaction<C>[];
  /** Set on reactions wrapped in Parallel: Join may start them concurrently. */
  readonly parallel?: boolean;
  /**
   * Set on single-child decorators (e.g. `Timeout(1000ms)`, `Shared`): lets describeWorkflow print a
   * decorator chain on one line instead of repeating the child's name at every level.
   */
  readonly decorator?: string;
}

export interface ReactionExtras<C> {
  children?: readonly Reaction<C>[];
  parallel?: boolean;
  decorator?: string;
}

/** Give an async function a name and make it a Reaction. */
export function reaction<C>(
  name: string,
  fn: (ctx: C, signal?: AbortSignal) => Promise<Outcome> | Outcome,
  extra: ReactionExtras<C> = {},
): Reaction<C> {
  const r = (async (ctx: C, signal?: AbortSignal) => fn(ctx, signal)) as Reaction<C>;
  Object.defineProperty(r, 'reactionName', { value: name, enumerable: true });
  if (extra.children) Object.defineProperty(r, 'children', { value: extra.children, enumerable: true });
  if (extra.parallel) Object.defineProperty(r, 'parallel', { value: true, enumerable: true });
  if (extra.decorator !== undefined) Object.defineProperty(r, 'decorator', { value: extra.decorator, enumerable: true });
  return r;
}
