import type { RisingWaveContext } from './context.js';
import { defaultConfigMap } from '../builders/config-map.js';
import { defaultConfigMapName } from '../builders/names.js';
import { CONTINUE, reaction } from '../workflow/index.js';
import { buildInput, put } from './support.js';
import { CONFIGMAP_KEY } from '../kube/child-keys.js';

/**
 * `N-default-config`. Created with an empty risingwave.toml; once it exists its data is whatever is stored
 * (the Go operator never updates it, and a user may have edited it).
 */
export const syncConfigMap = reaction<RisingWaveContext>('SyncConfigConfigMap', (ctx) => {
  const observed = ctx.observed.get(CONFIGMAP_KEY, defaultConfigMapName(ctx.rw.metadata.name));
  put(ctx, defaultConfigMap(buildInput(ctx), observed as { data?: unknown; binaryData?: unknown } | undefined));
  return CONTINUE;
});
