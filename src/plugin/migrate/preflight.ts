/**
 * The cluster-wide conditions for a safe switch, judged from objects read through kubectl (pure functions,
 * so each refusal is tested without a cluster).
 */
import type { RwObject } from '../kubectl.js';

export const RW_GROUP = 'risingwave.risingwavelabs.com';
export const RW_CRD_NAME = `risingwaves.${RW_GROUP}`;
export const CC_CRD_NAME = 'compositecontrollers.metacontroller.k8s.io';
/** The operator's leader-election lease (cmd/manager: LeaderElectionID). */
export const OPERATOR_LEASE = '02bd7444.risingwavelabs.com';

export interface Check {
  readonly name: 'crd' | 'webhooks' | 'operator' | 'metacontroller' | 'controller' | 'hook';
  readonly ok: boolean;
  readonly message: string;
}

/** The installed RisingWave CRD must be the hook's: no conversion webhook, the hook's CEL rules, not controller-gen's. */
export function checkCrd(crd: RwObject | undefined): Check {
  if (crd === undefined) return { name: 'crd', ok: false, message: `the RisingWave CRD (${RW_CRD_NAME}) is not installed` };
  const strategy = crd.spec?.conversion?.strategy as string | undefined;
  if (strategy !== undefined && strategy !== 'None') {
    return { name: 'crd', ok: false, message: `the RisingWave CRD converts through a webhook (strategy ${strategy}); replace it with the hook's: kubectl replace -f crds/risingwave.risingwavelabs.com_risingwaves.yaml` };
  }
  const generator = crd.metadata?.annotations?.['controller-gen.kubebuilder.io/version'] as string | undefined;
  const hasCel = JSON.stringify(crd.spec?.versions ?? []).includes('"x-kubernetes-validations"');
  if (generator !== undefined || !hasCel) {
    return { name: 'crd', ok: false, message: `the RisingWave CRD is the operator's${generator ? ` (controller-gen ${generator})` : ''}, not the hook's; replace it: kubectl replace -f crds/risingwave.risingwavelabs.com_risingwaves.yaml` };
  }
  return { name: 'crd', ok: true, message: "the RisingWave CRD is the hook's, without a conversion webhook" };
}

/** No admission webhook may still send RisingWaves to the operator (failurePolicy Fail would block every edit once it is gone). */
export function checkWebhooks(configurations: readonly RwObject[]): Check {
  const hits: string[] = [];
  for (const cfg of configurations) {
    const targets = (cfg.webhooks as RwObject[] | undefined)?.some((w) =>
      (w.rules as RwObject[] | undefined)?.some((r) => (r.apiGroups as string[] | undefined)?.includes(RW_GROUP)),
    );
    if (targets) hits.push(`${cfg.kind as string} ${cfg.metadata?.name as string}`);
  }
  return hits.length > 0
    ? { name: 'webhooks', ok: false, message: `admission webhooks still intercept RisingWaves: ${hits.join(', ')} (delete them once the operator is stopped)` }
    : { name: 'webhooks', ok: true, message: 'no admission webhook intercepts RisingWaves' };
}

function images(workload: RwObject): string[] {
  const containers = (workload.spec?.template?.spec?.containers ?? []) as RwObject[];
  return containers.map((c) => String(c.image ?? ''));
}

function running(workload: RwObject): boolean {
  return Number(workload.spec?.replicas ?? 1) > 0 || Number(workload.status?.replicas ?? 0) > 0;
}

function ref(o: RwObject): string {
  return `${o.kind as string} ${o.metadata?.namespace as string}/${o.metadata?.name as string}`;
}

/**
 * The operator must be stopped: no workload running its image, no fresh hold on its leader lease (an
 * operator run outside the cluster with leader election off cannot be seen; the docs say so).
 */
export function checkOperator(workloads: readonly RwObject[], leases: readonly RwObject[], now: Date): Check {
  const live = workloads.filter((w) => running(w) && images(w).some((i) => /risingwave-operator/.test(i)));
  if (live.length > 0) return { name: 'operator', ok: false, message: `the operator is still running: ${live.map(ref).join(', ')} (scale it to 0 replicas)` };
  for (const lease of leases) {
    if (lease.metadata?.name !== OPERATOR_LEASE || !lease.spec?.holderIdentity) continue;
    const renewed = Date.parse(String(lease.spec.renewTime ?? lease.spec.acquireTime ?? ''));
    const duration = Number(lease.spec.leaseDurationSeconds ?? 15);
    if (Number.isFinite(renewed) && renewed + duration * 1000 > now.getTime()) {
      return { name: 'operator', ok: false, message: `the operator holds its leader lease ${lease.metadata.namespace as string}/${OPERATOR_LEASE} (holder ${String(lease.spec.holderIdentity)}); stop it first` };
    }
  }
  return { name: 'operator', ok: true, message: 'no running operator found (no workload with its image, no live leader lease)' };
}

/** Metacontroller must be installed (its CRD) and running (a ready workload with its image). */
export function checkMetacontroller(ccCrd: RwObject | undefined, workloads: readonly RwObject[]): Check {
  if (ccCrd === undefined) return { name: 'metacontroller', ok: false, message: `Metacontroller is not installed (no ${CC_CRD_NAME} CRD)` };
  const ready = workloads.filter((w) => Number(w.status?.readyReplicas ?? 0) > 0 && images(w).some((i) => /metacontroller/.test(i) && !/risingwave/.test(i)));
  if (ready.length === 0) {
    return { name: 'metacontroller', ok: false, message: 'no ready Metacontroller workload found (if it runs outside the cluster, pass --skip-check metacontroller)' };
  }
  return { name: 'metacontroller', ok: true, message: `Metacontroller runs: ${ready.map(ref).join(', ')}` };
}

/** The CompositeController that syncs RisingWaves, if any. */
export function risingWaveController(controllers: readonly RwObject[]): RwObject | undefined {
  return controllers.find((cc) => cc.spec?.parentResource?.resource === 'risingwaves' && String(cc.spec?.parentResource?.apiVersion ?? '').startsWith(`${RW_GROUP}/`));
}

export interface HookAddress {
  readonly url?: string;
  readonly service?: { namespace: string; name: string; port: number; protocol: string };
}

/** Where the hook answers: the CompositeController's sync webhook when it exists, else the flags. */
export function hookAddress(cc: RwObject | undefined, flagUrl: string | undefined, flagService: string): HookAddress {
  const webhook = cc?.spec?.hooks?.sync?.webhook as RwObject | undefined;
  if (webhook?.url) return { url: String(webhook.url) };
  if (webhook?.service) {
    const s = webhook.service as RwObject;
    return { service: { namespace: String(s.namespace), name: String(s.name), port: Number(s.port ?? 80), protocol: String(s.protocol ?? 'http') } };
  }
  if (flagUrl !== undefined) return { url: flagUrl };
  const m = /^([^/]+)\/([^:]+)(?::(\d+))?$/.exec(flagService);
  if (!m) throw new Error(`--hook-service must be NAMESPACE/NAME[:PORT], got ${JSON.stringify(flagService)}`);
  return { service: { namespace: m[1]!, name: m[2]!, port: Number(m[3] ?? 80), protocol: 'http' } };
}

/** `/readyz` of the hook, through the API server's service proxy or at the URL's origin. */
export function readyzTarget(addr: HookAddress): { raw: string } | { url: string } {
  if (addr.url !== undefined) return { url: new URL('/readyz', addr.url).toString() };
  const s = addr.service!;
  return { raw: `/api/v1/namespaces/${s.namespace}/services/${s.protocol}:${s.name}:${s.port}/proxy/readyz` };
}
