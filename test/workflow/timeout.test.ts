import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CONTINUE,
  exit,
  failure,
  Join,
  reaction,
  requeue,
  Retry,
  Sequential,
  Timeout,
  type Outcome,
} from '../../src/workflow/index.js';
import { deferred, leaf, newCtx, scripted, sleep, timed, unhandledRejectionsDuring, type Ctx } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Timeout with real short timers', () => {
  it('answers an error naming the child after the limit, not after the child', async () => {
    const slow = timed('slow', CONTINUE, 300);
    const started = Date.now();
    const outcome = await Timeout(20, slow)(newCtx());
    expect(outcome).toEqual(failure('slow', 'timed out after 20 ms'));
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('leaves no unhandled rejection when the late child rejects after the answer', async () => {
    const late = deferred<void>();
    const child = reaction<Ctx>('late-thrower', async () => {
      await sleep(40);
      late.resolve();
      throw new Error('too late to matter');
    });
    const seen = await unhandledRejectionsDuring(async () => {
      expect(await Timeout(20, child)(newCtx())).toEqual(failure('late-thrower', 'timed out after 20 ms'));
      await late.promise;
    });
    expect(seen).toEqual([]);
  });

  it.each<[string, Outcome]>([
    ['continue', CONTINUE],
    ['exit', exit('closed')],
    ['requeue', requeue(4)],
    ['error', failure('fast', 'no')],
  ])('passes a fast child %s through', async (_case, o) => {
    expect(await Timeout(200, leaf('fast', o, 1))(newCtx())).toEqual(o);
  });
});

describe('Timeout with fake timers', () => {
  it('expires exactly at the limit', async () => {
    vi.useFakeTimers();
    const never = reaction<Ctx>('never', () => new Promise<Outcome>(() => {}));
    let outcome: Outcome | undefined;
    void Promise.resolve(Timeout(1000, never)(newCtx())).then((o) => (outcome = o));
    await vi.advanceTimersByTimeAsync(999);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toEqual(failure('never', 'timed out after 1000 ms'));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears its timer as soon as the child answers', async () => {
    vi.useFakeTimers();
    const outcome = await Timeout(60_000, leaf('quick', requeue(3)))(newCtx());
    expect(outcome).toEqual(requeue(3));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts the signal it hands the child on expiry (and not before)', async () => {
    vi.useFakeTimers();
    let seen: AbortSignal | undefined;
    const child = reaction<Ctx>('watcher', (_ctx, signal) => {
      seen = signal;
      return new Promise<Outcome>(() => {});
    });
    void Timeout(50, child)(newCtx());
    await vi.advanceTimersByTimeAsync(0);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    expect(seen?.aborted).toBe(true);
    expect((seen?.reason as Error).message).toBe('timed out after 50 ms');
  });

  it('keeps a Sequential below it from starting further children after expiry', async () => {
    vi.useFakeTimers();
    const gate = deferred<Outcome>();
    const seq = Sequential<Ctx>('s', reaction('waits', () => gate.promise), leaf('after', CONTINUE));
    const ctx = newCtx();
    const outcome = Timeout(10, seq)(ctx);
    await vi.advanceTimersByTimeAsync(10);
    expect(await outcome).toEqual(failure('Sequential(s)', 'timed out after 10 ms'));
    gate.resolve(CONTINUE);
    await vi.advanceTimersByTimeAsync(0);
    expect(ctx.log).toEqual([]);
  });

  it('keeps a Retry below it from trying again after expiry', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const flaky = reaction<Ctx>('flaky', async () => {
      calls += 1;
      await sleep(30);
      return failure('flaky', `attempt ${calls}`);
    });
    const outcome = Timeout(50, Retry(5, flaky))(newCtx());
    await vi.advanceTimersByTimeAsync(50);
    expect(await outcome).toEqual(failure('Retry(5, flaky)', 'timed out after 50 ms'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
  });

  it('an expiring outer Timeout ends the inner one at once: no timer outlives the answer', async () => {
    vi.useFakeTimers();
    let seen: AbortSignal | undefined;
    const child = reaction<Ctx>('stuck', (_ctx, signal) => {
      seen = signal;
      return new Promise<Outcome>(() => {});
    });
    const outer = Timeout(20, Timeout(5000, child));
    const outcome = outer(newCtx());
    await vi.advanceTimersByTimeAsync(20);
    expect(await outcome).toEqual(failure('Timeout(5000ms, stuck)', 'timed out after 20 ms'));
    expect(seen?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the tighter of nested Timeouts decides', async () => {
    vi.useFakeTimers();
    const never = reaction<Ctx>('never', () => new Promise<Outcome>(() => {}));
    const outcome = Timeout(5000, Timeout(30, never))(newCtx());
    await vi.advanceTimersByTimeAsync(30);
    expect(await outcome).toEqual(failure('never', 'timed out after 30 ms'));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('inside a Join: the other children still run and the timeout is one of the errors', async () => {
    vi.useFakeTimers();
    const never = reaction<Ctx>('never', () => new Promise<Outcome>(() => {}));
    const ctx = newCtx();
    const outcome = Join('j', leaf('a', requeue(5)), Timeout(25, never), leaf('b', failure('b', 'bad')))(ctx);
    await vi.advanceTimersByTimeAsync(25);
    expect(await outcome).toEqual({
      kind: 'error',
      errors: [
        { reaction: 'never', message: 'timed out after 25 ms' },
        { reaction: 'b', message: 'bad' },
      ],
    });
    expect(ctx.log).toEqual(['a', 'b']);
  });
});

describe('Timeout construction', () => {
  it('is named Timeout(<ms>ms, child) and inherits the child’s parallel mark', () => {
    const t = Timeout(1000, leaf('x', CONTINUE));
    expect(t.reactionName).toBe('Timeout(1000ms, x)');
    expect(t.decorator).toBe('Timeout(1000ms)');
    expect(t.parallel).toBeUndefined();
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects a limit of %s ms', (ms) => {
    expect(() => Timeout(ms, leaf('x', CONTINUE))).toThrow(RangeError);
  });

  it('does not start the child when the signal it gets is already aborted', async () => {
    const c = new AbortController();
    c.abort(new Error('gone'));
    const probe = scripted('probe', CONTINUE);
    expect(await Timeout(100, probe)(newCtx(), c.signal)).toEqual(failure('Timeout(100ms, probe)', 'aborted: gone'));
    expect(probe.calls()).toBe(0);
  });
});
