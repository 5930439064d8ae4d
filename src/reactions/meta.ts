import type { RisingWaveContext } from './context.js';
import { serviceName } from '../builders/names.js';
import { isStandalone } from '../builders/plan.js';
import { metaService } from '../builders/services.js';
import { CONTINUE, reaction } from '../workflow/index.js';
import { putBuilt, removeIfObserved, syncNodeGroups } from './support.js';
import { SERVICE_KEY } from '../kube/child-keys.js';

/** The headless `N-meta` Service and one StatefulSet per meta node group; none of them in standalone mode. */
export const syncMeta = reaction<RisingWaveContext>('SyncMeta', (ctx) => {
  if (isStandalone(ctx.rw)) {
    removeIfObserved(ctx, SERVICE_KEY, serviceName(ctx.rw.metadata.name, 'meta'), 'standalone mode is enabled');
  } else {
    putBuilt(ctx, metaService);
  }
  syncNodeGroups(ctx, 'meta');
  return CONTINUE;
});
