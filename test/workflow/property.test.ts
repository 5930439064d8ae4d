import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTINUE, Join, Parallel, runWorkflow, Shared, type Outcome } from '../../src/workflow/index.js';
import { build, leafAnswer, referenceLeaf, referenceMerge, roots, trees, type LeafFn, type Root, type Tree, type TreeSize } from './trees.js';

// Deeper and wider trees than the sync/async equivalence test, which also compares call orders.
const SIZE: TreeSize = { depthSize: 'medium', maxChildren: 5 };
const rootArb = roots(SIZE);

interface Ctx {
  log: string[];
}

/**
 * Leaves log their path, yield to the fast-check scheduler, which decides in what order they complete, then
 * answer as their spec says. Every leaf yields, whatever its mode, so every tree has as many completion orders
 * as it can (sync-async-equivalence.test.ts is where synchronous leaves answer at once).
 */
function leaves(s: fc.Scheduler): LeafFn<Ctx> {
  return (spec, path) => async (ctx) => {
    ctx.log.push(path);
    await s.schedule(Promise.resolve(), path);
    return leafAnswer(spec, path);
  };
}

/** The reference semantics, written independently of the engine. */
function expected(root: Root, tree: Tree = root.tree, path = 'r'): Outcome {
  switch (tree.t) {
    case 'leaf':
      try {
        return referenceLeaf(path, { answer: leafAnswer(tree.leaf, path) });
      } catch (thrown) {
        return referenceLeaf(path, { thrown });
      }
    case 'seq': {
      for (const [i, c] of tree.children.entries()) {
        const o = expected(root, c, `${path}.${i}`);
        if (o.kind !== 'continue') return o;
      }
      return CONTINUE;
    }
    case 'join':
      return referenceMerge(tree.children.map((c, i) => expected(root, c, `${path}.${i}`)));
    case 'parallel':
    case 'retry':
    case 'timeout':
    case 'shared':
      // Leaves are deterministic, so retrying an error gives the same error, and wrappers are transparent.
      return expected(root, tree.child, path);
    case 'ref':
      // A shared sub-workflow answers the same to every branch that reaches it.
      return expected(root, root.pool[tree.index]!, `s${tree.index}`);
  }
}

/** How often each leaf was called, by path. */
function callCounts(log: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const path of log) counts.set(path, (counts.get(path) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
}

async function run(root: Root, s: fc.Scheduler): Promise<{ outcome: Outcome; calls: [string, number][] }> {
  const ctx: Ctx = { log: [] };
  const outcome = await s.waitFor(runWorkflow(build(root, leaves(s)), ctx));
  return { outcome, calls: callCounts(ctx.log) };
}

describe('workflow properties', () => {
  it('a random tree returns what the reference semantics say, whatever the completion order', async () => {
    await fc.assert(
      fc.asyncProperty(rootArb, fc.scheduler(), async (root, s) => {
        expect((await run(root, s)).outcome).toEqual(expected(root));
      }),
      { numRuns: 300 },
    );
  });

  it('a random Join of random trees merges like the reference merge', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(trees(0, SIZE), { maxLength: 5 }), fc.scheduler(), async (children, s) => {
        const root: Root = { tree: { t: 'join', children: children.map((child) => ({ t: 'parallel', child })) }, pool: [] };
        const want = referenceMerge(children.map((c, i) => expected(root, c, `r.${i}`)));
        expect((await run(root, s)).outcome).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('running twice (fresh context, another completion order) gives identical outcomes and calls', async () => {
    await fc.assert(
      fc.asyncProperty(rootArb, fc.scheduler(), fc.scheduler(), async (root, s1, s2) => {
        expect(await run(root, s2)).toEqual(await run(root, s1));
      }),
      { numRuns: 200 },
    );
  });

  it('a Shared tree joined with itself gives its own outcome and runs its leaves as often as once alone', async () => {
    await fc.assert(
      fc.asyncProperty(rootArb, fc.scheduler(), fc.scheduler(), async (root, s1, s2) => {
        const alone = await run(root, s1);
        const once = Shared(build(root, leaves(s2)));
        const ctx: Ctx = { log: [] };
        const outcome = await s2.waitFor(runWorkflow(Join('twice', Parallel(once), Parallel(once)), ctx));
        expect(outcome).toEqual(alone.outcome);
        expect(callCounts(ctx.log)).toEqual(alone.calls);
      }),
      { numRuns: 200 },
    );
  });
});
