/**
 * The child types the hook manages, by the key Metacontroller gives them in a sync request's `children`
 * (`Kind.apiVersion`, as in the CompositeController's childResources). One row per type: everything that
 * names a child type (reactions, status, metrics labels, the CLI's render, the plugin) reads it from here.
 */
export const CONFIGMAP_KEY = 'ConfigMap.v1';
export const SERVICE_KEY = 'Service.v1';
export const STATEFULSET_KEY = 'StatefulSet.apps/v1';
export const DEPLOYMENT_KEY = 'Deployment.apps/v1';
export const HPA_KEY = 'HorizontalPodAutoscaler.autoscaling/v2';
/** Optional: registered only where the Prometheus operator's CRD is installed. */
export const SERVICE_MONITOR_KEY = 'ServiceMonitor.monitoring.coreos.com/v1';
/** Not a child: Secrets are read as related objects (risingwave.toml, credentials). */
export const SECRET_KEY = 'Secret.v1';

export type ChildKey = typeof CONFIGMAP_KEY | typeof SERVICE_KEY | typeof STATEFULSET_KEY | typeof DEPLOYMENT_KEY | typeof HPA_KEY | typeof SERVICE_MONITOR_KEY;

export interface ChildType {
  readonly key: ChildKey;
  readonly kind: string;
  /** The resource as kubectl names it (`resource.group`). */
  readonly resource: string;
  /** Registered by the shipped CompositeController in every install. */
  readonly always: boolean;
}

export const CHILD_TYPES: readonly ChildType[] = [
  { key: CONFIGMAP_KEY, kind: 'ConfigMap', resource: 'configmaps', always: true },
  { key: SERVICE_KEY, kind: 'Service', resource: 'services', always: true },
  { key: STATEFULSET_KEY, kind: 'StatefulSet', resource: 'statefulsets.apps', always: true },
  { key: DEPLOYMENT_KEY, kind: 'Deployment', resource: 'deployments.apps', always: true },
  { key: HPA_KEY, kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers.autoscaling', always: true },
  { key: SERVICE_MONITOR_KEY, kind: 'ServiceMonitor', resource: 'servicemonitors.monitoring.coreos.com', always: false },
];

/** The workload keys, Deployments first (the order status lists them in). */
export const WORKLOAD_KEYS = [DEPLOYMENT_KEY, STATEFULSET_KEY] as const;

/** A workload kind's key. */
export const WORKLOAD_KEY_BY_KIND = { StatefulSet: STATEFULSET_KEY, Deployment: DEPLOYMENT_KEY } as const;
