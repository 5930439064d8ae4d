/**
 * The component table: what tells meta, compute, compactor and frontend (and the standalone process)
 * apart, one row each. Pod templates (pod-template.ts), Services (services.ts), the plan (plan.ts) and the
 * component reactions (reactions/component.ts) read the rows instead of switching on the name, so a new
 * component is a row plus whatever is genuinely special about it.
 *
 * The genuine special cases, kept as code and named where they live: the frontend runs as a StatefulSet
 * or a Deployment (`workloadKind`) and then needs its own headless governing Service (services.ts,
 * reactions/component.ts); its Service stays in standalone mode, selecting the standalone pod
 * (services.ts); embedded serving changes the frontend's readiness probe and adds a preStop hook.
 */
import type { ILifecycle } from 'kubernetes-models/v1/Lifecycle';
import type { RisingWave, ServiceMetadata } from '../api/risingwave.js';
import { compactorEnv, computeEnv, frontendEnv, metaEnv, standaloneEnv, type ComponentEnv } from './env/components.js';
import { frontendIsStatefulSet, isEmbeddedServing, webhookListenerEnabled, type BuildInput, type WorkloadKind } from './input.js';
import {
  compactorInvocation,
  computeInvocation,
  frontendInvocation,
  metaInvocation,
  standaloneInvocation,
  type Invocation,
} from './invocation.js';
import { frontendHeadlessServiceName, serviceName, type GroupComponent, type WorkloadComponent } from './names.js';
import { RISINGWAVE_BINARY } from './pod-group.js';
import {
  COMPACTOR_METRICS_PORT,
  COMPACTOR_SERVICE_PORT,
  COMPUTE_METRICS_PORT,
  COMPUTE_SERVICE_PORT,
  FRONTEND_METRICS_PORT,
  FRONTEND_SERVICE_PORT,
  META_DASHBOARD_PORT,
  META_METRICS_PORT,
  META_SERVICE_PORT,
  PORT_DASHBOARD,
  PORT_HTTP,
  PORT_METRICS,
  PORT_SERVICE,
  WEBHOOK_LISTENER_PORT,
  type NamedPort,
} from './ports.js';
import { embeddedServingReadinessProbe, tcpProbes, type Probes } from './probes.js';

/** What runs in a component's RisingWave container. */
export interface ProcessRow {
  readonly component: WorkloadComponent;
  /** The container's ports, in the Go operator's order; Services target them by name. */
  readonly ports: (rw: RisingWave) => NamedPort[];
  readonly probes: (rw: RisingWave) => Probes;
  readonly lifecycle: (rw: RisingWave) => ILifecycle | undefined;
  readonly invocation: (input: BuildInput) => Invocation;
  readonly env: ComponentEnv;
  /** The Service its StatefulSets name as `serviceName`, so `$(POD_NAME).<svc>` resolves for any group. */
  readonly governingService: (rwName: string) => string;
  /** How its StatefulSet starts and stops pods. */
  readonly podManagementPolicy: 'OrderedReady' | 'Parallel';
}

/** The `N-<component>` Service: every container port, TCP, targeted by name, across all node groups. */
export interface ServiceShape {
  /** `clusterIP: None`: the Service only gives the StatefulSet pods DNS names. */
  readonly headless: boolean;
  readonly type: (rw: RisingWave) => 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  /** Labels and annotations the user adds to the Service. */
  readonly metadata: (rw: RisingWave) => ServiceMetadata | undefined;
  /** Standalone mode removes the Service, or keeps it pointed at the standalone pod. */
  readonly inStandalone: 'removed' | 'selects the standalone pod';
}

/** A component deployed as node groups: one workload per group, plus its Service. */
export interface ComponentRow extends ProcessRow {
  readonly component: GroupComponent;
  readonly workloadKind: (rw: RisingWave) => WorkloadKind;
  readonly service: ServiceShape;
}

const withWebhookListener = (rw: RisingWave): NamedPort[] => (webhookListenerEnabled(rw) ? [{ name: PORT_HTTP, port: WEBHOOK_LISTENER_PORT }] : []);
function always<T>(value: T): () => T {
  return () => value;
}
const noLifecycle = (): undefined => undefined;
const noMetadata = (): undefined => undefined;
const headlessClusterIP = { headless: true, type: always('ClusterIP' as const), inStandalone: 'removed' as const };
/** Startup failure threshold (× 5 s) of every component but compute. */
const STARTUP_CHECKS = 12;

