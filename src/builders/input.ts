import type { RisingWave } from '../api/risingwave.js';
import type { ObservedIndex } from '../kube/observed.js';

/** What every builder needs besides the RisingWave: kept small so builders stay pure and testable alone. */
export interface BuildInput {
  readonly rw: RisingWave;
  readonly operatorVersion: string;
  /** The API server keeps StatefulSet `updateStrategy.rollingUpdate.maxUnavailable` (see builders/workloads.ts). */
  readonly maxUnavailableStatefulSet: boolean;
  /** ConfigMaps and Secrets fetched for the customize hook; drives the config-hash annotation. */
  readonly related?: ObservedIndex;
}

export type WorkloadKind = 'StatefulSet' | 'Deployment';

// The spec's mode switches, read by the component table (components.ts) and by the plan (plan.ts).

export function isStandalone(rw: RisingWave): boolean {
  return rw.spec.enableStandaloneMode === true;
}

export function isEmbeddedServing(rw: RisingWave): boolean {
  return rw.spec.enableEmbeddedServingMode === true;
}

/** The CRD defaults the listener to true; a parent stored before that default is treated the same way. */
export function webhookListenerEnabled(rw: RisingWave): boolean {
  return rw.spec.enableWebhookListener !== false;
}

export function frontendIsStatefulSet(rw: RisingWave): boolean {
  return rw.spec.enableFrontendStatefulSet === true;
}
