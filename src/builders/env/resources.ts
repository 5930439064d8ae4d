/**
 * Env derived from the RisingWave container's resource limits (reference §8). CPU counts are rounded up
 * like Go's `Quantity.Value()` / `math.Ceil`; the memory limit is used only when it is a whole number of
 * bytes, like `Quantity.AsInt64()`.
 */
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { parseQuantity } from '../../kube/quantity.js';
import { valueEnv } from './refs.js';

/** Fewer worker threads risks stalls from synchronous work (risingwave issue #16693). */
export const MIN_WORKER_THREADS = 4;

function limit(resources: IResourceRequirements | undefined, name: string): number | undefined {
  const q = resources?.limits?.[name];
  return q === undefined ? undefined : parseQuantity(q);
}

/** `RW_WORKER_THREADS = max(ceil(cpu limit), 4)`, whenever a CPU limit is present (even "0"). */
export function workerThreadsEnv(resources: IResourceRequirements | undefined): IEnvVar[] {
  const cpu = limit(resources, 'cpu');
  if (cpu === undefined) return [];
  return [valueEnv('RW_WORKER_THREADS', String(Math.max(Math.ceil(cpu), MIN_WORKER_THREADS)))];
}

/**
 * `RW_PARALLELISM = ceil(cpu limit)` and `RW_TOTAL_MEMORY_BYTES = memory limit`, each only when non-zero
 * (compute, and the frontend in embedded serving mode). These are component defaults: the user's
 * template env may override them.
 */
export function parallelismAndMemoryEnv(resources: IResourceRequirements | undefined): IEnvVar[] {
  const env: IEnvVar[] = [];
  const cpu = Math.ceil(limit(resources, 'cpu') ?? 0);
  if (cpu !== 0) env.push(valueEnv('RW_PARALLELISM', String(cpu)));
  const memory = limit(resources, 'memory') ?? 0;
  if (memory !== 0 && Number.isSafeInteger(memory)) env.push(valueEnv('RW_TOTAL_MEMORY_BYTES', String(memory)));
  return env;
}

/**
 * Worker threads, plus parallelism and memory when asked. Throws QuantityError for a malformed limit
 * (validation refuses such a spec first). Callers that layer env should put the worker threads in the
 * base layer (`baseEnv` does) and `parallelismAndMemoryEnv` in the component defaults.
 */
export function resourceEnv(
  resources: IResourceRequirements | undefined,
  opts: { parallelismAndMemory: boolean },
): IEnvVar[] {
  return [...workerThreadsEnv(resources), ...(opts.parallelismAndMemory ? parallelismAndMemoryEnv(resources) : [])];
}
