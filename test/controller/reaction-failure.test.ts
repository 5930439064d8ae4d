/**
 * Crash safety (issue #8 item 3): an exception in any one reaction of the real RisingWave tree never reaches
 * Metacontroller as a 500. It becomes Synced=False/ReactionFailed naming the reaction, and every observed
 * child is in the 200 answer: as the reactions that did finish put it, or carried over as last applied.
 *
 * Failures are injected through `reaction()` itself (src/workflow/reaction.ts, mocked below): every node of
 * the tree (leaves, composites, decorators) is made with it, so a reaction added to the tree later is
 * covered without touching this file, as long as one of REQUESTS reaches it (a test below says which
 * reaction none reaches).
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncRequest, SyncResponse } from '../../src/api/metacontroller.js';
import { risingWaveWorkflow } from '../../src/controller/risingwave.js';
import { buildApp } from '../../src/server/app.js';
import { canonicalize } from '../../src/kube/canonical.js';
import { carryOver } from '../../src/kube/carry-over.js';
import { childId, type KubeObject } from '../../src/kube/kube-object.js';
import { runSync, type SyncResult } from '../../src/controller/sync.js';
import { ConditionType, Reason } from '../../src/reactions/status/vocabulary.js';
import { fixedClock } from '../../src/kube/time.js';
import type { Reaction } from '../../src/workflow/reaction.js';
import { testSettings } from '../server/helpers.js';

type Mode = 'throw' | 'reject' | 'throw a string' | 'throw null' | 'throw an unprintable object' | 'throw after its work';
const MODES: Mode[] = ['throw', 'reject', 'throw a string', 'throw null', 'throw an unprintable object', 'throw after its work'];

/** Shared with the mock factories, which vitest hoists above the imports. */
const plan = vi.hoisted(() => ({
  /** Name of the reaction made to fail, or undefined. */
  fail: undefined as string | undefined,
  mode: 'throw' as string,
  /** Names of the reactions that ran since the last reset. */
  invoked: new Set<string>(),
  metaServiceThrows: false,
  statusCanonicalizeThrows: false,
}));

vi.mock('../../src/workflow/reaction.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/workflow/reaction.js')>();
  const marker = (name: string) => `injected failure in ${name}`;
  const fail = (name: string, mode: string): never => {
    if (mode === 'throw a string') throw marker(name);
    if (mode === 'throw null') throw null;
    if (mode === 'throw an unprintable object') {
      throw {
        toString() {
          throw new Error('cannot print me');
        },
      };
    }
    throw new Error(marker(name));
  };
  return {
    ...real,
    reaction: ((name, fn, extra) =>
      real.reaction(
        name,
        async (ctx, signal) => {
          plan.invoked.add(name);
          if (plan.fail !== name) return fn(ctx, signal);
          if (plan.mode === 'reject') return Promise.reject(new Error(marker(name)));
          if (plan.mode === 'throw after its work') {
            await fn(ctx, signal);
            return fail(name, 'throw');
          }
          return fail(name, plan.mode);
        },
        extra,
      )) as typeof real.reaction,
  };
});

// A builder deep inside a reaction: SyncMeta builds the meta Service with it (made once, like the real one).
vi.mock('../../src/builders/services.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/builders/services.js')>();
  const metaService = ((input) => {
    if (plan.metaServiceThrows) throw new TypeError("Cannot read properties of undefined (reading 'ports')");
    return real.metaService(input);
  }) as typeof real.metaService;
  return { ...real, metaService, COMPONENT_SERVICES: { ...real.COMPONENT_SERVICES, meta: metaService } };
});

// The status is canonicalised by the sync core itself, after the workflow: outside every reaction.
vi.mock('../../src/kube/canonical.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/kube/canonical.js')>();
  return {
    ...real,
    canonicalize: (<T>(value: T): T => {
      if (plan.statusCanonicalizeThrows && value !== null && typeof value === 'object' && 'conditions' in value) throw new Error('status broke');
      return real.canonicalize(value);
    }) as typeof real.canonicalize,
  };
});

const clock = fixedClock('2026-11-25T12:00:00Z');
const NOW = new Date('2026-11-25T12:00:00Z');

