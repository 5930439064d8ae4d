/**
 * The RisingWave workflow tree, in one file. It mirrors the risingwave-operator's reaction tree
 * (reference §5.3), adapted to a stateless hook:
 *
 * - There is no status-write step: the response is the write.
 * - "Sync components and sub-resources" runs on every sync, not only in the Initializing/Running/Upgrading
 *   branches: Metacontroller applies the complete desired set each time (and deletes what is left out), so
 *   the desired children must be decided every time — that is also what corrects drift. The branches still
 *   name it, as in the diagram; Shared runs it once per sync.
 * - The first sync of a new RisingWave already creates every child (the operator spends a pass on
 *   conditions only).
 * - The wait steps do not just exit: RolloutDeadline keeps the waiting condition's reason current, reports
 *   a rollout that outlives `rolloutDeadlineSeconds` (measured from the condition's lastTransitionTime) as
 *   RolloutStuck, and asks Metacontroller to call again with a backoff.
 * - Barriers read the conditions as stored when the sync began, like the operator's immutable snapshot.
 *
 * Reading guide: `Sequential` is a gate (stops at the first step that does not continue), `Join` runs every
 * branch and merges their outcomes (an error wins, then the soonest requeue).
 */
import { Join, Parallel, Sequential, Shared } from '../workflow/index.js';
import type { RisingWaveContext } from '../reactions/context.js';
import { pauseGate, validSpecGate } from '../reactions/gates.js';
import { syncConfigMap } from '../reactions/config-map.js';
import { syncCompactor, syncCompute, syncFrontend, syncMeta } from '../reactions/component.js';
import { syncStandalone } from '../reactions/standalone.js';
import { syncServiceMonitor } from '../reactions/service-monitor.js';
import { syncAutoscalers } from '../reactions/autoscaler.js';
import {
  allComponentsReady,
  barrierConditionInitializingIsTrue,
  barrierConditionRunningIsFalse,
  barrierConditionRunningIsTrue,
  barrierConditionsInOtherWords,
  barrierConditionUpgradingIsTrue,
  barrierFirstTimeObserved,
  barrierSpecChanged,
  markConditionInitializingAsTrue,
  markConditionRunningAsFalse,
  markConditionRunningAsTrue,
  markConditionUpgradingAsFalse,
  markConditionUpgradingAsTrue,
  removeConditionInitializing,
  resyncSoon,
  rewordSettledConditions,
  RolloutDeadline,
} from '../reactions/status/lifecycle.js';
import { syncInternalStatus, syncRunningStatus } from '../reactions/status/collect.js';
import { syncConfigurationStatus } from '../reactions/status/configuration.js';
import { recreateOnImmutableFieldChange } from '../reactions/status/recreate.js';

type R = RisingWaveContext;

/**
 * S in the diagram: "sync components and sub-resources" — every facet decides its children (put, remove,
 * or leave alone to be carried over; node groups with `autoscaling` also get a HorizontalPodAutoscaler), then StatefulSets whose immutable fields changed are taken back to be
 * recreated. Run at most once per sync, whichever branch asks first.
 */
export const syncComponentsAndSubResources = Shared<R>(
  Sequential<R>(
    'SyncComponentsAndSubResources',
    Join<R>(
      'SyncAllComponents',
      syncConfigMap,
      Parallel(syncMeta),
      Parallel(syncCompute),
      Parallel(syncCompactor),
      Parallel(syncFrontend),
      Parallel(syncStandalone),
      Parallel(syncAutoscalers),
    ),
    recreateOnImmutableFieldChange,
  ),
);

const S = syncComponentsAndSubResources;

export const risingWaveWorkflow = Sequential<R>(
  'RisingWave',
  validSpecGate,
  pauseGate,
  Join<R>(
    'Reconcile',
    syncInternalStatus,
    S,
    syncServiceMonitor,
    Sequential<R>('FirstTimeObserved', barrierFirstTimeObserved, S, markConditionInitializingAsTrue, markConditionRunningAsFalse, resyncSoon),
    Sequential<R>('Initializing', barrierConditionInitializingIsTrue, S, RolloutDeadline('Initializing', allComponentsReady), removeConditionInitializing),
    Sequential<R>('Recovering', barrierConditionRunningIsFalse, S, RolloutDeadline('Running', allComponentsReady), markConditionRunningAsTrue),
    Sequential<R>('SpecChanged', barrierConditionRunningIsTrue, S, barrierSpecChanged, markConditionUpgradingAsTrue, resyncSoon),
    Sequential<R>('Upgrading', barrierConditionUpgradingIsTrue, S, RolloutDeadline('Upgrading', allComponentsReady), markConditionUpgradingAsFalse),
    // Not in the operator's tree: conditions it wrote (empty reasons), taken over after a switch.
    Sequential<R>('TakenOver', barrierConditionsInOtherWords, S, allComponentsReady, rewordSettledConditions),
    Sequential<R>('SyncRunningStatus', S, syncRunningStatus),
    syncConfigurationStatus,
  ),
);
