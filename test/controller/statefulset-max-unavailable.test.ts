/**
 * StatefulSet `maxUnavailable` only where the API server keeps it. Without the MaxUnavailableStatefulSet
 * gate (off by default through Kubernetes 1.36) the server drops the field; a hook that still sent it made
 * Metacontroller PUT the StatefulSet on every sync (its merge never matched the stored object). The hook
 * reads the gate from the StatefulSets the server stored, and falls back on MAX_UNAVAILABLE_STATEFULSET
 * before any exists. multi-group-compute has a Recreate compute group (`analytics`) and one with maxUnavailable 1 (`serving`).
 */
import { describe, expect, it } from 'vitest';
import type { HookOptions } from '../../src/reactions/context.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { runSync } from '../../src/controller/sync.js';
import { asObserved, CHILD_KEYS, loadExample, TEST_CLOCK, TEST_OPERATOR_VERSION } from '../support/render.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function sync(observed: readonly KubeObject[], options: Partial<HookOptions>) {
  const children: Record<string, Record<string, KubeObject>> = Object.fromEntries(CHILD_KEYS.map((k) => [k, {}]));
  for (const o of observed) children[`${o.kind}.${o.apiVersion}`]![o.metadata.name] = o;
  const request = { parent: loadExample('multi-group-compute'), children, related: {} };
  return runSync(request as Parameters<typeof runSync>[0], { clock: TEST_CLOCK, options: { operatorVersion: TEST_OPERATOR_VERSION, ...options } });
}

const statefulSets = (children: readonly unknown[]) => (children as Obj[]).filter((c) => c.kind === 'StatefulSet');
const strategies = (children: readonly unknown[]) => Object.fromEntries(statefulSets(children).map((s) => [s.metadata.name, s.spec.updateStrategy]));

/** The StatefulSets as a server stores them: `gate` off drops maxUnavailable, on defaults it to 1. */
function stored(children: readonly unknown[], gate: boolean): KubeObject[] {
  return (children as KubeObject[]).map((c) => {
    const o = asObserved(structuredClone(c)) as Obj;
    if (o.kind === 'StatefulSet') {
      const ru = o.spec.updateStrategy.rollingUpdate;
      if (gate) ru.maxUnavailable ??= 1;
      else delete ru.maxUnavailable;
    }
    return o as KubeObject;
  });
}

const PLAIN = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };

describe('StatefulSet maxUnavailable follows what the API server keeps', () => {
  it('first sync, setting off (the default): no StatefulSet carries maxUnavailable, Recreate included', async () => {
    const first = await sync([], {});
    expect(Object.values(strategies(first.response.children!))).toEqual(statefulSets(first.response.children!).map(() => PLAIN));
  });

  it('first sync, setting on: Recreate is maxUnavailable 100%, a group maxUnavailable is kept', async () => {
    const first = await sync([], { maxUnavailableStatefulSet: true });
    const s = strategies(first.response.children!);
    expect(s['rw-groups-compute-analytics']).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '100%', partition: 0 } });
    expect(s['rw-groups-compute-serving']).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, partition: 0 } });
  });

  it('setting on, but the server dropped the field: the next sync stops sending it, and the one after that returns the same', async () => {
    const first = await sync([], { maxUnavailableStatefulSet: true });
    const second = await sync(stored(first.response.children!, false), { maxUnavailableStatefulSet: true });
    expect(Object.values(strategies(second.response.children!))).toEqual(statefulSets(second.response.children!).map(() => PLAIN));
    const third = await sync(stored(second.response.children!, false), { maxUnavailableStatefulSet: true });
    expect(JSON.stringify(third.response.children)).toBe(JSON.stringify(second.response.children));
  });

  it('setting off, but the server defaulted maxUnavailable (gate on): Recreate and the group value are sent from then on, stably', async () => {
    const first = await sync([], {});
    const second = await sync(stored(first.response.children!, true), {});
    const s = strategies(second.response.children!);
    expect(s['rw-groups-compute-analytics']).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '100%', partition: 0 } });
    expect(s['rw-groups-compute-serving']).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, partition: 0 } });
    const third = await sync(stored(second.response.children!, true), {});
    expect(JSON.stringify(third.response.children)).toBe(JSON.stringify(second.response.children));
  });

  it('the same request gives a byte-identical response whatever was built before (the memo keys on the gate)', async () => {
    const observedOff = stored((await sync([], { maxUnavailableStatefulSet: true })).response.children!, false);
    const a = await sync(observedOff, { maxUnavailableStatefulSet: true });
    await sync([], { maxUnavailableStatefulSet: true });
    const b = await sync(observedOff, { maxUnavailableStatefulSet: true });
    expect(JSON.stringify(b.response)).toBe(JSON.stringify(a.response));
  });
});
