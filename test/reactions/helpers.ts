import { prepareRisingWave } from '../../src/api/prepare.js';
import { DEFAULT_HOOK_OPTIONS, type RisingWaveContext } from '../../src/reactions/context.js';
import { ConditionBook } from '../../src/kube/conditions.js';
import { DesiredChildren } from '../../src/kube/desired.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { ObservedIndex } from '../../src/kube/observed.js';
import { createCaches } from '../../src/cache/caches.js';
import { CHILD_KEYS, SERVICE_MONITOR_KEY, TEST_CLOCK, TEST_OPERATOR_VERSION, withServerMetadata } from '../support/render.js';

export function parent(spec: Record<string, unknown>, name = 'rw'): KubeObject & { spec: Record<string, unknown> } {
  return withServerMetadata({
    apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
    kind: 'RisingWave',
    metadata: { name, namespace: 'ns' },
    spec: { image: 'risingwavelabs/risingwave:v2.4.2', metaStore: { memory: true }, stateStore: { memory: true }, ...spec },
  });
}

export function groups(...names: string[]) {
  return { nodeGroups: names.map((name) => ({ name, replicas: 1 })) };
}

/** A context for calling one reaction directly, as runSync would build it. */
export function context(raw: KubeObject, observed: KubeObject[] = [], serviceMonitor = true): RisingWaveContext {
  const { rw, problems } = prepareRisingWave(raw);
  if (problems.length) throw new Error(problems.join('; '));
  const keys = serviceMonitor ? [...CHILD_KEYS, SERVICE_MONITOR_KEY] : [...CHILD_KEYS];
  const map: Record<string, Record<string, KubeObject>> = Object.fromEntries(keys.map((k) => [k, {}]));
  for (const o of observed) (map[`${o.kind}.${o.apiVersion}`] ??= {})[o.metadata.name] = o;
  return {
    raw: raw as RisingWaveContext['raw'],
    rw,
    problems,
    observed: ObservedIndex.from(map),
    related: ObservedIndex.from({}),
    desired: new DesiredChildren(),
    conditions: new ConditionBook([], TEST_CLOCK),
    status: {},
    clock: TEST_CLOCK,
    options: { ...DEFAULT_HOOK_OPTIONS, operatorVersion: TEST_OPERATOR_VERSION },
    capabilities: { serviceMonitor },
    caches: createCaches({ enabled: false }),
  };
}

export const ids = (objs: readonly KubeObject[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`).sort();
