import type { NodeGroup, RisingWave } from '../api/risingwave.js';
import type { ObservedIndex } from '../kube/observed.js';
import {
  GROUP_COMPONENTS,
  childNameProblem,
  componentName,
  defaultConfigMapName,
  frontendHeadlessServiceName,
  labelValueProblem,
  serviceMonitorName,
  serviceName,
  type GroupComponent,
  type NamedChild,
} from './names.js';

/** What every builder needs besides the RisingWave: kept small so builders stay pure and testable alone. */
export interface BuildInput {
  readonly rw: RisingWave;
  readonly operatorVersion: string;
  /** The API server keeps StatefulSet `updateStrategy.rollingUpdate.maxUnavailable` (see builders/workloads.ts). */
  readonly maxUnavailableStatefulSet: boolean;
  /** ConfigMaps and Secrets fetched for the customize hook; drives the config-hash annotation. */
  readonly related?: ObservedIndex;
}

export type WorkloadKind = 'StatefulSet' | 'Deployment';

export function isStandalone(rw: RisingWave): boolean {
  return rw.spec.enableStandaloneMode === true;
}

export function isEmbeddedServing(rw: RisingWave): boolean {
  return rw.spec.enableEmbeddedServingMode === true;
}

/** The CRD defaults the listener to true; a parent stored before that default is treated the same way. */
export function webhookListenerEnabled(rw: RisingWave): boolean {
  return rw.spec.enableWebhookListener !== false;
}

export function frontendIsStatefulSet(rw: RisingWave): boolean {
  return rw.spec.enableFrontendStatefulSet === true;
}

/** Meta and compute are always StatefulSets, the compactor always a Deployment; the frontend is either. */
export function workloadKind(rw: RisingWave, component: GroupComponent): WorkloadKind {
  switch (component) {
    case 'meta':
    case 'compute':
      return 'StatefulSet';
    case 'compactor':
      return 'Deployment';
    case 'frontend':
      return frontendIsStatefulSet(rw) ? 'StatefulSet' : 'Deployment';
  }
}

/** The node groups that should have a workload: none in standalone mode (the groups are ignored there). */
export function expectedGroups(rw: RisingWave, component: GroupComponent): NodeGroup[] {
  if (isStandalone(rw)) return [];
  return [...(rw.spec.components?.[component]?.nodeGroups ?? [])];
}

/** Every child the spec asks for, by kind and name: the input to name validation. */
export function expectedChildNames(rw: RisingWave, serviceMonitor: boolean): NamedChild[] {
  const n = rw.metadata.name;
  const out: NamedChild[] = [
    { kind: 'ConfigMap', name: defaultConfigMapName(n) },
    { kind: 'Service', name: serviceName(n, 'frontend') },
  ];
  if (isStandalone(rw)) {
    out.push({ kind: 'Service', name: serviceName(n, 'standalone') });
    out.push({ kind: 'StatefulSet', name: componentName(n, 'standalone') });
  } else {
    for (const c of ['meta', 'compute', 'compactor'] as const) out.push({ kind: 'Service', name: serviceName(n, c) });
    if (frontendIsStatefulSet(rw)) out.push({ kind: 'Service', name: frontendHeadlessServiceName(n) });
    for (const c of GROUP_COMPONENTS) {
      for (const g of expectedGroups(rw, c)) out.push({ kind: workloadKind(rw, c), name: componentName(n, c, g.name) });
    }
  }
  if (serviceMonitor && rw.spec.enableDefaultServiceMonitor === true) {
    out.push({ kind: 'ServiceMonitor', name: serviceMonitorName(n) });
  }
  return out;
}

/**
 * Names and label values that Kubernetes would refuse (or that would create a StatefulSet whose pods can
 * never be created). Empty when every child can exist. Status surfaces these; the builders do not fail.
 */
export function namingProblems(rw: RisingWave, serviceMonitor = true): string[] {
  const problems: string[] = [];
  const nameProblem = labelValueProblem('RisingWave name', rw.metadata.name);
  if (nameProblem) problems.push(nameProblem);
  for (const c of GROUP_COMPONENTS) {
    for (const g of expectedGroups(rw, c)) {
      const p = g.name === '' ? undefined : labelValueProblem(`${c} node group name`, g.name);
      if (p) problems.push(p);
    }
  }
  for (const child of expectedChildNames(rw, serviceMonitor)) {
    const p = childNameProblem(child);
    if (p) problems.push(p);
  }
  return [...new Set(problems)];
}
