import type { RisingWaveContext } from '../controller/context.js';
import { serviceName } from '../builders/names.js';
import { isStandalone } from '../builders/plan.js';
import { SERVICE_KEY } from '../builders/reconcile.js';
import { computeService } from '../builders/services.js';
import { CONTINUE, reaction } from '../workflow/index.js';
import { putBuilt, removeIfObserved, syncNodeGroups } from './support.js';

/** The headless `N-compute` Service and one StatefulSet per compute node group; none in standalone mode. */
export const syncCompute = reaction<RisingWaveContext>('SyncCompute', (ctx) => {
  if (isStandalone(ctx.rw)) {
    removeIfObserved(ctx, SERVICE_KEY, serviceName(ctx.rw.metadata.name, 'compute'), 'standalone mode is enabled');
  } else {
    putBuilt(ctx, 'Service/compute', computeService);
  }
  syncNodeGroups(ctx, 'compute');
  return CONTINUE;
});
