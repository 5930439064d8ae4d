import type { RisingWaveContext } from './context.js';
import { COMPONENTS, type ComponentRow } from '../builders/components.js';
import { frontendHeadlessServiceName, serviceName } from '../builders/names.js';
import { frontendIsStatefulSet, isStandalone } from '../builders/plan.js';
import { COMPONENT_SERVICES, frontendHeadlessService } from '../builders/services.js';
import { CONTINUE, reaction, type Reaction } from '../workflow/index.js';
import { putBuilt, removeIfObserved, syncNodeGroups } from './support.js';
import { SERVICE_KEY } from '../kube/child-keys.js';

/**
 * One node-group component, from its row of the component table: its `N-<component>` Service (removed in
 * standalone mode unless the row keeps it) and one workload per node group (support.ts). `special` runs
 * between the two, for what the row cannot say.
 */
export function syncComponent(name: string, row: ComponentRow, special?: (ctx: RisingWaveContext) => void): Reaction<RisingWaveContext> {
  const build = COMPONENT_SERVICES[row.component];
  return reaction<RisingWaveContext>(name, (ctx) => {
    if (isStandalone(ctx.rw) && row.service.inStandalone === 'removed') {
      removeIfObserved(ctx, SERVICE_KEY, serviceName(ctx.rw.metadata.name, row.component), 'standalone mode is enabled');
    } else {
      putBuilt(ctx, build);
    }
    special?.(ctx);
    syncNodeGroups(ctx, row.component);
    return CONTINUE;
  });
}

/** The headless meta Service and one StatefulSet per meta node group; none of them in standalone mode. */
export const syncMeta = syncComponent('SyncMeta', COMPONENTS.meta);

/** The headless compute Service and one StatefulSet per compute node group; none in standalone mode. */
export const syncCompute = syncComponent('SyncCompute', COMPONENTS.compute);

/** The headless compactor Service and one Deployment per compactor node group; none in standalone mode. */
export const syncCompactor = syncComponent('SyncCompactor', COMPONENTS.compactor);

/**
 * The frontend Service (kept in standalone mode, where it selects the standalone pod), one workload per
 * frontend node group — Deployments, or StatefulSets with `enableFrontendStatefulSet`; switching removes
 * the other form's workloads — and, special to the frontend, the headless Service its StatefulSets need.
 */
export const syncFrontend = syncComponent('SyncFrontend', COMPONENTS.frontend, frontendHeadlessServiceOnlyForStatefulSets);

function frontendHeadlessServiceOnlyForStatefulSets(ctx: RisingWaveContext): void {
  const headless = frontendHeadlessServiceName(ctx.rw.metadata.name);
  if (isStandalone(ctx.rw)) {
    removeIfObserved(ctx, SERVICE_KEY, headless, 'standalone mode is enabled');
  } else if (frontendIsStatefulSet(ctx.rw)) {
    putBuilt(ctx, frontendHeadlessService);
  } else {
    removeIfObserved(ctx, SERVICE_KEY, headless, 'the frontend runs as Deployments (enableFrontendStatefulSet is off)');
  }
}
