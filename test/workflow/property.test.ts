import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONTINUE,
  exit,
  failure,
  Join,
  Parallel,
  reaction,
  requeue,
  Retry,
  runWorkflow,
  Sequential,
  Shared,
  Timeout,
  type Outcome,
  type Reaction,
  type ReactionError,
} from '../../src/workflow/index.js';

// A workflow as data, so the same tree can be built into reactions and evaluated by a reference model.
type LeafResult = Outcome | { kind: 'throw'; message: string };
type Tree =
  | { t: 'leaf'; result: LeafResult }
  | { t: 'seq'; children: Tree[] }
  | { t: 'join'; children: Tree[] }
  | { t: 'parallel'; child: Tree }
  | { t: 'retry'; times: number; child: Tree }
  | { t: 'timeout'; child: Tree }
  | { t: 'shared'; child: Tree };

const leafResult: fc.Arbitrary<LeafResult> = fc.oneof(
  fc.constant(CONTINUE),
  fc.option(fc.constantFrom('a', 'b'), { nil: undefined }).map((r) => exit(r)),
  fc.integer({ min: 1, max: 600 }).map((s) => requeue(s)),
  fc.constantFrom('boom', 'bang').map((m) => failure('ignored', m)),
  fc.constantFrom('thrown', 'also thrown').map((message) => ({ kind: 'throw' as const, message })),
);

const { tree: treeArb } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'medium', withCrossShrink: true },
    fc.record({ t: fc.constant('leaf' as const), result: leafResult }),
    fc.record({ t: fc.constant('seq' as const), children: fc.array(tie('tree'), { maxLength: 5 }) }),
    fc.record({ t: fc.constant('join' as const), children: fc.array(tie('tree'), { maxLength: 5 }) }),
    fc.record({ t: fc.constant('parallel' as const), child: tie('tree') }),
    fc.record({ t: fc.constant('retry' as const), times: fc.integer({ min: 0, max: 2 }), child: tie('tree') }),
    fc.record({ t: fc.constant('timeout' as const), child: tie('tree') }),
    fc.record({ t: fc.constant('shared' as const), child: tie('tree') }),
  ),
}));

// A root with several subtrees, so most runs exercise merging and stopping, not a lone leaf.
const rootArb: fc.Arbitrary<Tree> = fc.record({
  t: fc.constantFrom('seq' as const, 'join' as const),
  children: fc.array(treeArb, { minLength: 2, maxLength: 5 }),
});

interface Ctx {
  calls: Map<string, number>;
}

/**
 * Build reactions from the model. Leaves get unique names (by position) so errors say which leaf; a
 * model failure's `reaction` is replaced by the leaf's own name, as a real leaf would report itself.
 * Every leaf yields to the fast-check scheduler, which then decides in what order they complete.
 */
function build(tree: Tree, s: fc.Scheduler, path = 'r'): Reaction<Ctx> {
  switch (tree.t) {
    case 'leaf':
      return reaction<Ctx>(path, async (ctx) => {
        ctx.calls.set(path, (ctx.calls.get(path) ?? 0) + 1);
        await s.schedule(Promise.resolve(), path);
        const r = tree.result;
        if (r.kind === 'throw') throw new Error(r.message);
        return r.kind === 'error' ? failure(path, r.errors[0]!.message) : r;
      });
    case 'seq':
      return Sequential(path, ...tree.children.map((c, i) => build(c, s, `${path}.${i}`)));
    case 'join':
      return Join(path, ...tree.children.map((c, i) => build(c, s, `${path}.${i}`)));
    case 'parallel':
      return Parallel(build(tree.child, s, path));
    case 'retry':
      return Retry(tree.times, build(tree.child, s, path));
    case 'timeout':
      // Far beyond any test run: it must not change the outcome, only be cleared.
      return Timeout(60_000, build(tree.child, s, path));
    case 'shared':
      return Shared(build(tree.child, s, path));
  }
}

/** The reference semantics, written independently of the engine. */
function expected(tree: Tree, path = 'r'): Outcome {
  switch (tree.t) {
    case 'leaf': {
      const r = tree.result;
      if (r.kind === 'throw') return failure(path, r.message);
      return r.kind === 'error' ? failure(path, r.errors[0]!.message) : r;
    }
    case 'seq': {
      for (const [i, c] of tree.children.entries()) {
        const o = expected(c, `${path}.${i}`);
        if (o.kind !== 'continue') return o;
      }
      return CONTINUE;
    }
    case 'join':
      return referenceMerge(tree.children.map((c, i) => expected(c, `${path}.${i}`)));
    case 'parallel':
    case 'retry':
    case 'timeout':
    case 'shared':
      // Leaves are deterministic, so retrying an error gives the same error, and wrappers are transparent.
      return expected(tree.child, path);
  }
}

function referenceMerge(outcomes: Outcome[]): Outcome {
  const errors: ReactionError[] = outcomes.flatMap((o) => (o.kind === 'error' ? [...o.errors] : []));
  const unique = errors.filter(
    (e, i) => errors.findIndex((f) => f.reaction === e.reaction && f.message === e.message) === i,
  );
  if (unique.length > 0) return { kind: 'error', errors: unique };
  const delays = outcomes.flatMap((o) => (o.kind === 'requeue' ? [o.afterSeconds] : []));
  if (delays.length > 0) return requeue(Math.min(...delays));
  if (outcomes.length > 0 && outcomes.every((o) => o.kind === 'exit')) return outcomes[0]!;
  return CONTINUE;
}

async function run(tree: Tree, s: fc.Scheduler): Promise<{ outcome: Outcome; calls: [string, number][] }> {
  const ctx: Ctx = { calls: new Map() };
  const outcome = await s.waitFor(runWorkflow(build(tree, s), ctx));
  return { outcome, calls: [...ctx.calls].sort(([a], [b]) => a.localeCompare(b)) };
}

describe('workflow properties', () => {
  it('a random tree returns what the reference semantics say, whatever the completion order', async () => {
    await fc.assert(
      fc.asyncProperty(rootArb, fc.scheduler(), async (tree, s) => {
        expect((await run(tree, s)).outcome).toEqual(expected(tree));
      }),
      { numRuns: 300 },
    );
  });

  it('a random Join of random trees merges like the reference merge', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(treeArb, { maxLength: 5 }), fc.scheduler(), async (children, s) => {
        const tree: Tree = { t: 'join', children: children.map((child) => ({ t: 'parallel', child })) };
        const want = referenceMerge(children.map((c, i) => expected(c, `r.${i}`)));
        expect((await run(tree, s)).outcome).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('running twice (fresh context, another completion order) gives identical outcomes and calls', async () => {
    await fc.assert(
      fc.asyncProperty(rootArb, fc.scheduler(), fc.scheduler(), async (tree, s1, s2) => {
        expect(await run(tree, s2)).toEqual(await run(tree, s1));
      }),
      { numRuns: 200 },
    );
  });

  it('a Shared tree joined with itself gives its own outcome and runs its leaves as often as once alone', async () => {
    await fc.assert(
      fc.asyncProperty(rootArb, fc.scheduler(), fc.scheduler(), async (tree, s1, s2) => {
        const alone = await run(tree, s1);
        const shared = build(tree, s2);
        const once = Shared(shared);
        const ctx: Ctx = { calls: new Map() };
        const outcome = await s2.waitFor(runWorkflow(Join('twice', Parallel(once), Parallel(once)), ctx));
        expect(outcome).toEqual(alone.outcome);
        expect([...ctx.calls].sort(([a], [b]) => a.localeCompare(b))).toEqual(alone.calls);
      }),
      { numRuns: 200 },
    );
  });
});
