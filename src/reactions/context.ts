import type { RisingWave } from '../api/risingwave.js';
import type { Clock } from '../kube/time.js';
import type { ConditionBook } from '../kube/conditions.js';
import type { DesiredChildren } from '../kube/desired.js';
import type { ObservedIndex } from '../kube/observed.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { SyncCaches } from '../cache/caches.js';

/** Settings of the hook that shape decisions (not the HTTP server's). */
export interface HookOptions {
  /** A rollout that has not finished this long after it started is reported as stuck. */
  readonly rolloutDeadlineSeconds: number;
  /** Value of the `risingwave/operator-version` label on every child. */
  readonly operatorVersion: string;
  /**
   * Whether the API server stores StatefulSet `updateStrategy.rollingUpdate.maxUnavailable` (the
   * MaxUnavailableStatefulSet feature gate, beta and off by default through Kubernetes 1.36). Only used until
   * a StatefulSet of the parent is observed: what the server stored there decides (builders/workloads.ts).
   */
  readonly maxUnavailableStatefulSet: boolean;
}

export const DEFAULT_HOOK_OPTIONS: HookOptions = Object.freeze({
  rolloutDeadlineSeconds: 600,
  operatorVersion: 'metacontroller-hook-v0.1.0',
  maxUnavailableStatefulSet: false,
});

/** What the CompositeController was registered with, read from the request's `children` keys. */
export interface Capabilities {
  /** `ServiceMonitor.monitoring.coreos.com/v1` is a registered child resource. */
  readonly serviceMonitor: boolean;
}

/**
 * Everything one RisingWave sync sees and decides. Built once per request; reactions read the parent and
 * the observed children, and write only to `desired`, `conditions`, `status` and `requeue`.
 */
export interface RisingWaveContext {
  /** The parent as received (status included). */
  readonly raw: KubeObject & { spec?: unknown; status?: Record<string, unknown> };
  /** The parent with every schema default applied (a fresh copy; the request is never mutated). */
  readonly rw: RisingWave;
  /** Hook-side validation problems; empty when the spec is valid. */
  readonly problems: readonly string[];
  readonly observed: ObservedIndex;
  /** Objects Metacontroller fetched for the customize hook's related resources. */
  readonly related: ObservedIndex;
  readonly desired: DesiredChildren;
  readonly conditions: ConditionBook;
  /** Status fields other than conditions; starts as the previous status. */
  readonly status: Record<string, unknown>;
  readonly clock: Clock;
  readonly options: HookOptions;
  readonly capabilities: Capabilities;
  /**
   * What earlier syncs built and may be shared (src/cache/caches.ts): the only way a reaction reaches a cache,
   * through src/reactions/support.ts `putBuilt` and `syncNodeGroups`.
   */
  readonly caches: SyncCaches;
}
