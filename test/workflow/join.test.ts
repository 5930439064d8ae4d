import { describe, expect, it } from 'vitest';
import {
  CONTINUE,
  exit,
  failure,
  Join,
  mergeOutcomes,
  Parallel,
  requeue,
  Shared,
  type Outcome,
} from '../../src/workflow/index.js';
import { leaf, newCtx, thrower, timed, type Ctx } from './helpers.js';

const errA = failure('a', 'A broke');
const errB = failure('b', 'B broke');
const errC = failure('c', 'C broke');
const twoErrs: Outcome = { kind: 'error', errors: [...errA.errors, ...errB.errors] };

// [case, children outcomes in declared order, expected merge]
const mergeTable: [string, Outcome[], Outcome][] = [
  ['no children', [], CONTINUE],
  ['one continue', [CONTINUE], CONTINUE],
  ['all continue', [CONTINUE, CONTINUE, CONTINUE], CONTINUE],
  ['one exit alone', [exit('x')], exit('x')],
  ['all exit: first reason', [exit('first'), exit('second'), exit('third')], exit('first')],
  ['all exit, first without reason', [exit(), exit('second')], exit()],
  ['exit then continue', [exit('x'), CONTINUE], CONTINUE],
  ['continue then exit', [CONTINUE, exit('x')], CONTINUE],
  ['exits and a continue in the middle', [exit('x'), CONTINUE, exit('y')], CONTINUE],
  ['one requeue', [requeue(30)], requeue(30)],
  ['requeue: smallest delay', [requeue(30), requeue(5), requeue(10)], requeue(5)],
  ['requeue: smallest delay, fractional', [requeue(1.5), requeue(0.25)], requeue(0.25)],
  ['requeue beats continue', [CONTINUE, requeue(7)], requeue(7)],
  ['requeue beats exit', [exit('x'), requeue(7), exit('y')], requeue(7)],
  ['error beats continue', [CONTINUE, errA], errA],
  ['error beats exit', [exit('x'), errA], errA],
  ['error beats requeue', [requeue(1), errA], errA],
  ['error beats everything', [requeue(1), exit('x'), CONTINUE, errB], errB],
  [
    'errors aggregated in declared order',
    [errC, CONTINUE, errA, requeue(1), errB],
    { kind: 'error', errors: [...errC.errors, ...errA.errors, ...errB.errors] },
  ],
  [
    'multi-error children are flattened in order',
    [twoErrs, errC],
    { kind: 'error', errors: [...errA.errors, ...errB.errors, ...errC.errors] },
  ],
  ['identical errors are kept once', [errA, errA, errB], twoErrs],
  [
    'same reaction, different messages are both kept',
    [errA, failure('a', 'other')],
    { kind: 'error', errors: [...errA.errors, { reaction: 'a', message: 'other' }] },
  ],
];

describe('Join merge', () => {
  it.each(mergeTable)('%s (mergeOutcomes)', (_case, outcomes, expected) => {
    expect(mergeOutcomes(outcomes)).toEqual(expected);
  });

  it.each(mergeTable)('%s (Join runs every child)', async (_case, outcomes, expected) => {
    const join = Join('j', ...outcomes.map((o, i) => leaf(`leaf${i}`, o)));
    const ctx = newCtx();
    expect(await join(ctx)).toEqual(expected);
    expect(ctx.log).toEqual(outcomes.map((_, i) => `leaf${i}`));
  });

  it.each(mergeTable)('%s (Parallel children finishing in reverse order)', async (_case, outcomes, expected) => {
    const n = outcomes.length;
    const join = Join('j', ...outcomes.map((o, i) => Parallel(timed(`leaf${i}`, o, (n - i) * 40))));
    const ctx = newCtx();
    expect(await join(ctx)).toEqual(expected);
    const ends = ctx.log.filter((l) => l.startsWith('end:'));
    expect(ends).toEqual(outcomes.map((_, i) => `end:leaf${i}`).reverse());
  });
});

describe('Join execution', () => {
  it('runs every child even after an error and an exit', async () => {
    const join = Join('j', leaf('a', errA), leaf('b', exit('x')), leaf('c', CONTINUE));
    const ctx = newCtx();
    expect(await join(ctx)).toEqual(errA);
    expect(ctx.log).toEqual(['a', 'b', 'c']);
  });

  it('collects errors from thrown children, naming each leaf, in declared order', async () => {
    const join = Join('j', thrower('t1', new Error('one')), leaf('ok', CONTINUE), thrower('t2', 'two'));
    expect(await join(newCtx())).toEqual({
      kind: 'error',
      errors: [
        { reaction: 't1', message: 'one' },
        { reaction: 't2', message: 'two' },
      ],
    });
  });

  it('flattens nested Join errors in declared order', async () => {
    const join = Join('outer', Join('inner', leaf('a', errA), leaf('b', errB)), leaf('c', errC));
    expect(await join(newCtx())).toEqual({
      kind: 'error',
      errors: [...errA.errors, ...errB.errors, ...errC.errors],
    });
  });

  it('runs unmarked children alone, in order; consecutive Parallel children overlap as a batch', async () => {
    const join = Join<Ctx>(
      'j',
      timed('s1', CONTINUE, 6),
      Parallel(timed('p1', CONTINUE, 12)),
      Parallel(timed('p2', CONTINUE, 3)),
      timed('s2', CONTINUE, 1),
      Parallel(timed('p3', CONTINUE, 1)),
    );
    const ctx = newCtx();
    await join(ctx);
    expect(ctx.log).toEqual([
      'start:s1',
      'end:s1',
      'start:p1',
      'start:p2',
      'end:p2',
      'end:p1',
      'start:s2',
      'end:s2',
      'start:p3',
      'end:p3',
    ]);
  });

  it('lists a Shared error reached through two children once', async () => {
    const s = Shared(leaf('s', errA));
    const join = Join('j', s, leaf('b', errB), s);
    const ctx = newCtx();
    expect(await join(ctx)).toEqual(twoErrs);
    expect(ctx.log).toEqual(['s', 'b']);
  });

  it('is named Join(name) and exposes its children', () => {
    const a = leaf('a', CONTINUE);
    const join = Join('facets', a);
    expect(join.reactionName).toBe('Join(facets)');
    expect(join.children).toEqual([a]);
  });
});
