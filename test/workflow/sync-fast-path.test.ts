import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../src/kube/time.js';
import {
  CONTINUE,
  exit,
  failure,
  If,
  invoke,
  isThenable,
  Join,
  Nop,
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
} from '../../src/workflow/index.js';
import { risingWaveWorkflow } from '../../src/controller/risingwave.js';
import { runSync } from '../../src/controller/sync.js';
import type { RisingWaveContext } from '../../src/reactions/context.js';
import type { SyncRequest } from '../../src/api/metacontroller.js';
import { deferred, leaf, newCtx, scripted, type Ctx } from './helpers.js';

/*
 * Most reactions are pure and answer at once. The engine must then answer at once too: no promise and
 * no microtask hop per node (a sync of the RisingWave tree used to pay several hundred). These tests
 * fail on an engine that wraps every node in an async function, because its answer is a promise and
 * nothing has run to completion when the call returns.
 */

afterEach(() => {
  vi.useRealTimers();
});

/** A leaf that logs its name and answers synchronously (helpers' `leaf` is async). */
function now(name: string, outcome: Outcome): Reaction<Ctx> {
  return reaction<Ctx>(name, (ctx) => {
    ctx.log.push(name);
    return outcome;
  });
}

/** A leaf that logs its name and throws synchronously. */
function throwsNow(name: string, thrown: unknown): Reaction<Ctx> {
  return reaction<Ctx>(name, (ctx) => {
    ctx.log.push(name);
    throw thrown;
  });
}

/** `invoke`'s answer, which must not be a promise. */
function answeredNow(r: Reaction<Ctx>, ctx: Ctx, signal?: AbortSignal): Outcome {
  const o = invoke(r, ctx, signal);
  expect(isThenable(o), `${r.reactionName} answered with a promise`).toBe(false);
  return o as Outcome;
}

/** Every engine node, nested, over synchronous leaves; `mid` is the leaf in the middle of it. */
function everyNode(mid: Reaction<Ctx>): Reaction<Ctx> {
  const shared = Shared(Sequential<Ctx>('shared', now('s1', CONTINUE), now('s2', CONTINUE)));
  return Sequential<Ctx>(
    'root',
    now('gate', CONTINUE),
    Join(
      'join',
      Sequential('a', now('a1', CONTINUE), shared, mid),
      Parallel(Timeout(1000, Retry(2, scripted('flaky', failure('flaky', 'once'), CONTINUE)))),
      Parallel(Sequential('b', shared, now('b1', requeue(30)))),
      If(true, now('c', CONTINUE)),
      If(false, now('never', CONTINUE)),
      Nop,
    ),
    now('after-join', CONTINUE),
  );
}

const everyNodeLog = ['gate', 'a1', 's1', 's2', 'mid', 'flaky', 'flaky', 'b1', 'c'];

