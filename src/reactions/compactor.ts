import type { RisingWaveContext } from './context.js';
import { serviceName } from '../builders/names.js';
import { isStandalone } from '../builders/plan.js';
import { compactorService } from '../builders/services.js';
import { CONTINUE, reaction } from '../workflow/index.js';
import { putBuilt, removeIfObserved, syncNodeGroups } from './support.js';
import { SERVICE_KEY } from '../kube/child-keys.js';

/** The headless `N-compactor` Service and one Deployment per compactor node group; none in standalone mode. */
export const syncCompactor = reaction<RisingWaveContext>('SyncCompactor', (ctx) => {
  if (isStandalone(ctx.rw)) {
    removeIfObserved(ctx, SERVICE_KEY, serviceName(ctx.rw.metadata.name, 'compactor'), 'standalone mode is enabled');
  } else {
    putBuilt(ctx, compactorService);
  }
  syncNodeGroups(ctx, 'compactor');
  return CONTINUE;
});
