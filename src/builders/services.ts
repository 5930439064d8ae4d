import type { IService } from 'kubernetes-models/v1/Service';
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import type { ServiceMetadata } from '../api/risingwave.js';
import { COMPONENTS, STANDALONE, type ComponentRow } from './components.js';
import { isStandalone, type BuildInput } from './input.js';
import { componentSelector, objectLabels, LABEL_COMPONENT, type Labels } from './labels.js';
import { GROUP_COMPONENTS, frontendHeadlessServiceName, serviceName, type GroupComponent, type WorkloadComponent } from './names.js';
import { PORT_METRICS, PORT_SERVICE, type NamedPort } from './ports.js';

/**
 * The component Services (reference §3.1). Every port is TCP and targets the container port by name, so a
 * Service spans all node groups of its component whatever their pod templates say.
 *
 * Canonical form: `sessionAffinity: None` is emitted because every API server stores it. `clusterIP` (for
 * non-headless Services), `ipFamilies`, `ipFamilyPolicy` and `internalTrafficPolicy` are left to the server:
 * they depend on the cluster, and Metacontroller's 3-way merge keeps fields the hook never sent.
 */

function servicePorts(ports: readonly NamedPort[]): IServicePort[] {
  return ports.map((p) => ({ name: p.name, protocol: 'TCP', port: p.port, targetPort: p.name }));
}

function mergeMetadata(system: Labels, extra: ServiceMetadata | undefined): { labels: Labels; annotations?: Labels } {
  // System labels win: the webhook refuses `risingwave/` keys in the extra labels anyway.
  const labels = { ...(extra?.labels ?? {}), ...system };
  const annotations = extra?.annotations && Object.keys(extra.annotations).length > 0 ? { ...extra.annotations } : undefined;
  return annotations ? { labels, annotations } : { labels };
}

function service(
  input: BuildInput,
  name: string,
  component: WorkloadComponent,
  spec: { type: 'ClusterIP' | 'NodePort' | 'LoadBalancer'; headless: boolean; ports: readonly NamedPort[]; selector: Labels },
  extra?: ServiceMetadata,
): IService {
  const { rw, operatorVersion } = input;
  const meta = mergeMetadata(objectLabels(rw, operatorVersion, { component }), extra);
  const svc: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: rw.metadata.namespace, ...meta },
    spec: {
      type: spec.type,
      selector: spec.selector,
      sessionAffinity: 'None',
    },
  };
  if (spec.headless) svc.spec!.clusterIP = 'None';
  if (spec.ports.length > 0) svc.spec!.ports = servicePorts(spec.ports);
  if (spec.type !== 'ClusterIP') svc.spec!.externalTrafficPolicy = 'Cluster';
  return svc;
}

/**
 * `N-<component>` from the component's row: its container ports and Service shape. A Service kept in
 * standalone mode (the frontend's, the SQL entry point) selects the standalone pod instead and drops the
 * metrics port, so one telemetry config covers every RisingWave.
 */
function componentService(row: ComponentRow): (input: BuildInput) => IService {
  const { component, service: shape } = row;
  return (input) => {
    const { rw } = input;
    const n = rw.metadata.name;
    const standalone = shape.inStandalone === 'selects the standalone pod' && isStandalone(rw);
    const ports = row.ports(rw).filter((p) => !standalone || p.name !== PORT_METRICS);
    const selector = { ...componentSelector(n, component), ...(standalone ? { [LABEL_COMPONENT]: 'standalone' } : {}) };
    return service(input, serviceName(n, component), component, { type: shape.type(rw), headless: shape.headless, selector, ports }, shape.metadata(rw));
  };
}

/**
 * Each component's Service builder, made once: the reactions put them through the workload memo, which
 * is keyed by the builder function itself.
 */
export const COMPONENT_SERVICES: { readonly [C in GroupComponent]: (input: BuildInput) => IService } = Object.fromEntries(
  GROUP_COMPONENTS.map((c) => [c, componentService(COMPONENTS[c])]),
) as { [C in GroupComponent]: (input: BuildInput) => IService };

export const metaService = COMPONENT_SERVICES.meta;
export const computeService = COMPONENT_SERVICES.compute;
export const compactorService = COMPONENT_SERVICES.compactor;
export const frontendService = COMPONENT_SERVICES.frontend;

/** The governing Service of frontend StatefulSets: headless and port-less, it only gives pods DNS names. */
export function frontendHeadlessService(input: BuildInput): IService {
  const n = input.rw.metadata.name;
  return service(input, frontendHeadlessServiceName(n), 'frontend', {
    type: 'ClusterIP',
    headless: true,
    selector: componentSelector(n, 'frontend'),
    ports: [],
  });
}

/** `N-standalone`: the standalone container's ports, the SQL port first as the operator lists it. */
export function standaloneService(input: BuildInput): IService {
  const n = input.rw.metadata.name;
  const ports = STANDALONE.ports(input.rw);
  return service(input, serviceName(n, 'standalone'), 'standalone', {
    type: 'ClusterIP',
    headless: false,
    selector: componentSelector(n, 'standalone'),
    ports: [...ports.filter((p) => p.name === PORT_SERVICE), ...ports.filter((p) => p.name !== PORT_SERVICE)],
  });
}
