import type { RisingWaveContext } from './context.js';
import { serviceName } from '../builders/names.js';
import { isStandalone } from '../builders/plan.js';
import { workloadRemovals } from '../builders/reconcile.js';
import { standaloneService } from '../builders/services.js';
import { standaloneStatefulSet } from '../builders/workloads.js';
import { CONTINUE, reaction } from '../workflow/index.js';
import { putBuilt, removeIfObserved } from './support.js';
import { SERVICE_KEY } from '../kube/child-keys.js';

/** `N-standalone` Service and StatefulSet in standalone mode; both removed when it is off. */
export const syncStandalone = reaction<RisingWaveContext>('SyncStandalone', (ctx) => {
  const { rw } = ctx;
  const n = rw.metadata.name;
  const on = isStandalone(rw);
  const keep = new Set<string>();
  if (on) {
    putBuilt(ctx, standaloneService);
    keep.add(putBuilt(ctx, standaloneStatefulSet).metadata.name);
  } else {
    removeIfObserved(ctx, SERVICE_KEY, serviceName(n, 'standalone'), 'standalone mode is disabled');
  }
  const why = on ? 'not the standalone StatefulSet' : 'standalone mode is disabled';
  for (const r of workloadRemovals(ctx.observed, n, 'standalone', { StatefulSet: keep, Deployment: new Set(), whyNone: { StatefulSet: why, Deployment: why } })) {
    ctx.desired.remove(r.obj, r.reason);
  }
  return CONTINUE;
});
