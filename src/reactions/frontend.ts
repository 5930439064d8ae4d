import type { RisingWaveContext } from './context.js';
import { frontendHeadlessServiceName } from '../builders/names.js';
import { frontendIsStatefulSet, isStandalone } from '../builders/plan.js';
import { frontendHeadlessService, frontendService } from '../builders/services.js';
import { CONTINUE, reaction } from '../workflow/index.js';
import { putBuilt, removeIfObserved, syncNodeGroups } from './support.js';
import { SERVICE_KEY } from '../kube/child-keys.js';

/**
 * The `N-frontend` Service (kept in standalone mode, where it selects the standalone pod), the headless
 * Service frontend StatefulSets need, and one workload per frontend node group — Deployments, or
 * StatefulSets with `enableFrontendStatefulSet`; switching removes the other form's workloads.
 */
export const syncFrontend = reaction<RisingWaveContext>('SyncFrontend', (ctx) => {
  putBuilt(ctx, frontendService);
  const headless = frontendHeadlessServiceName(ctx.rw.metadata.name);
  if (isStandalone(ctx.rw)) {
    removeIfObserved(ctx, SERVICE_KEY, headless, 'standalone mode is enabled');
  } else if (frontendIsStatefulSet(ctx.rw)) {
    putBuilt(ctx, frontendHeadlessService);
  } else {
    removeIfObserved(ctx, SERVICE_KEY, headless, 'the frontend runs as Deployments (enableFrontendStatefulSet is off)');
  }
  syncNodeGroups(ctx, 'frontend');
  return CONTINUE;
});
