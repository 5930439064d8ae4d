import type { NodeGroup, RisingWave } from '../api/risingwave.js';
import { COMPONENTS } from './components.js';
import { frontendIsStatefulSet, isStandalone, type WorkloadKind } from './input.js';
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

export { frontendIsStatefulSet, isEmbeddedServing, isStandalone, webhookListenerEnabled, type BuildInput, type WorkloadKind } from './input.js';

/** The kind of a component's workloads, as its row in the component table says. */
export function workloadKind(rw: RisingWave, component: GroupComponent): WorkloadKind {
  return COMPONENTS[component].workloadKind(rw);
}

/** The node groups that should have a workload: none in standalone mode (the groups are ignored there). */
export function expectedGroups(rw: RisingWave, component: GroupComponent): NodeGroup[] {
  if (isStandalone(rw)) return [];
  return [...(rw.spec.components?.[component]?.nodeGroups ?? [])];
}

/** Every child the spec asks for, by kind and name: the input to name validation. */
export function expectedChildNames(rw: RisingWave, serviceMonitor: boolean): NamedChild[] {
  const n = rw.metadata.name;
  const keptInStandalone = (c: GroupComponent) => COMPONENTS[c].service.inStandalone !== 'removed';
  const out: NamedChild[] = [{ kind: 'ConfigMap', name: defaultConfigMapName(n) }];
  for (const c of GROUP_COMPONENTS.filter(keptInStandalone)) out.push({ kind: 'Service', name: serviceName(n, c) });
  if (isStandalone(rw)) {
    out.push({ kind: 'Service', name: serviceName(n, 'standalone') });
    out.push({ kind: 'StatefulSet', name: componentName(n, 'standalone') });
  } else {
    for (const c of GROUP_COMPONENTS.filter((c) => !keptInStandalone(c))) out.push({ kind: 'Service', name: serviceName(n, c) });
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
