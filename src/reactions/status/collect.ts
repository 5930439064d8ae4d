import type { RisingWaveContext } from '../context.js';
import { metaStoreBackendName } from '../../builders/env/meta-store.js';
import { deprecatedStateStoreRoot, stateStoreBackendName } from '../../builders/env/state-store.js';
import { imageTag } from '../../builders/image.js';
import { childId, type KubeObject } from '../../kube/kube-object.js';
import { componentReplicas } from './replicas.js';
import { WORKLOAD_KEYS } from '../../kube/child-keys.js';
import { ConditionType } from './vocabulary.js';
import { CONTINUE, reaction, requeue } from '../../workflow/index.js';
import { FIRST_RESYNC_SECONDS } from './backoff.js';
import { readinessOf } from './facts.js';
import { describeWait } from './lifecycle.js';
import { autoscaledGroups } from '../autoscaler.js';
import { recordOr } from '../../kube/records.js';

type R = RisingWaveContext;

/**
 * `status.internal.stateStoreRootPath`: the legacy `root` of the state store, recorded on the first sync
 * and never changed afterwards, so a later spec edit cannot move where the data lives.
 */
export const syncInternalStatus = reaction<R>('SyncInternalStatus', (ctx) => {
  const internal = recordOr(ctx.status.internal);
  if (typeof internal.stateStoreRootPath !== 'string') {
    ctx.status.internal = { ...internal, stateStoreRootPath: deprecatedStateStoreRoot(ctx.rw) };
  }
  return CONTINUE;
});

/**
 * The Go operator's SyncRunningStatus (Collect*): version, store backends and replica counts, and
 * Running=False whenever a required child is missing, whatever Running said before. The missing child is
 * put by its reaction in this same sync, so Metacontroller recreates it right away; a resync follows soon.
 */
export const syncRunningStatus = reaction<R>('SyncRunningStatus', (ctx) => {
  const { rw } = ctx;
  ctx.status.version = imageTag(rw.spec.image);
  ctx.status.metaStore = { backend: metaStoreBackendName(rw) };
  ctx.status.stateStore = { backend: stateStoreBackendName(rw) };
  ctx.status.componentReplicas = componentReplicas(rw, workloadsAfterThisSync(ctx), autoscaledGroups(ctx));
  const r = readinessOf(ctx);
  if (r.missing.length > 0 || r.recreating.length > 0) {
    const { reason, message } = describeWait(ctx, r);
    ctx.conditions.set(ConditionType.Running, 'False', reason, message);
    return requeue(FIRST_RESYNC_SECONDS);
  }
  return CONTINUE;
});

/** Observed workloads minus the ones this sync's response deletes. */
function workloadsAfterThisSync(ctx: R): KubeObject[] {
  return WORKLOAD_KEYS.flatMap((key) => ctx.observed.list(key)).filter((w) => !ctx.desired.isRemoved(childId(w)));
}

