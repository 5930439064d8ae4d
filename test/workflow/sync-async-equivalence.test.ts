import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTINUE, invoke, isThenable, type Outcome } from '../../src/workflow/index.js';
import { build, leafAnswer, referenceLeaf, referenceMerge, roots, type LeafSpec, type Root, type Tree } from './trees.js';

/*
 * The engine answers synchronously while its children do, and waits only where a child returned a
 * promise. That must change nothing but speed: random trees of synchronous, asynchronous, throwing,
 * rejecting, exiting and requeueing leaves give the same outcome and the same leaf calls as a
 * straightforward all-async engine (the shape of the engine before, written again below), in the same
 * order — except between leaves that Parallel allowed to overlap, whose interleaving neither engine
 * promises (it depends on how soon each answers). The random trees, and the engine built from one, come
 * from trees.ts.
 */

// ---- leaves, shared by both engines -----------------------------------------------------------------

interface Ctx {
  log: string[];
}

/** The leaf at `path`: logs its call, then answers as its spec says (at once, or after its hops). */
function leafFn(spec: LeafSpec, path: string): (ctx: Ctx) => Outcome | Promise<Outcome> {
  if (spec.mode === 'sync') {
    return (ctx) => {
      ctx.log.push(path);
      return leafAnswer(spec, path);
    };
  }
  return async (ctx) => {
    ctx.log.push(path);
    for (let i = 0; i < spec.hops; i++) await null;
    return leafAnswer(spec, path);
  };
}

const rootArb = roots();

// ---- the reference: every node async, every child awaited --------------------------------------

/** Whether a node may overlap its Parallel siblings in a Join: Parallel marks, Retry/Timeout/Shared inherit. */
function marked(tree: Tree, root: Root): boolean {
  switch (tree.t) {
    case 'parallel':
      return true;
    case 'retry':
    case 'timeout':
    case 'shared':
      return marked(tree.child, root);
    case 'ref':
      return marked(root.pool[tree.index]!, root);
    default:
      return false;
  }
}

/** Consecutive marked children form one batch; every unmarked child is a batch of its own. */
function batchesOf<T>(children: T[], isMarked: (c: T) => boolean): T[][] {
  const batches: T[][] = [];
  for (const c of children) {
    const last = batches.at(-1);
    if (isMarked(c) && last !== undefined && isMarked(last[0]!)) last.push(c);
    else batches.push([c]);
  }
  return batches;
}

async function reference(root: Root, ctx: Ctx): Promise<Outcome> {
  const memo = new Map<Tree, Promise<Outcome>>();
  const once = (key: Tree, run: () => Promise<Outcome>): Promise<Outcome> => {
    let p = memo.get(key);
    if (p === undefined) {
      p = run();
      memo.set(key, p);
    }
    return p;
  };
  const go = async (tree: Tree, path: string): Promise<Outcome> => {
    switch (tree.t) {
      case 'leaf':
        try {
          return referenceLeaf(path, { answer: await leafFn(tree.leaf, path)(ctx) });
        } catch (thrown) {
          return referenceLeaf(path, { thrown });
        }
      case 'seq':
        for (const [i, c] of tree.children.entries()) {
          const o = await go(c, `${path}.${i}`);
          if (o.kind !== 'continue') return o;
        }
        return CONTINUE;
      case 'join': {
        const outcomes: Outcome[] = [];
        const indexed = tree.children.map((c, i) => ({ c, i }));
        for (const batch of batchesOf(indexed, ({ c }) => marked(c, root))) {
          outcomes.push(...(await Promise.all(batch.map(({ c, i }) => go(c, `${path}.${i}`)))));
        }
        return referenceMerge(outcomes);
      }
      case 'parallel':
      case 'timeout':
        return go(tree.child, path);
      case 'retry': {
        let o = await go(tree.child, path);
        for (let i = 0; i < tree.times && o.kind === 'error'; i++) o = await go(tree.child, path);
        return o;
      }
      case 'shared':
        return once(tree, () => go(tree.child, path));
      case 'ref':
        return once(root.pool[tree.index]!, () => go(root.pool[tree.index]!, `s${tree.index}`));
    }
  };
  return go(root.tree, 'r');
}

// ---- comparing call orders ----------------------------------------------------------------------

/**
 * For every Join in the tree (by path), the batch each child index belongs to and whether that batch
 * has more than one member: leaves under two members of one such batch may interleave.
 */
