import { EnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { Volume, type IVolume } from 'kubernetes-models/v1/Volume';
import { VolumeMount, type IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { prepareRisingWave } from '../../../src/api/prepare.js';
import type { RisingWave } from '../../../src/api/risingwave.js';

/**
 * A RisingWave as the builders receive it: the spec goes through prepareRisingWave, so every CRD default
 * (credential key names, region, dataDirectory, ...) is applied as in production.
 */
export function rwWith(spec: Record<string, unknown>, status?: Record<string, unknown>): RisingWave {
  const { rw } = prepareRisingWave({
    apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
    kind: 'RisingWave',
    metadata: { name: 'rw', namespace: 'ns', generation: 1 },
    spec: { image: 'risingwavelabs/risingwave:v2.1.0', ...spec },
    ...(status ? { status } : {}),
  });
  return rw;
}

/** Env as a name -> value/valueFrom map, for readable table assertions. */
export function envMap(env: readonly IEnvVar[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of env) out[e.name] = e.valueFrom ?? e.value;
  return out;
}

export function secretRef(name: string, key: string) {
  return { secretKeyRef: { name, key } };
}

/** Every env entry, volume and mount must be a valid Kubernetes object. */
export function expectValid(env: readonly IEnvVar[], volumes: readonly IVolume[] = [], mounts: readonly IVolumeMount[] = []) {
  for (const e of env) new EnvVar(e).validate();
  for (const v of volumes) new Volume(v).validate();
  for (const m of mounts) new VolumeMount(m).validate();
  const names = env.map((e) => e.name);
  if (new Set(names).size !== names.length) throw new Error(`duplicate env names: ${names.join(',')}`);
}
