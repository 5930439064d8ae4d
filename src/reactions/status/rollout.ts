import type { KubeObject } from '../../kube/kube-object.js';
import { recordOr } from '../../kube/records.js';

/**
 * Whether a workload has finished rolling out its current template (reference §4.6):
 * - the workload controller has seen the latest spec (`status.observedGeneration ≥ metadata.generation`);
 * - every desired replica runs the new template (`updatedReplicas ≥ spec.replicas`);
 * - no old pod is left over (`status.replicas ≤ updatedReplicas`);
 * - the updated pods are available (`availableReplicas`, or `readyReplicas` where the API server does not
 *   report availability — Kubernetes 1.21 StatefulSets, risingwave-operator #949);
 * - a Deployment has not given up (`Progressing` with reason `ProgressDeadlineExceeded`).
 * Missing numbers count as 0 and a missing `spec.replicas` as 1, the API server's defaults.
 */
export function isRolledOut(workload: KubeObject): boolean {
  return rolloutBlocker(workload) === undefined;
}

/** Why the workload is not rolled out, in a few words, or undefined when it is. */
export function rolloutBlocker(workload: KubeObject): string | undefined {
  const spec = recordOr(workload.spec);
  const status = recordOr(workload.status);
  const generation = num(workload.metadata.generation);
  if (num(status.observedGeneration) < generation) return 'new spec not yet observed by its controller';
  const wanted = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const updated = num(status.updatedReplicas);
  if (updated < wanted) return `${updated}/${wanted} replicas updated`;
  if (num(status.replicas) > updated) return `${num(status.replicas) - updated} old replicas left`;
  const available = num(status.availableReplicas) || num(status.readyReplicas);
  if (available < updated) return `${available}/${updated} updated replicas available`;
  if (workload.kind === 'Deployment' && progressDeadlineExceeded(status)) return 'progress deadline exceeded';
  return undefined;
}

function progressDeadlineExceeded(status: Record<string, unknown>): boolean {
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  return conditions.some((c) => recordOr(c).type === 'Progressing' && recordOr(c).reason === 'ProgressDeadlineExceeded');
}

/** `status.readyReplicas` of a workload (0 when unknown). */
export function readyReplicas(workload: KubeObject): number {
  return num(recordOr(workload.status).readyReplicas);
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

