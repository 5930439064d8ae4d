/** The shape every Kubernetes object shares, as it travels through the hook (plain JSON). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  [key: string]: unknown;
}

/**
 * Metacontroller's outer key for a child type: `<Kind>.<apiVersion>`, e.g. `StatefulSet.apps/v1`,
 * `Service.v1`, `ServiceMonitor.monitoring.coreos.com/v1`.
 */
export type GroupKey = string;

export function groupKeyOf(obj: { apiVersion: string; kind: string }): GroupKey {
  return `${obj.kind}.${obj.apiVersion}`;
}

export function splitGroupKey(key: GroupKey): { kind: string; apiVersion: string } {
  const dot = key.indexOf('.');
  return { kind: key.slice(0, dot), apiVersion: key.slice(dot + 1) };
}

/** `metadata.uid` of anything as it came in a request, if it is a string: requests are not validated yet where it is read. */
export function uidOf(obj: unknown): string | undefined {
  const uid = (obj as { metadata?: { uid?: unknown } } | null | undefined)?.metadata?.uid;
  return typeof uid === 'string' ? uid : undefined;
}

/** `Kind.apiVersion/name`: identifies one child of a namespaced parent. */
export function childId(obj: { apiVersion: string; kind: string; metadata: { name: string } }): string {
  return `${groupKeyOf(obj)}/${obj.metadata.name}`;
}

/** The annotation Metacontroller's dynamic apply keeps on every child it created or updated. */
export const LAST_APPLIED_ANNOTATION = 'metacontroller.k8s.io/last-applied-configuration';
