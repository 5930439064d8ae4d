import type { Outcome } from './outcome.js';
import type { MaybePromise } from './maybe.js';

/**
 * A reaction: a function over a per-sync context that decides something and returns an Outcome, or a
 * promise of one when it has to wait. Most reactions are pure and answer at once; the engine keeps
 * such answers synchronous (no promise, no microtask hop) and only waits where a child returned a
 * promise, so callers must accept either (`await` does).
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
  (ctx: C, signal?: AbortSignal): MaybePromise<Outcome>;
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

/**
 * Give a function a name and make it a Reaction. `fn` is called as is: a synchronous answer stays
 * synchronous, and a synchronous throw is left for `invoke` to turn into an error outcome. It is
 * wrapped (not decorated in place) because the same function may be named twice.
 */
export function reaction<C>(
  name: string,
  fn: (ctx: C, signal?: AbortSignal) => MaybePromise<Outcome>,
  extra: ReactionExtras<C> = {},
): Reaction<C> {
  const r = ((ctx: C, signal?: AbortSignal) => fn(ctx, signal)) as Reaction<C>;
  Object.defineProperty(r, 'reactionName', { value: name, enumerable: true });
  if (extra.children) Object.defineProperty(r, 'children', { value: extra.children, enumerable: true });
  if (extra.parallel) Object.defineProperty(r, 'parallel', { value: true, enumerable: true });
  if (extra.decorator !== undefined) Object.defineProperty(r, 'decorator', { value: extra.decorator, enumerable: true });
  return r;
}