function concurrentBatches(root: Root): Map<string, { batch: number[]; size: number[] }> {
  const joins = new Map<string, { batch: number[]; size: number[] }>();
  const walk = (tree: Tree, path: string): void => {
    switch (tree.t) {
      case 'seq':
        tree.children.forEach((c, i) => walk(c, `${path}.${i}`));
        return;
      case 'join': {
        const batches = batchesOf(tree.children.map((c, i) => ({ c, i })), ({ c }) => marked(c, root));
        const batch: number[] = [];
        const size: number[] = [];
        batches.forEach((b, n) => b.forEach(({ i }) => ((batch[i] = n), (size[i] = b.length))));
        joins.set(path, { batch, size });
        tree.children.forEach((c, i) => walk(c, `${path}.${i}`));
        return;
      }
      case 'parallel':
      case 'retry':
      case 'timeout':
      case 'shared':
        walk(tree.child, path);
        return;
      default:
    }
  };
  walk(root.tree, 'r');
  root.pool.forEach((t, i) => walk(t, `s${i}`));
  return joins;
}

/** Whether the leaves at two paths may run interleaved: they sit under different members of one batch. */
function mayOverlap(a: string, b: string, joins: Map<string, { batch: number[]; size: number[] }>): boolean {
  const pa = a.split('.');
  const pb = b.split('.');
  let k = 0;
  while (k < pa.length && k < pb.length && pa[k] === pb[k]) k++;
  if (k === 0 || k >= pa.length || k >= pb.length) return false;
  const join = joins.get(pa.slice(0, k).join('.'));
  if (join === undefined) return false;
  const [i, j] = [Number(pa[k]), Number(pb[k])];
  return join.batch[i] === join.batch[j] && join.size[i]! > 1;
}

/** Each call labelled with its occurrence (a retried leaf is called several times, always in turn). */
function labelled(log: string[]): string[] {
  const seen = new Map<string, number>();
  return log.map((p) => {
    const n = (seen.get(p) ?? 0) + 1;
    seen.set(p, n);
    return `${p}#${n}`;
  });
}

/**
 * The two logs have the same calls, and every two calls that the tree orders (not two leaves Parallel
 * lets overlap; not a shared sub-workflow's leaves, which run under whichever branch reaches them
 * first, when anything overlaps) come in the same order.
 */
function expectSameOrder(got: string[], want: string[], root: Root): void {
  const joins = concurrentBatches(root);
  const anyOverlap = [...joins.values()].some((j) => j.size.some((s) => s > 1));
  if (!anyOverlap) {
    expect(got).toEqual(want);
    return;
  }
  expect([...got].sort()).toEqual([...want].sort());
  const g = labelled(got);
  const w = labelled(want);
  const posInWant = new Map(w.map((l, i) => [l, i]));
  const pathOf = (l: string) => l.slice(0, l.indexOf('#'));
  const ordered = g.filter((l) => pathOf(l).startsWith('r'));
  for (let x = 0; x < ordered.length; x++) {
    for (let y = x + 1; y < ordered.length; y++) {
      const [a, b] = [ordered[x]!, ordered[y]!];
      if (mayOverlap(pathOf(a), pathOf(b), joins)) continue;
      expect(posInWant.get(a)! < posInWant.get(b)!, `${a} before ${b} (reference: ${w.join(' ')})`).toBe(true);
    }
  }
}

function allSync(root: Root): boolean {
  const walk = (t: Tree): boolean => {
    switch (t.t) {
      case 'leaf':
        return t.leaf.mode === 'sync';
      case 'seq':
      case 'join':
        return t.children.every(walk);
      case 'ref':
        return true;
      default:
        return walk(t.child);
    }
  };
  return walk(root.tree) && root.pool.every(walk);
}

// ---- the properties -------------------------------------------------------------------------------

describe('synchronous fast path vs an all-async reference engine', () => {
  it('random trees of sync/async/throwing/exiting/requeueing leaves: same outcome, same calls, same order', async () => {
    await fc.assert(
      fc.asyncProperty(rootArb, async (root) => {
        const want: Ctx = { log: [] };
        const wantOutcome = await reference(root, want);
        const got: Ctx = { log: [] };
        const answer = invoke(build(root, leafFn), got);
        const gotOutcome = await answer;
        expect(gotOutcome).toEqual(wantOutcome);
        expectSameOrder(got.log, want.log, root);
        // A tree with no asynchronous leaf never made a promise, however deep it is.
        if (allSync(root)) expect(isThenable(answer)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('the new engine is deterministic: the same tree twice gives identical outcomes and logs', async () => {
    await fc.assert(
      fc.asyncProperty(rootArb, async (root) => {
        const [c1, c2] = [{ log: [] }, { log: [] }] as Ctx[];
        const o1 = await invoke(build(root, leafFn), c1!);
        const o2 = await invoke(build(root, leafFn), c2!);
        expect(o2).toEqual(o1);
        expect(c2!.log).toEqual(c1!.log);
      }),
      { numRuns: 150 },
    );
  });
});
