import { prepareRisingWave } from '../../src/api/prepare.js';
import type { RisingWave } from '../../src/api/risingwave.js';
import type { BuildInput } from '../../src/builders/plan.js';
import { ObservedIndex } from '../../src/kube/observed.js';
import type { KubeObject } from '../../src/kube/kube-object.js';

/** A defaulted, valid RisingWave named `rw` in `ns`, with the spec overrides given. */
export function makeRw(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): RisingWave {
  const { rw, problems } = prepareRisingWave({
    apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
    kind: 'RisingWave',
    metadata: { name: 'rw', namespace: 'ns', generation: 3, uid: 'u-1', ...metadata },
    spec: { image: 'risingwavelabs/risingwave:v2.4.2', metaStore: { memory: true }, stateStore: { memory: true }, ...spec },
  });
  if (problems.length > 0) throw new Error(`test RisingWave is invalid: ${problems.join('; ')}`);
  return rw;
}

export function input(rw: RisingWave, related?: KubeObject[], maxUnavailableStatefulSet = false): BuildInput {
  const map: Record<string, Record<string, KubeObject>> = {};
  if (related) {
    map['ConfigMap.v1'] = {};
    map['Secret.v1'] = {};
    for (const o of related) map[`${o.kind}.${o.apiVersion}`]![o.metadata.name] = o;
  }
  return { rw, operatorVersion: 'v-test', maxUnavailableStatefulSet, related: related ? ObservedIndex.from(map) : undefined };
}

export function group(name: string, extra: Record<string, unknown> = {}) {
  return { name, replicas: 1, ...extra };
}