describe('a tree of synchronous reactions answers synchronously', () => {
  it('every node type nested: invoke returns a plain Outcome and every reaction has run when it returns', () => {
    vi.useFakeTimers();
    const ctx = newCtx();
    expect(answeredNow(everyNode(now('mid', CONTINUE)), ctx)).toEqual(requeue(30));
    expect(ctx.log).toEqual(everyNodeLog);
    // Timeout set no timer for a child that could not be interrupted anyway.
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each<[string, (child: Reaction<Ctx>) => Reaction<Ctx>]>([
    ['Sequential', (c) => Sequential('s', c, c)],
    ['Join', (c) => Join('j', c, c)],
    ['Join of a Parallel batch', (c) => Join('j', Parallel(c), Parallel(c))],
    ['Parallel', (c) => Parallel(c)],
    ['Timeout', (c) => Timeout(50, c)],
    ['Retry', (c) => Retry(3, c)],
    ['Shared', (c) => Shared(c)],
    ['If(true)', (c) => If(true, c)],
  ])('%s over a synchronous child answers synchronously', (_name, wrap) => {
    const ctx = newCtx();
    expect(answeredNow(wrap(now('x', requeue(4))), ctx)).toEqual(requeue(4));
    expect(ctx.log.length).toBeGreaterThan(0);
  });

  it('Nop answers synchronously', () => {
    expect(answeredNow(Nop, newCtx())).toEqual(CONTINUE);
  });

  it('runWorkflow still returns a promise, but the tree has already run when it returns', async () => {
    const ctx = newCtx();
    const answer = runWorkflow(everyNode(now('mid', CONTINUE)), ctx);
    expect(answer).toBeInstanceOf(Promise);
    expect(ctx.log).toEqual(everyNodeLog);
    expect(await answer).toEqual(requeue(30));
  });

  it('a synchronous throw inside a Parallel batch is named, and the rest of the batch and the Join still run', () => {
    const ctx = newCtx();
    const join = Join<Ctx>(
      'j',
      Parallel(now('p1', CONTINUE)),
      Parallel(throwsNow('bad', new Error('sync boom'))),
      Parallel(throwsNow('worse', 'a string')),
      Parallel(now('p4', exit('x'))),
      now('after', CONTINUE),
    );
    expect(answeredNow(join, ctx)).toEqual({
      kind: 'error',
      errors: [
        { reaction: 'bad', message: 'sync boom' },
        { reaction: 'worse', message: 'a string' },
      ],
    });
    expect(ctx.log).toEqual(['p1', 'bad', 'worse', 'p4', 'after']);
  });

  it.each<[string, () => unknown, string]>([
    ['throw null', () => { throw null; }, 'null'],
    ['throw an object whose toString throws', () => { throw { toString: () => { throw new Error('no'); } }; }, 'unknown error'],
    ['return undefined', () => undefined, 'returned an invalid outcome: undefined'],
    ['return a value whose getters throw', () => Object.defineProperty({}, 'kind', { get: () => { throw new Error('getter broke'); } }), 'getter broke'],
    ['return an object whose `then` getter throws', () => Object.defineProperty({}, 'then', { get: () => { throw new Error('then broke'); } }), 'then broke'],
  ])('a synchronous reaction that does %s deep in a tree is an error naming it, answered synchronously', (_case, fn, message) => {
    const bad = Object.assign(fn as unknown as Reaction<Ctx>, { reactionName: 'bad' });
    const tree = Sequential<Ctx>('s', Join('j', Parallel(Shared(Retry(1, Timeout(100, bad))))));
    expect(answeredNow(tree, newCtx())).toEqual(failure('bad', message));
  });

  it('Shared over a synchronous child: runs once per context, every caller gets the same outcome at once', () => {
    const work = scripted('work', requeue(8));
    const s = Shared(work);
    const got: Outcome[] = [];
    const probe = (name: string) =>
      reaction<Ctx>(name, (ctx, signal) => {
        const o = answeredNow(s, ctx, signal);
        got.push(o);
        return o;
      });
    const ctx = newCtx();
    const join = Join<Ctx>('j', Sequential('a', probe('use-a')), Parallel(probe('use-b')), Parallel(probe('use-c')));
    expect(answeredNow(join, ctx)).toEqual(requeue(8));
    expect(work.calls()).toBe(1);
    expect(got).toHaveLength(3);
    expect(got[1]).toBe(got[0]);
    expect(got[2]).toBe(got[0]);
    answeredNow(s, newCtx());
    expect(work.calls()).toBe(2);
  });

  it('a synchronous child that aborts the signal keeps Sequential and Join from starting the next child', () => {
    for (const make of [(kids: Reaction<Ctx>[]) => Sequential('s', ...kids), (kids: Reaction<Ctx>[]) => Join('j', ...kids)]) {
      const c = new AbortController();
      const ctx = newCtx();
      const stopper = reaction<Ctx>('stopper', (x) => {
        x.log.push('stopper');
        c.abort(new Error('enough'));
        return CONTINUE;
      });
      const composite = make([stopper, now('next', CONTINUE)]);
      expect(answeredNow(composite, ctx, c.signal)).toEqual(failure(composite.reactionName, 'aborted: enough'));
      expect(ctx.log).toEqual(['stopper']);
    }
  });
});

describe('Timeout over a child that answers synchronously', () => {
  it('answers the child’s outcome even when the child ran past the limit: it could not be interrupted', () => {
    const slow = reaction<Ctx>('slow', () => {
      const until = Date.now() + 15;
      while (Date.now() < until) {
        // busy: a synchronous reaction holds the thread, no timer can fire
      }
      return exit('done');
    });
    expect(answeredNow(Timeout(5, slow), newCtx())).toEqual(exit('done'));
  });

  it('counts the synchronous part of a child that then returns a promise towards the limit', async () => {
    vi.useFakeTimers();
    // 30 ms of (fake) synchronous work, then a promise that never settles.
    const child = reaction<Ctx>('slow-start', () => {
      vi.setSystemTime(Date.now() + 30);
      return new Promise<Outcome>(() => {});
    });
    let outcome: Outcome | undefined;
    void Promise.resolve(Timeout(20, child)(newCtx())).then((o) => (outcome = o));
    // The limit has already passed: the timer is due at once, not 20 ms after the synchronous part.
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome).toEqual(failure('slow-start', 'timed out after 20 ms'));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a parent signal aborted by the child’s synchronous part wins, as when the listener was set first', () => {
    const parent = new AbortController();
    let childSignal: AbortSignal | undefined;
    const child = reaction<Ctx>('aborts-parent', (_ctx, signal) => {
      childSignal = signal;
      parent.abort(new Error('outer gone'));
      return CONTINUE;
    });
    expect(answeredNow(Timeout(100, child), newCtx(), parent.signal)).toEqual(failure('Timeout(100ms, aborts-parent)', 'aborted: outer gone'));
    expect(childSignal?.aborted).toBe(true);
  });
});

describe('a tree with one asynchronous leaf', () => {
  it('gives the same outcome and the same order as the all-synchronous tree, switching to a promise only there', async () => {
    const syncCtx = newCtx();
    const expected = answeredNow(everyNode(now('mid', CONTINUE)), syncCtx);
    const ctx = newCtx();
    const answer = invoke(everyNode(leaf('mid', CONTINUE)), ctx);
    expect(isThenable(answer)).toBe(true);
    // Everything up to the asynchronous leaf has run synchronously; the rest waits for it.
    expect(ctx.log).toEqual(everyNodeLog.slice(0, everyNodeLog.indexOf('mid') + 1));
    expect(await answer).toEqual(expected);
    expect(ctx.log).toEqual(syncCtx.log);
  });

  it('children after an asynchronous one wait for it, then run synchronously again', async () => {
    const gate = deferred<Outcome>();
    const waits = reaction<Ctx>('waits', (ctx) => {
      ctx.log.push('waits');
      return gate.promise;
    });
    const ctx = newCtx();
    const answer = invoke(Sequential<Ctx>('s', now('a', CONTINUE), waits, now('b', CONTINUE), Join('j', now('c', CONTINUE), now('d', requeue(2)))), ctx);
    expect(ctx.log).toEqual(['a', 'waits']);
    await Promise.resolve();
    expect(ctx.log).toEqual(['a', 'waits']);
    gate.resolve(CONTINUE);
    expect(await answer).toEqual(requeue(2));
    expect(ctx.log).toEqual(['a', 'waits', 'b', 'c', 'd']);
  });

  it('Shared: a second caller arriving while an asynchronous first run is pending gets the same run', async () => {
    const gate = deferred<Outcome>();
    let calls = 0;
    const s = Shared(reaction<Ctx>('slow', () => {
      calls += 1;
      return gate.promise;
    }));
    const ctx = newCtx();
    const join = invoke(Join<Ctx>('j', Parallel(s), Parallel(Sequential('b', now('b', CONTINUE), s))), ctx);
    expect(calls).toBe(1);
    expect(ctx.log).toEqual(['b']);
    gate.resolve(exit('later'));
    expect(await join).toEqual(exit('later'));
    expect(calls).toBe(1);
    // Settled: a caller arriving now gets the very same outcome without waiting.
    expect(answeredNow(s, ctx)).toBe(await join);
  });

  it('a foreign thenable is waited for like a promise', async () => {
    const foreign = reaction<Ctx>('foreign', () => ({ then: (ok: (o: Outcome) => void) => ok(requeue(6)) }) as unknown as Outcome);
    const answer = invoke(Sequential<Ctx>('s', foreign, now('after', CONTINUE)), newCtx());
    expect(isThenable(answer)).toBe(true);
    expect(await answer).toEqual(requeue(6));
  });
});

describe('the RisingWave tree', () => {
  const fixture = (name: string): SyncRequest => JSON.parse(readFileSync(new URL(`../fixtures/${name}.request.json`, import.meta.url), 'utf8'));

  // upgrading-v2's open Upgrading branch goes through RolloutDeadline, which answers at once too.
  it.each(['typical-v2', 'typical-v1', 'new-v2', 'standalone-v1', 'upgrading-v2'])('answers %s synchronously: no node of it waits', async (name) => {
    let synchronous: boolean | undefined;
    const probe = reaction<RisingWaveContext>('probe', (ctx) => {
      const o = invoke(risingWaveWorkflow, ctx);
      synchronous = !isThenable(o);
      return o;
    });
    const result = await runSync(fixture(name), { clock: fixedClock('2026-11-25T12:00:00Z'), workflow: probe });
    expect(result.outcome).not.toBe('error');
    expect(synchronous).toBe(true);
  });
});