function fixture(name: string): SyncRequest {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}.request.json`, import.meta.url), 'utf8'));
}

function withConditions(req: SyncRequest, conditions: [string, string][], generation?: number): SyncRequest {
  const status = (req.parent.status ?? {}) as Record<string, unknown>;
  status.conditions = conditions.map(([type, s]) => ({ type, status: s, reason: 'Injected', message: 'set by the test', lastTransitionTime: '2026-11-25T11:59:00Z' }));
  req.parent.status = status;
  if (generation !== undefined) req.parent.metadata.generation = generation;
  return req;
}

/**
 * Requests that, between them, run every reaction of the tree: each lifecycle branch's barrier opens in one
 * of them. None of them removes a child when nothing fails (checked below), so "every observed child is in
 * the answer" is exact.
 */
const REQUESTS: Record<string, () => SyncRequest> = {
  'new parent': () => fixture('new-v2'),
  running: () => fixture('typical-v2'),
  'running, hook v1': () => fixture('typical-v1'),
  standalone: () => fixture('standalone-v1'),
  upgrading: () => fixture('upgrading-v2'),
  'spec changed while running': () => withConditions(fixture('typical-v2'), [['Running', 'True']], 2),
  initializing: () => withConditions(fixture('typical-v2'), [['Initializing', 'True'], ['Running', 'False']]),
  recovering: () => withConditions(fixture('typical-v2'), [['Running', 'False']]),
  'upgrade rolled out': () => withConditions(fixture('typical-v2'), [['Running', 'True'], ['Upgrading', 'True']]),
};

/** Every node of the tree, by name, each once (a Shared sub-tree is reached from several branches). */
function treeNames(root: Reaction<unknown>): string[] {
  const names = new Set<string>();
  const walk = (r: Reaction<unknown>) => {
    names.add(r.reactionName);
    for (const c of r.children ?? []) walk(c);
  };
  walk(root as Reaction<unknown>);
  return [...names].sort();
}

const observedOf = (req: SyncRequest) => Object.values(req.children ?? {}).flatMap((byName) => Object.values(byName)) as KubeObject[];
const text = (o: unknown) => JSON.stringify(o);

function synced(response: SyncResponse): { status: string; reason: string; message: string } | undefined {
  return (response.status.conditions as { type: string; status: string; reason: string; message: string }[] | undefined)?.find((c) => c.type === ConditionType.Synced);
}

/**
 * The answer to a sync in which one reaction failed, against the answer without the failure: every observed
 * child is there, each exactly as carried over (canonical last-applied form) or as the complete sync put it,
 * and every other child is one the complete sync also put, byte for byte.
 */
function expectNothingLost(req: SyncRequest, response: SyncResponse, baseline: SyncResponse, label: string): void {
  const out = new Map(response.children.map((c) => [childId(c as KubeObject), text(c)]));
  const base = new Map(baseline.children.map((c) => [childId(c as KubeObject), text(c)]));
  const observed = new Map(observedOf(req).map((o) => [childId(o), o]));
  for (const [id, obj] of observed) {
    const got = out.get(id);
    expect(got, `${label}: observed ${id} missing`).toBeDefined();
    const carried = text(canonicalize(carryOver(obj)));
    expect([carried, base.get(id)], `${label}: ${id} is neither carried over nor as decided`).toContain(got);
  }
  for (const [id, got] of out) if (!observed.has(id)) expect(got, `${label}: new ${id}`).toBe(base.get(id));
  expect(out.size, `${label}: a child twice`).toBe(response.children.length);
}

function expectReactionFailed(result: Pick<SyncResult, 'response'> & { outcome?: string }, name: string, mode: Mode, label: string): void {
  if (result.outcome !== undefined) expect(result.outcome, label).toBe('error');
  const c = synced(result.response);
  expect(c, `${label}: Synced condition`).toMatchObject({ status: 'False', reason: Reason.ReactionFailed });
  expect(c!.message, label).toContain(name);
  if (mode === 'throw null') expect(c!.message, label).toContain(`: null`);
  else if (mode === 'throw an unprintable object') expect(c!.message, label).toContain('unknown error');
  else expect(c!.message, label).toContain(`injected failure in ${name}`);
  expect(result.response.resyncAfterSeconds, `${label}: Metacontroller is asked to call again`).toBeGreaterThan(0);
}

const NAMES = treeNames(risingWaveWorkflow as Reaction<unknown>);
/** For each reaction, the first request that runs it, with the answer of that request when nothing fails. */
const reach = new Map<string, { request: string; baseline: SyncResponse }>();

beforeAll(async () => {
  for (const [label, make] of Object.entries(REQUESTS)) {
    plan.invoked.clear();
    const result = await runSync(make(), { clock });
    expect(result.outcome, `${label} without failures`).not.toBe('error');
    expect(result.removed, `${label} removes nothing without failures`).toEqual([]);
    for (const name of plan.invoked) if (!reach.has(name)) reach.set(name, { request: label, baseline: result.response });
  }
});

beforeEach(() => {
  plan.fail = undefined;
  plan.mode = 'throw';
  plan.metaServiceThrows = false;
  plan.statusCanonicalizeThrows = false;
});

describe('a failing reaction never costs a child (runSync)', () => {
  it('the requests reach every reaction of the tree', () => {
    expect(NAMES.length).toBeGreaterThan(30);
    expect(NAMES.filter((n) => !reach.has(n)), 'reactions no request runs: add a request to REQUESTS').toEqual([]);
  });

  it.each(NAMES)('%s: every way of failing becomes ReactionFailed naming it; every observed child is kept', async (name) => {
    const { request, baseline } = reach.get(name)!;
    for (const mode of MODES) {
      plan.fail = name;
      plan.mode = mode;
      const req = REQUESTS[request]!();
      const result = await runSync(req, { clock });
      const label = `${name} (${mode}) on "${request}"`;
      expectReactionFailed(result, name, mode, label);
      expectNothingLost(req, result.response, baseline, label);
      expect(result.removed, label).toEqual([]);
    }
  });

  it('the whole tree failing at its root: every observed child carried over, exactly, and nothing new', async () => {
    plan.fail = risingWaveWorkflow.reactionName;
    for (const request of Object.keys(REQUESTS)) {
      const req = REQUESTS[request]!();
      const result = await runSync(req, { clock });
      expectReactionFailed(result, risingWaveWorkflow.reactionName, 'throw', request);
      const carried = observedOf(req)
        .map((o) => [childId(o), text(canonicalize(carryOver(o)))] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1));
      expect(result.response.children.map((c) => [childId(c as KubeObject), text(c)]), request).toEqual(carried);
    }
  });

  it("a failing SyncMeta leaves the meta children as last applied while the others take the new spec", async () => {
    // A new image changes every workload: the complete sync would update risingwave-meta too.
    const changed = () => {
      const req = withConditions(fixture('typical-v2'), [['Running', 'True']], 2);
      (req.parent.spec as { image: string }).image = 'risingwavelabs/risingwave:v9.9.9';
      return req;
    };
    const baseline = (await runSync(changed(), { clock })).response;
    plan.fail = 'SyncMeta';
    const req = changed();
    const result = await runSync(req, { clock });
    expectReactionFailed(result, 'SyncMeta', 'throw', 'SyncMeta');
    expectNothingLost(req, result.response, baseline, 'SyncMeta');
    const byId = new Map(result.response.children.map((c) => [childId(c as KubeObject), c as KubeObject]));
    const observed = new Map(observedOf(req).map((o) => [childId(o), o]));
    for (const id of ['StatefulSet.apps/v1/risingwave-meta', 'Service.v1/risingwave-meta']) {
      expect(text(byId.get(id)), id).toBe(text(canonicalize(carryOver(observed.get(id)!))));
    }
    expect(text(byId.get('StatefulSet.apps/v1/risingwave-meta'))).not.toContain('v9.9.9');
    expect(text(byId.get('StatefulSet.apps/v1/risingwave-compute'))).toContain('v9.9.9');
  });

  it('a builder throwing deep inside a reaction is reported against that reaction; its children are carried over', async () => {
    const req = fixture('typical-v2');
    const baseline = (await runSync(fixture('typical-v2'), { clock })).response;
    plan.metaServiceThrows = true;
    const result = await runSync(req, { clock });
    expect(result.outcome).toBe('error');
    expect(synced(result.response)!.message).toContain("SyncMeta: Cannot read properties of undefined (reading 'ports')");
    expectNothingLost(req, result.response, baseline, 'metaService throws');
    const observed = observedOf(req).find((o) => childId(o) === 'Service.v1/risingwave-meta')!;
    const meta = result.response.children.find((c) => childId(c as KubeObject) === 'Service.v1/risingwave-meta');
    expect(text(meta)).toBe(text(canonicalize(carryOver(observed))));
  });
});

describe('a failing reaction never reaches Metacontroller as a 500 (POST /sync)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // The real core and its answer cache: an answer with a failed reaction must not be cached either.
    app = buildApp(testSettings(), { now: () => new Date(NOW.getTime()) });
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (req: SyncRequest) => app.inject({ method: 'POST', url: '/sync', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(req) });

  it.each(NAMES.map((name, i) => [name, MODES[i % MODES.length]!] as const))('%s (%s): 200, ReactionFailed, every observed child', async (name, mode) => {
    const { request, baseline } = reach.get(name)!;
    plan.fail = name;
    plan.mode = mode;
    const req = REQUESTS[request]!();
    const res = await post(req);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const response = JSON.parse(res.body) as SyncResponse;
    expectReactionFailed({ response }, name, mode, `${name} over HTTP`);
    expectNothingLost(req, response, baseline, `${name} over HTTP`);
    // The same body once the failure is gone is computed again, not answered from the cache.
    plan.fail = undefined;
    const again = JSON.parse((await post(req)).body) as SyncResponse;
    expect(synced(again)?.reason, `${name}: answered again after the failure`).not.toBe(Reason.ReactionFailed);
  });

  /*
   * A failure outside every reaction (here: canonicalising the status, after the workflow) leaves no
   * trustworthy answer to build: the sync core itself is what failed. The server answers 500, and that IS
   * the nothing-lost answer: Metacontroller applies nothing on a non-200 (reference/metacontroller.md §2.4:
   * no child created, updated or deleted, status not written) and retries with backoff. The rule
   * (a condition, children carried over) is about one reaction's exception, covered above.
   */
  it('a failure of the sync core outside every reaction is a 500 with a JSON error, and the server keeps serving', async () => {
    // A body no earlier test sent: an answer cached for it would be served without running the core.
    const req = () => {
      const r = fixture('typical-v2');
      r.parent.metadata.labels = { 'test/unique': 'outside-reactions' };
      return r;
    };
    plan.statusCanonicalizeThrows = true;
    await expect(runSync(req(), { clock })).rejects.toThrow('status broke');
    const res = await post(req());
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: 'Internal Server Error', message: 'internal error; see the hook log' });
    plan.statusCanonicalizeThrows = false;
    expect((await post(req())).statusCode).toBe(200);
  });
});
