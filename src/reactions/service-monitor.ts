import type { RisingWaveContext } from './context.js';
import { serviceMonitorName } from '../builders/names.js';
import { serviceMonitor } from '../builders/service-monitor.js';
import { CONTINUE, reaction } from '../workflow/index.js';
import { putBuilt, removeIfObserved } from './support.js';
import { SERVICE_MONITOR_KEY } from '../kube/child-keys.js';
import { ConditionType, Reason } from './status/vocabulary.js';

/**
 * `risingwave-N` when `enableDefaultServiceMonitor` is on and the CompositeController registers
 * ServiceMonitors as a child type. When it is wanted but not registered (no Prometheus operator CRD), the
 * sync goes on and a condition says why; when it is turned off, an observed one is removed.
 */
export const syncServiceMonitor = reaction<RisingWaveContext>('SyncServiceMonitor', (ctx) => {
  const name = serviceMonitorName(ctx.rw.metadata.name);
  if (ctx.rw.spec.enableDefaultServiceMonitor !== true) {
    removeIfObserved(ctx, SERVICE_MONITOR_KEY, name, 'enableDefaultServiceMonitor is off');
    ctx.conditions.remove(ConditionType.ServiceMonitor);
    return CONTINUE;
  }
  if (!ctx.capabilities.serviceMonitor) {
    ctx.conditions.set(
      ConditionType.ServiceMonitor,
      'False',
      Reason.CRDNotRegistered,
      `enableDefaultServiceMonitor is on, but ServiceMonitor (monitoring.coreos.com/v1) is not a child resource of the CompositeController; ${name} was not created`,
    );
    return CONTINUE;
  }
  putBuilt(ctx, serviceMonitor);
  ctx.conditions.remove(ConditionType.ServiceMonitor);
  return CONTINUE;
});
