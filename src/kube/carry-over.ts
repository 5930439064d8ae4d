import { LAST_APPLIED_ANNOTATION, type KubeObject } from './kube-object.js';
import { lastAppliedOf } from './last-applied.js';

/** Metadata the API server sets; a carried-over child must not claim it. */
const SERVER_SET_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'ownerReferences',
  'selfLink',
] as const;

/**
 * The form in which an observed child is returned when no reaction decided about it: the configuration
 * Metacontroller last applied (so its three-way merge sees no change), or, when that annotation is missing
 * or unreadable, the observed object without status and server-set metadata.
 *
 * One field is taken from the observed object even then: `spec.replicas`. It is the field other
 * controllers own by design (a HorizontalPodAutoscaler, `kubectl scale`), and the merge takes a desired
 * scalar as it is, so the last-applied count would undo their decision on every paused or invalid sync.
 */
export function carryOver(observed: KubeObject): KubeObject {
  const lastApplied = lastAppliedSelf(observed);
  if (lastApplied) return withObservedReplicas(lastApplied, observed);
  return stripServerFields(observed);
}

function withObservedReplicas(lastApplied: KubeObject, observed: KubeObject): KubeObject {
  const want = replicasOf(lastApplied);
  const have = replicasOf(observed);
  if (want === undefined || have === undefined || want === have) return lastApplied;
  return { ...lastApplied, spec: { ...(lastApplied.spec as Record<string, unknown>), replicas: have } };
}

function replicasOf(obj: KubeObject): number | undefined {
  const spec = obj.spec;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return undefined;
  const replicas = (spec as Record<string, unknown>).replicas;
  return typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 0 ? replicas : undefined;
}

/** What was last applied, if the annotation describes this very object (same kind, version and name). */
function lastAppliedSelf(observed: KubeObject): KubeObject | undefined {
  const applied = lastAppliedOf(observed);
  if (applied === undefined) return undefined;
  const same = applied.apiVersion === observed.apiVersion && applied.kind === observed.kind && applied.metadata?.name === observed.metadata.name;
  return same ? applied : undefined;
}

export function stripServerFields(observed: KubeObject): KubeObject {
  const { status: _status, metadata, ...rest } = observed;
  const meta: Record<string, unknown> = { ...metadata };
  for (const field of SERVER_SET_METADATA) delete meta[field];
  if (meta.annotations && typeof meta.annotations === 'object') {
    const annotations = { ...(meta.annotations as Record<string, string>) };
    delete annotations[LAST_APPLIED_ANNOTATION];
    meta.annotations = Object.keys(annotations).length ? annotations : undefined;
  }
  return { ...rest, metadata: meta as KubeObject['metadata'] };
}
