import type { RisingWaveContext } from './context.js';
import { serviceName } from '../builders/names.js';
import { isStandalone } from '../builders/plan.js';
import { computeService } from '../builders/services.js';
import { CONTINUE, reaction } from '../workflow/index.js';
import { putBuilt, removeIfObserved, syncNodeGroups } from './support.js';
import { SERVICE_KEY } from '../kube/child-keys.js';

/** The headless `N-compute` Service and one StatefulSet per compute node group; none in standalone mode. */
export const syncCompute = reaction<RisingWaveContext>('SyncCompute', (ctx) => {
  if (isStandalone(ctx.rw)) {
    removeIfObserved(ctx, SERVICE_KEY, serviceName(ctx.rw.metadata.name, 'compute'), 'standalone mode is enabled');
  } else {
    putBuilt(ctx, computeService);
  }
  syncNodeGroups(ctx, 'compute');
  return CONTINUE;
});
