/**
 * The RisingWave workflow tree, in one file. It mirrors the risingwave-operator's reaction tree
 * (reference §5.3) adapted to a stateless hook: there is no status-write step (the response is the write),
 * and conditions are derived from the observed children on every sync instead of edge-triggered.
 */
import { Join, Parallel, Sequential, Shared } from '../workflow/index.js';
import type { RisingWaveContext } from './context.js';
import { pauseGate, validSpecGate } from '../reactions/gates.js';
import { syncConfigMap } from '../reactions/config-map.js';
import { syncMeta } from '../reactions/meta.js';
import { syncFrontend } from '../reactions/frontend.js';
import { syncCompute } from '../reactions/compute.js';
import { syncCompactor } from '../reactions/compactor.js';
import { syncStandalone } from '../reactions/standalone.js';
import { syncServiceMonitor } from '../reactions/service-monitor.js';
import { collectStatus } from '../reactions/status.js';

type R = RisingWaveContext;

/** "Sync components and sub-resources": run at most once per sync, whichever branch asks first. */
export const syncComponentsAndSubResources = Shared<R>(
  Join<R>(
    'SyncComponentsAndSubResources',
    syncConfigMap,
    Parallel(syncMeta),
    Parallel(syncCompute),
    Parallel(syncCompactor),
    Parallel(syncFrontend),
    Parallel(syncStandalone),
  ),
);

export const risingWaveWorkflow = Sequential<R>(
  'RisingWave',
  validSpecGate,
  pauseGate,
  Join<R>('Reconcile', syncComponentsAndSubResources, syncServiceMonitor, collectStatus),
);
