import type { RisingWaveContext } from '../context.js';
import { readiness, type Readiness } from './readiness.js';

const memo = new WeakMap<RisingWaveContext, Readiness>();

/**
 * How far the observed children are from this sync's desired set, computed once per sync. Only meaningful
 * after "sync components and sub-resources" has run: every caller sits behind it in the tree.
 */
export function readinessOf(ctx: RisingWaveContext): Readiness {
  let r = memo.get(ctx);
  if (r === undefined) {
    r = readiness(generationOf(ctx), ctx.observed, ctx.desired);
    memo.set(ctx, r);
  }
  return r;
}

/** The RisingWave's metadata.generation (0 when the request left it out). */
export function generationOf(ctx: RisingWaveContext): number {
  const g = ctx.rw.metadata.generation;
  return typeof g === 'number' && Number.isFinite(g) ? g : 0;
}
