import { describe, expect, it } from 'vitest';
import {
  Join,
  Parallel,
  reaction,
  Retry,
  runWorkflow,
  Sequential,
  Shared,
  Timeout,
  CONTINUE,
  type Reaction,
} from '../../src/workflow/index.js';
import { leaf, newCtx, type Ctx } from './helpers.js';

/** A raw function with a name, bypassing reaction(): it may throw synchronously or return garbage. */
function raw(name: string, fn: (ctx: Ctx) => unknown): Reaction<Ctx> {
  return Object.assign(fn as unknown as Reaction<Ctx>, { reactionName: name });
}

// [case, failing leaf named 'bad', expected message]
const failures: [string, Reaction<Ctx>, string][] = [
  ['throws an Error', reaction('bad', () => { throw new Error('disk full'); }), 'disk full'],
  ['throws a TypeError', raw('bad', async (c) => (c as unknown as { x: { y: number } }).x.y), "Cannot read properties of undefined (reading 'y')"],
  ['throws a string', reaction('bad', () => { throw 'plain string'; }), 'plain string'],
  ['throws a number', reaction('bad', () => { throw 42; }), '42'],
  ['rejects after an await', reaction('bad', async () => { await Promise.resolve(); throw new Error('late'); }), 'late'],
  ['throws synchronously (not async)', raw('bad', () => { throw new Error('sync'); }), 'sync'],
  ['returns undefined', raw('bad', async () => undefined), 'returned an invalid outcome: undefined'],
  ['returns an unknown kind', raw('bad', async () => ({ kind: 'done' })), 'returned an invalid outcome: {"kind":"done"}'],
  ['returns a requeue of 0 s', raw('bad', async () => ({ kind: 'requeue', afterSeconds: 0 })), 'returned an invalid outcome: {"kind":"requeue","afterSeconds":0}'],
  ['returns an error with no errors', raw('bad', async () => ({ kind: 'error', errors: [] })), 'returned an invalid outcome: {"kind":"error","errors":[]}'],
];

// [wrapper, how the failing leaf is placed in a tree]
const placements: [string, (bad: Reaction<Ctx>) => Reaction<Ctx>][] = [
  ['top level', (bad) => bad],
  ['Sequential', (bad) => Sequential('s', leaf('ok', CONTINUE), bad, leaf('after', CONTINUE))],
  ['Join', (bad) => Join('j', leaf('ok', CONTINUE), bad)],
  ['Parallel in Join', (bad) => Join('j', Parallel(leaf('ok', CONTINUE)), Parallel(bad))],
  ['Timeout', (bad) => Timeout(1000, bad)],
  ['Retry', (bad) => Retry(2, bad)],
  ['Shared', (bad) => Shared(bad)],
  ['deep nesting', (bad) => Sequential('s', Join('j', Parallel(Shared(Retry(1, Timeout(1000, bad))))))],
];

describe.each(placements)('a failing leaf placed at %s', (_place, place) => {
  it.each(failures)('%s → error naming the leaf', async (_case, bad, message) => {
    const outcome = await runWorkflow(place(bad), newCtx());
    expect(outcome).toEqual({ kind: 'error', errors: [{ reaction: 'bad', message }] });
  });
});

describe('runWorkflow', () => {
  it('passes a good outcome through unchanged', async () => {
    expect(await runWorkflow(leaf('ok', CONTINUE), newCtx())).toEqual(CONTINUE);
  });

  it('stops a Sequential at the throwing leaf', async () => {
    const ctx = newCtx();
    await runWorkflow(Sequential('s', leaf('ok', CONTINUE), failures[0]![1], leaf('after', CONTINUE)), ctx);
    expect(ctx.log).toEqual(['ok']);
  });
});
