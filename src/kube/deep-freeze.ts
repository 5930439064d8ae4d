/**
 * Objects shared between syncs (parsed request pieces, prepared parents, built workloads) are frozen all
 * the way down: a reaction that wrote to one would throw instead of corrupting the next sync. Roots frozen
 * here are remembered, so a cache handed such an object can keep it as it is, and a later freeze skips it.
 */
const deeplyFrozen = new WeakSet<object>();

/** Freezes `root` and everything under it; iterative, as a request piece can be nested deeper than the stack. */
export function deepFreeze<T>(root: T): T {
  if (root === null || typeof root !== 'object' || deeplyFrozen.has(root)) return root;
  const stack: object[] = [root];
  while (stack.length > 0) {
    const v = stack.pop()!;
    Object.freeze(v);
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && typeof x === 'object' && !deeplyFrozen.has(x)) stack.push(x);
    }
  }
  deeplyFrozen.add(root);
  return root;
}

/** True for an object `deepFreeze` froze: nothing in it can change. */
export function isDeepFrozen(v: unknown): boolean {
  return v !== null && typeof v === 'object' && deeplyFrozen.has(v);
}
