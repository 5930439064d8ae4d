/**
 * Values that are either ready now or promised, and the two steps the engine needs over them.
 *
 * Almost every reaction is a pure function over the context and answers at once. Awaiting such an
 * answer costs a promise and a microtask hop per node, several hundred per sync, for nothing; so the
 * engine passes plain values through synchronously and switches to promises only from the first
 * child that actually returns one.
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Anything with a callable `then`, as `await` and `Promise.resolve` see it: a reaction written in
 * plain JavaScript may hand back a foreign thenable, which must be waited for like a promise.
 */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * `f(v)` now when `v` is ready, else once it resolves. (Not named `then`: a module exporting `then`
 * makes its namespace a thenable, and `await import()` of it would call the function.)
 */
export function andThen<T, U>(v: MaybePromise<T>, f: (t: T) => MaybePromise<U>): MaybePromise<U> {
  return isThenable(v) ? (v as Promise<T>).then(f) : f(v as T);
}

/**
 * Call `step(i)` for i = from, from + 1, … < n, each after the previous one answered, and stop at the
 * first step that answers something other than `undefined`, returning that answer (`undefined` when
 * every step went on). Steps that answer at once run in one synchronous loop; when a step returns a
 * promise, the rest of the loop continues from the next index once it resolves, again synchronously
 * for as long as the steps allow. The order of steps is the same either way.
 */
export function eachInOrder<T>(
  n: number,
  step: (i: number) => MaybePromise<T | undefined>,
  from = 0,
): MaybePromise<T | undefined> {
  for (let i = from; i < n; i++) {
    const answer = step(i);
    if (isThenable(answer)) {
      return (answer as Promise<T | undefined>).then((v) => (v !== undefined ? v : eachInOrder(n, step, i + 1)));
    }
    if (answer !== undefined) return answer as T;
  }
  return undefined;
}