const meta = {
  component: 'meta',
  workloadKind: always('StatefulSet'),
  ports: () => [
    { name: PORT_SERVICE, port: META_SERVICE_PORT },
    { name: PORT_METRICS, port: META_METRICS_PORT },
    { name: PORT_DASHBOARD, port: META_DASHBOARD_PORT },
  ],
  service: { ...headlessClusterIP, metadata: (rw) => rw.spec.additionalMetaServiceMetadata },
  probes: () => tcpProbes(STARTUP_CHECKS),
  lifecycle: noLifecycle,
  invocation: metaInvocation,
  env: metaEnv,
  governingService: (n) => serviceName(n, 'meta'),
  podManagementPolicy: 'Parallel',
} satisfies ComponentRow;

const compute = {
  component: 'compute',
  workloadKind: always('StatefulSet'),
  ports: () => [
    { name: PORT_SERVICE, port: COMPUTE_SERVICE_PORT },
    { name: PORT_METRICS, port: COMPUTE_METRICS_PORT },
  ],
  service: { ...headlessClusterIP, metadata: noMetadata },
  // Compute may rebuild a persistent file cache before it listens.
  probes: () => tcpProbes(36),
  lifecycle: noLifecycle,
  invocation: computeInvocation,
  env: computeEnv,
  governingService: (n) => serviceName(n, 'compute'),
  podManagementPolicy: 'Parallel',
} satisfies ComponentRow;

const compactor = {
  component: 'compactor',
  workloadKind: always('Deployment'),
  ports: () => [
    { name: PORT_SERVICE, port: COMPACTOR_SERVICE_PORT },
    { name: PORT_METRICS, port: COMPACTOR_METRICS_PORT },
  ],
  service: { ...headlessClusterIP, metadata: noMetadata },
  probes: () => tcpProbes(STARTUP_CHECKS),
  lifecycle: noLifecycle,
  invocation: compactorInvocation,
  env: compactorEnv,
  governingService: (n) => serviceName(n, 'compactor'),
  podManagementPolicy: 'Parallel',
} satisfies ComponentRow;

const frontend = {
  component: 'frontend',
  // Special: Deployments unless `enableFrontendStatefulSet`; the reaction removes the other form.
  workloadKind: (rw) => (frontendIsStatefulSet(rw) ? 'StatefulSet' : 'Deployment'),
  ports: (rw) => [{ name: PORT_SERVICE, port: FRONTEND_SERVICE_PORT }, { name: PORT_METRICS, port: FRONTEND_METRICS_PORT }, ...withWebhookListener(rw)],
  // The SQL entry point: not headless, of the type the user asks for, and there in standalone mode too.
  service: {
    headless: false,
    type: (rw) => rw.spec.frontendServiceType ?? 'ClusterIP',
    metadata: (rw) => rw.spec.additionalFrontendServiceMetadata,
    inStandalone: 'selects the standalone pod',
  },
  probes: (rw) => {
    const probes = tcpProbes(STARTUP_CHECKS);
    return isEmbeddedServing(rw) ? { ...probes, readiness: embeddedServingReadinessProbe() } : probes;
  },
  // The serving compute beside an embedded-serving frontend leaves the cluster before the pod stops.
  lifecycle: (rw) =>
    isEmbeddedServing(rw)
      ? { preStop: { exec: { command: ['bash', '-c', `${RISINGWAVE_BINARY} ctl meta unregister-workers --yes --workers \${POD_IP}:${COMPUTE_SERVICE_PORT}`] } } }
      : undefined,
  invocation: frontendInvocation,
  env: frontendEnv,
  // Special: its own Service is not headless, so its StatefulSets get a headless one.
  governingService: frontendHeadlessServiceName,
  // Frontends roll one pod at a time (operator PR #1053); every other component starts pods together.
  podManagementPolicy: 'OrderedReady',
} satisfies ComponentRow;

/** The node-group components by name (GROUP_COMPONENTS in names.ts gives the order they are visited in). */
export const COMPONENTS: { readonly [C in GroupComponent]: ComponentRow & { readonly component: C } } = {
  meta,
  frontend,
  compute,
  compactor,
};

/** The standalone process: every component in one pod, one StatefulSet without node groups. */
export const STANDALONE: ProcessRow = {
  component: 'standalone',
  ports: (rw) => [
    { name: PORT_METRICS, port: META_METRICS_PORT },
    { name: PORT_SERVICE, port: FRONTEND_SERVICE_PORT },
    { name: PORT_DASHBOARD, port: META_DASHBOARD_PORT },
    ...withWebhookListener(rw),
  ],
  probes: () => tcpProbes(STARTUP_CHECKS),
  lifecycle: noLifecycle,
  invocation: standaloneInvocation,
  env: standaloneEnv,
  governingService: (n) => serviceName(n, 'standalone'),
  podManagementPolicy: 'Parallel',
};

export function processRow(component: WorkloadComponent): ProcessRow {
  return component === 'standalone' ? STANDALONE : COMPONENTS[component];
}
