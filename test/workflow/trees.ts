// Workflows as data, for the property tests: one fast-check generator of random trees, built into real
// reactions with leaves the test chooses, and the pieces of reference semantics every such test needs.
import fc from 'fast-check';
import {
  CONTINUE,
  exit,
  failure,
  Join,
  Parallel,
  reaction,
  requeue,
  Retry,
  Sequential,
  Shared,
  Timeout,
  type Outcome,
  type Reaction,
  type ReactionError,
} from '../../src/workflow/index.js';

export type Thrown = { kind: 'throw'; value: 'error' | 'string' | 'null' };
/** What a leaf does: answer an outcome, throw (an Error, a string, null), or answer something that is no outcome. */
export type LeafResult = Outcome | Thrown | { kind: 'invalid' };
export interface LeafSpec {
  /** `sync` answers (or throws) at once; otherwise a promise, settling after `hops` microtasks. */
  mode: 'sync' | 'async';
  hops: number;
  result: LeafResult;
}
export type Tree =
  | { t: 'leaf'; leaf: LeafSpec }
  | { t: 'seq'; children: Tree[] }
  | { t: 'join'; children: Tree[] }
  | { t: 'parallel'; child: Tree }
  | { t: 'retry'; times: number; child: Tree }
  | { t: 'timeout'; child: Tree }
  | { t: 'shared'; child: Tree }
  /** One of the root's shared sub-workflows, which several branches may reach. */
  | { t: 'ref'; index: number };

export interface Root {
  tree: Tree;
  /** Sub-workflows reached through `ref`, each behind one Shared; they contain no refs themselves. */
  pool: Tree[];
}

/** How big trees get: fast-check's depth bias and the most children a Sequential or Join has. */
export interface TreeSize {
  depthSize: fc.DepthSize;
  maxChildren: number;
}

const SMALL: TreeSize = { depthSize: 'small', maxChildren: 4 };

// Mostly continue, so a run usually goes deep before something stops it.
const leafResult: fc.Arbitrary<LeafResult> = fc.oneof(
  { arbitrary: fc.constant(CONTINUE), weight: 4 },
  { arbitrary: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }).map((r) => exit(r)), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 600 }).map((s) => requeue(s)), weight: 1 },
  { arbitrary: fc.constantFrom('boom', 'bang').map((m) => failure('ignored', m)), weight: 1 },
  { arbitrary: fc.constantFrom('error' as const, 'string' as const, 'null' as const).map((value): Thrown => ({ kind: 'throw', value })), weight: 1 },
  { arbitrary: fc.constant({ kind: 'invalid' as const }), weight: 1 },
);

const leafSpec: fc.Arbitrary<LeafSpec> = fc.record({
  mode: fc.constantFrom('sync' as const, 'sync' as const, 'async' as const),
  hops: fc.integer({ min: 0, max: 2 }),
  result: leafResult,
});

/** Any tree; with `poolSize` > 0 it may reach that many shared sub-workflows through `ref`. */
export function trees(poolSize: number, size: TreeSize = SMALL): fc.Arbitrary<Tree> {
  return fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: size.depthSize, withCrossShrink: true },
      fc.record({ t: fc.constant('leaf' as const), leaf: leafSpec }),
      fc.record({ t: fc.constant('seq' as const), children: fc.array(tie('tree'), { maxLength: size.maxChildren }) }),
      fc.record({ t: fc.constant('join' as const), children: fc.array(tie('tree'), { maxLength: size.maxChildren }) }),
      fc.record({ t: fc.constant('parallel' as const), child: tie('tree') }),
      fc.record({ t: fc.constant('retry' as const), times: fc.integer({ min: 0, max: 2 }), child: tie('tree') }),
      fc.record({ t: fc.constant('timeout' as const), child: tie('tree') }),
      fc.record({ t: fc.constant('shared' as const), child: tie('tree') }),
      ...(poolSize > 0 ? [fc.record({ t: fc.constant('ref' as const), index: fc.nat({ max: poolSize - 1 }) })] : []),
    ),
  })).tree;
}

/**
 * A root Sequential or Join of 2 to 5 subtrees (so most runs exercise merging and stopping, not a lone leaf),
 * with up to two shared sub-workflows.
 */
