// Every RisingWave in examples/, one deterministic pass at a time (test/e2e/driver): the first pass of the
// Metacontroller loop through the real hook creates exactly the children the hook returned, and the API server
// stores each of them (ownerRef, selector label, last-applied equal to the response) and the status the hook
// returned; a second pass over them writes no child. What only the real Metacontroller shows (Running=True,
// printer columns, rest, garbage collection) is in ../metacontroller/examples.test.ts. Examples run one after
// another and are deleted after their checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../driver/sync-driver.js';
import { createNamespace, useCluster, withoutMetacontroller } from '../support.js';
import {
  childLabel,
  deleteNamespace,
  exampleFiles,
  expectNoEffectiveChildWrites,
  expectStoredMatchesResponse,
  getRw,
  loadExample,
  shippedChildRules,
  startHook,
  storedChildren,
  syncOptions,
  type Hook,
  type Obj,
} from './harness.js';

const cluster = useCluster();
// Driven by test/e2e/driver: the real Metacontroller must not sync these RisingWaves meanwhile.
withoutMetacontroller(cluster);
let ns = '';
let hook: Hook;

beforeAll(async () => {
  hook = await startHook();
  ns = await createNamespace(cluster(), 'examples');
});

afterAll(async () => {
  await hook?.stop();
  await deleteNamespace(cluster(), ns);
});

describe('examples/ against the API server and the hook', () => {
  const files = exampleFiles();

  it('finds the examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files)('%s: applies, every returned child is stored, a second pass writes no child', async (file) => {
    const c = cluster();
    const rules = shippedChildRules();
    const input = loadExample(file, ns);
    const name = input.metadata.name as string;

    const out = await c.kubectl(['apply', '-f', '-'], JSON.stringify(input));
    expect(out.trim()).toBe(`risingwave.risingwave.risingwavelabs.com/${name} created`);
    const stored = await getRw(c.kube, ns, name);
    // Nothing the example says was pruned (the server may only add defaults).
    expect(stored.spec).toMatchObject(input.spec);
    expect(stored.metadata.labels ?? {}).toMatchObject(input.metadata.labels ?? {});

    const o = syncOptions(c, hook, ns, name);
    const first = await syncOnce(o);
    expect(first.errors).toEqual([]);
    const returned = ((first.response.children ?? []) as Obj[]).map(childLabel).sort();
    expect(returned.length).toBeGreaterThan(0);
    expect([...first.created].sort()).toEqual(returned);
    expect(first.statusChanged).toBe(true);
    const parent = await getRw(c.kube, ns, name);
    const children = await expectStoredMatchesResponse(c.kube, ns, rules, parent, first);
    expect(children.some((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment')).toBe(true);

    // The stored status is what the hook returned, plus observedGeneration (nothing pruned by the schema).
    expect(parent.status).toEqual({ ...first.response.status, observedGeneration: parent.metadata.generation });
    expect(parent.status.version).toBeTruthy();
    expect(parent.status.metaStore?.backend).toBeTruthy();
    expect(parent.status.stateStore?.backend).toBeTruthy();

    const second = await syncOnce(o);
    expectNoEffectiveChildWrites(second);
    // Its status write, if any, is the real transition "every child exists now", not churn.
    const afterSecond = await getRw(c.kube, ns, name);
    expect((afterSecond.status.conditions as Obj[]).find((x) => x.type === 'Running')?.reason).not.toBe('ChildrenMissing');
    const childrenAfter = await storedChildren(c.kube, ns, rules, parent.metadata.uid);
    expect(childrenAfter.map((x) => `${childLabel(x)}@${x.metadata.generation ?? ''}`)).toEqual(children.map((x) => `${childLabel(x)}@${x.metadata.generation ?? ''}`));

    await c.kubectl(['delete', 'rw', name, '-n', ns, '--wait=true', '--timeout=60s']);
  });
});
