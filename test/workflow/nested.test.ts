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
} from '../../src/workflow/index.js';
import { newCtx, scripted, sleep, type Ctx } from './helpers.js';

interface Script {
  gate?: Outcome;
  sync?: Outcome;
  flaky?: Outcome[];
  slowMs?: number;
  status?: Outcome;
}

/**
 * A tree shaped like the RisingWave one: a gate, then a Join of barrier branches that each need the
 * Shared "sync components" step, a flaky facet under Retry and a possibly slow one under Timeout,
 * then a step that must run only when everything before continued.
 */
function build(s: Script) {
  const gate = scripted('gate', s.gate ?? CONTINUE);
  const sync = scripted('sync-components', s.sync ?? CONTINUE);
  const flaky = scripted('flaky', ...(s.flaky ?? [CONTINUE]));
  const slow = reaction<Ctx>('slow', async (ctx) => {
    ctx.log.push('slow');
    await sleep(s.slowMs ?? 0);
    return CONTINUE;
  });
  const shared = Shared(Sequential<Ctx>('sync', sync));
  const tree = Sequential<Ctx>(
    'root',
    gate,
    Join(
      'reconcile',
      Sequential('initializing', scripted('barrier-init', CONTINUE), shared, scripted('mark-init', CONTINUE)),
      Sequential('upgrading', scripted('barrier-upgrade', CONTINUE), shared, scripted('mark-upgrade', CONTINUE)),
      Parallel(Timeout(30, Retry(2, flaky))),
      Parallel(Timeout(30, slow)),
    ),
    scripted('status', s.status ?? CONTINUE),
  );
  return { tree, sync, flaky };
}

const everything = [
  'gate',
  'barrier-init',
  'sync-components',
  'mark-init',
  'barrier-upgrade',
  'mark-upgrade',
];

describe('Sequential of Joins with Shared, Timeout and Retry', () => {
  // [case, script, expected outcome, log prefix (serial part), calls of sync, calls of flaky]
  it.each<[string, Script, Outcome, string[], number, number]>([
    ['all well', {}, CONTINUE, [...everything, 'status'], 1, 1],
    ['gate closed: nothing else runs', { gate: exit('paused') }, exit('paused'), ['gate'], 0, 0],
    ['gate requeues', { gate: requeue(10) }, requeue(10), ['gate'], 0, 0],
    [
      'shared sync requeues: marks and status skipped, requeue surfaces once',
      { sync: requeue(15) },
      requeue(15),
      ['gate', 'barrier-init', 'sync-components', 'barrier-upgrade'],
      1,
      1,
    ],
    [
      'shared sync fails: one error, status skipped',
      { sync: failure('sync-components', 'api down') },
      failure('sync-components', 'api down'),
      ['gate', 'barrier-init', 'sync-components', 'barrier-upgrade'],
      1,
      1,
    ],
    [
      'flaky recovers within its retries',
      { flaky: [failure('flaky', '1'), failure('flaky', '2'), CONTINUE] },
      CONTINUE,
      [...everything, 'status'],
      1,
      3,
    ],
    [
      'flaky keeps failing: last error, status skipped',
      { flaky: [failure('flaky', '1'), failure('flaky', '2'), failure('flaky', '3'), CONTINUE] },
      failure('flaky', '3'),
      everything,
      1,
      3,
    ],
    [
      'flaky exits: not retried, others continue so the Join continues',
      { flaky: [exit('waiting')] },
      CONTINUE,
      [...everything, 'status'],
      1,
      1,
    ],
    [
      'slow facet times out: error naming it, status skipped',
      { slowMs: 200 },
      failure('slow', 'timed out after 30 ms'),
      everything,
      1,
      1,
    ],
    [
      'errors from several branches are listed in declared order',
      { sync: failure('sync-components', 'api down'), flaky: [failure('flaky', 'x')], slowMs: 200 },
      {
        kind: 'error',
        errors: [
          { reaction: 'sync-components', message: 'api down' },
          { reaction: 'flaky', message: 'x' },
          { reaction: 'slow', message: 'timed out after 30 ms' },
        ],
      },
      ['gate', 'barrier-init', 'sync-components', 'barrier-upgrade'],
      1,
      3,
    ],
  ])('%s', async (_case, script, expected, serialLog, syncCalls, flakyCalls) => {
    const { tree, sync, flaky } = build(script);
    const ctx = newCtx();
    expect(await runWorkflow(tree, ctx)).toEqual(expected);
    // The Parallel facets interleave with nothing serial (they form their own batch), so removing
    // them leaves the serial log in declared order.
    expect(ctx.log.filter((l) => l !== 'flaky' && l !== 'slow')).toEqual(serialLog);
    expect(sync.calls()).toBe(syncCalls);
    expect(flaky.calls()).toBe(flakyCalls);
  });

  it('gives identical outcomes and logs on a second run with a fresh context', async () => {
    const script: Script = { sync: requeue(5), flaky: [failure('flaky', 'a'), CONTINUE] };
    const a = build(script);
    const b = build(script);
    const [c1, c2] = [newCtx(), newCtx()];
    expect(await runWorkflow(a.tree, c1)).toEqual(await runWorkflow(b.tree, c2));
    expect(c1.log).toEqual(c2.log);
  });
});