export function roots(size: TreeSize = SMALL): fc.Arbitrary<Root> {
  return fc.nat({ max: 2 }).chain((poolSize) =>
    fc.record({
      pool: fc.array(trees(0, size), { minLength: poolSize, maxLength: poolSize }),
      tree: fc.record({
        t: fc.constantFrom('seq' as const, 'join' as const),
        children: fc.array(trees(poolSize, size), { minLength: 2, maxLength: 5 }),
      }),
    }),
  );
}

/** What a leaf throws: an Error and a string name the leaf's path, so an error says which leaf. */
function thrownValue(t: Thrown, path: string): unknown {
  if (t.value === 'error') return new Error(`thrown by ${path}`);
  if (t.value === 'string') return `string from ${path}`;
  return null;
}

/**
 * The leaf at `path`'s answer: its outcome (a scripted failure names the leaf itself, as a real leaf reports
 * itself), or it throws, or it answers undefined.
 */
export function leafAnswer(spec: LeafSpec, path: string): Outcome {
  const r = spec.result;
  if (r.kind === 'throw') throw thrownValue(r, path);
  if (r.kind === 'invalid') return undefined as unknown as Outcome;
  return r.kind === 'error' ? failure(path, r.errors[0]!.message) : r;
}

/**
 * The outcome the engine should make of what a leaf answered, or of what it threw: written independently of
 * the engine (an answer that is no outcome and anything thrown are the leaf's failure).
 */
export function referenceLeaf(path: string, settled: { answer: Outcome } | { thrown: unknown }): Outcome {
  if ('answer' in settled) return settled.answer === undefined ? failure(path, 'returned an invalid outcome: undefined') : settled.answer;
  const e = settled.thrown;
  return failure(path, e instanceof Error ? e.message : typeof e === 'string' ? e : String(e));
}

/** Join's merge, written independently of the engine: errors (each once), else the shortest requeue, else exit if all exit. */
export function referenceMerge(outcomes: Outcome[]): Outcome {
  const errors: ReactionError[] = outcomes.flatMap((o) => (o.kind === 'error' ? [...o.errors] : []));
  const unique = errors.filter((e, i) => errors.findIndex((f) => f.reaction === e.reaction && f.message === e.message) === i);
  if (unique.length > 0) return { kind: 'error', errors: unique };
  const delays = outcomes.flatMap((o) => (o.kind === 'requeue' ? [o.afterSeconds] : []));
  if (delays.length > 0) return requeue(Math.min(...delays));
  if (outcomes.length > 0 && outcomes.every((o) => o.kind === 'exit')) return outcomes[0]!;
  return CONTINUE;
}

/** A leaf's function, made by the test from its spec and path (unique, so errors say which leaf). */
export type LeafFn<C> = (spec: LeafSpec, path: string) => (ctx: C) => Outcome | Promise<Outcome>;

/** The root built into reactions: the root tree at path `r`, pool entry i at `s<i>` behind one Shared. */
export function build<C extends object>(root: Root, leaf: LeafFn<C>): Reaction<C> {
  const pool = root.pool.map((t, i) => Shared(buildTree(t, `s${i}`, [], leaf)));
  return buildTree(root.tree, 'r', pool, leaf);
}

function buildTree<C extends object>(tree: Tree, path: string, pool: Reaction<C>[], leaf: LeafFn<C>): Reaction<C> {
  switch (tree.t) {
    case 'leaf':
      return reaction<C>(path, leaf(tree.leaf, path));
    case 'seq':
      return Sequential(path, ...tree.children.map((c, i) => buildTree(c, `${path}.${i}`, pool, leaf)));
    case 'join':
      return Join(path, ...tree.children.map((c, i) => buildTree(c, `${path}.${i}`, pool, leaf)));
    case 'parallel':
      return Parallel(buildTree(tree.child, path, pool, leaf));
    case 'retry':
      return Retry(tree.times, buildTree(tree.child, path, pool, leaf));
    case 'timeout':
      // Far beyond any test run: it must not change the outcome, only be cleared.
      return Timeout(60_000, buildTree(tree.child, path, pool, leaf));
    case 'shared':
      return Shared(buildTree(tree.child, path, pool, leaf));
    case 'ref':
      return pool[tree.index]!;
  }
}
