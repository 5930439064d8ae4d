/**
 * TEST INSTRUMENT — an API server + Metacontroller simulator for multi-step tests.
 *
 * It keeps a parent RisingWave and its children the way the API server would store them, turns that into
 * the sync request Metacontroller would send (hook v1 or v2 inner keys), and applies a sync response the
 * way Metacontroller's dynamic apply would (reference/metacontroller.md §3.4–3.5):
 * - children missing from the response are deleted;
 * - new children are created: uid, resourceVersion, generation 1 (workloads and custom resources),
 *   creationTimestamp, managedFields, namespace, the controller ownerReference, the
 *   `metacontroller.k8s.io/last-applied-configuration` annotation with the desired JSON, and a few server
 *   defaults (Service clusterIP/ports, StatefulSet/Deployment strategies, pod template and container
 *   defaults, PVC template defaults);
 * - existing children get the 3-way merge of test/e2e/driver/merge.ts (Metacontroller's ApplyUpdate); the
 *   generation goes up only when `spec` changes, the resourceVersion whenever anything changes;
 * - the parent's status is replaced by the response's, plus `observedGeneration`.
 * Workload status never changes by itself: tests roll workloads out with `rollOut`/`setWorkloadStatus`.
 */
import { applyUpdate, canonicalJson, deepClone, type JsonObject } from '../e2e/driver/merge.js';
import type { SyncRequest, SyncResponse } from '../../src/api/metacontroller.js';
import type { KubeObject } from '../../src/kube/kube-object.js';

export const LAST_APPLIED = 'metacontroller.k8s.io/last-applied-configuration';

/** `{"Kind.apiVersion": {name: object}}`: what is stored, by the object's own name. */
export type ObservedSet = Record<string, Record<string, KubeObject>>;

export const DEFAULT_CHILD_KEYS = ['ConfigMap.v1', 'Deployment.apps/v1', 'Service.v1', 'StatefulSet.apps/v1'] as const;
export const SERVICE_MONITOR_KEY = 'ServiceMonitor.monitoring.coreos.com/v1';
const WORKLOAD_KEYS = new Set(['StatefulSet.apps/v1', 'Deployment.apps/v1']);
const GENERATION_KINDS = new Set(['StatefulSet', 'Deployment', 'ServiceMonitor']);

export interface ApplyReport {
  readonly created: string[];
  readonly updated: string[];
  readonly deleted: string[];
}

export interface ClusterOptions {
  /** Inner keys of `children`: v1 uses `name`, v2 `namespace/name`. */
  readonly hookVersion?: 'v1' | 'v2';
  /** Registered child rules (every key is always present in the request). */
  readonly childKeys?: readonly string[];
  /** Time stamped on created objects and managedFields. */
  readonly now?: string;
  /** Related objects (customize hook) by `Kind.apiVersion`; absent = no customize hook. */
  readonly related?: Record<string, KubeObject[]>;
}

/** Key helpers. */
export function groupKeyOf(o: { apiVersion: string; kind: string }): string {
  return `${o.kind}.${o.apiVersion}`;
}

/**
 * The simulated cluster: one RisingWave parent, its children, and a deterministic counter for uids and
 * resourceVersions (so two runs of a scenario produce identical requests).
 */
export class SimulatedCluster {
  parent: KubeObject & { spec: Record<string, unknown>; status?: Record<string, unknown> };
  observed: ObservedSet = {};
  related: Record<string, KubeObject[]> | undefined;
  now: string;
  readonly hookVersion: 'v1' | 'v2';
  readonly childKeys: readonly string[];
  private counter = 0;

  constructor(parent: { apiVersion?: string; kind?: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; spec: unknown }, options: ClusterOptions = {}) {
    this.hookVersion = options.hookVersion ?? 'v2';
    this.childKeys = [...(options.childKeys ?? DEFAULT_CHILD_KEYS)].sort();
    this.now = options.now ?? '2026-01-01T00:00:00Z';
    this.related = options.related;
    const metadata = deepClone(parent.metadata) as KubeObject['metadata'];
    this.parent = {
      apiVersion: parent.apiVersion ?? 'risingwave.risingwavelabs.com/v1alpha1',
      kind: parent.kind ?? 'RisingWave',
      metadata: {
        ...metadata,
        namespace: metadata.namespace ?? 'default',
        uid: metadata.uid ?? this.nextUid(),
        generation: metadata.generation ?? 1,
        resourceVersion: metadata.resourceVersion ?? this.nextVersion(),
        creationTimestamp: (metadata.creationTimestamp as string | undefined) ?? this.now,
        managedFields: (metadata.managedFields as unknown[] | undefined) ?? [
          {
            apiVersion: parent.apiVersion ?? 'risingwave.risingwavelabs.com/v1alpha1',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:metadata': { 'f:annotations': {} }, 'f:spec': {} },
            manager: 'kubectl-client-side-apply',
            operation: 'Update',
            time: this.now,
          },
        ],
      },
      spec: deepClone(parent.spec) as Record<string, unknown>,
    };
    for (const key of this.childKeys) this.observed[key] = {};
  }

  /** The sync request Metacontroller would send now. */
  request(): SyncRequest {
    return {
      controller: compositeController(this.childKeys),
      parent: deepClone(this.parent) as SyncRequest['parent'],
      children: toRequestChildren(this.observed, this.hookVersion),
      related: this.related ? toRequestChildren(relatedSet(this.related), this.hookVersion) : {},
      finalizing: false,
    } as SyncRequest;
  }

  /** Apply a sync response as Metacontroller would, then store the parent status. */
  apply(response: SyncResponse): ApplyReport {
    const { observed, report } = applyResponse(this.observed, response, {
      parent: this.parent,
      now: this.now,
      nextUid: () => this.nextUid(),
      nextVersion: () => this.nextVersion(),
      childKeys: this.childKeys,
    });
    this.observed = observed;
    this.parent = storeParentStatus(this.parent, response) as typeof this.parent;
    return report;
  }

  /** A user edit of the parent: generation goes up only when the spec changes (as for any CRD with status). */
  edit(mutate: (p: { metadata: KubeObject['metadata']; spec: Record<string, unknown> }) => void): void {
    const before = canonicalJson(this.parent.spec as JsonObject);
    const next = deepClone(this.parent);
    mutate(next);
    if (canonicalJson(next.spec as JsonObject) !== before) next.metadata.generation = (next.metadata.generation ?? 0) + 1;
    next.metadata.resourceVersion = this.nextVersion();
    this.parent = next;
  }

  get(kind: string, name: string): KubeObject | undefined {
    return Object.entries(this.observed).find(([k]) => k.startsWith(`${kind}.`))?.[1][name];
  }

  /** Every stored child as `Kind/name`, sorted. */
  names(): string[] {
    return Object.values(this.observed)
      .flatMap((m) => Object.values(m))
      .map((o) => `${o.kind}/${o.metadata.name}`)
      .sort();
  }

  /** Someone deletes a child by hand. */
  deleteChild(kind: string, name: string): void {
    for (const [key, byName] of Object.entries(this.observed)) {
      if (key.startsWith(`${kind}.`) && byName[name]) delete byName[name];
    }
  }

  /** Put an object straight into the store (an orphan, a foreign object, a hand-made child). */
  store(obj: KubeObject): void {
    const key = groupKeyOf(obj);
    this.observed[key] = { ...(this.observed[key] ?? {}), [obj.metadata.name]: deepClone(obj) };
  }

  /** Every workload finishes rolling out its current template. */
  rollOutAll(): void {
    this.observed = rollOutAll(this.observed);
  }

  rollOut(name: string): void {
    this.observed = rollOut(this.observed, name);
  }

  setWorkloadStatus(name: string, status: Record<string, unknown>): void {
    this.observed = setWorkloadStatus(this.observed, name, status);
  }

  private nextUid(): string {
    this.counter += 1;
    return `00000000-0000-4000-8000-${this.counter.toString(16).padStart(12, '0')}`;
  }

  private nextVersion(): string {
    this.counter += 1;
    return String(1000 + this.counter);
  }
}

export interface ApplyEnv {
  readonly parent: KubeObject;
  readonly now: string;
  readonly nextUid: () => string;
  readonly nextVersion: () => string;
  readonly childKeys?: readonly string[];
}

/**
 * Metacontroller's manageChildren for one sync response, over the previously stored children: delete the
 * observed children the response leaves out, then create or update the ones it lists. Pure apart from the
 * uid/version counters; the input set is not modified.
 */
export function applyResponse(previous: ObservedSet, response: SyncResponse, env: ApplyEnv): { observed: ObservedSet; report: ApplyReport } {
  const observed: ObservedSet = {};
  for (const key of env.childKeys ?? Object.keys(previous)) observed[key] = {};
  const desired = new Map<string, KubeObject>();
  for (const child of response.children as KubeObject[]) {
    const key = groupKeyOf(child);
    if (!(key in observed)) throw new Error(`response child ${key}/${child.metadata.name} is not a registered child type`);
    desired.set(`${key}/${child.metadata.name}`, child);
  }
  const report: ApplyReport = { created: [], updated: [], deleted: [] };
  for (const [key, byName] of Object.entries(previous)) {
    for (const [name, obj] of Object.entries(byName)) {
      if (!desired.has(`${key}/${name}`)) {
        report.deleted.push(`${key}/${name}`);
        continue;
      }
      (observed[key] ??= {})[name] = obj;
    }
  }
  for (const [id, want] of [...desired.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const key = groupKeyOf(want);
    const have = observed[key]![want.metadata.name];
    if (!have) {
      observed[key]![want.metadata.name] = create(want, env);
      report.created.push(id);
      continue;
    }
    const merged = serverDefaults(applyUpdate(have as unknown as JsonObject, withNamespace(want, env) as unknown as JsonObject) as unknown as KubeObject);
    if (canonicalJson(merged as unknown as JsonObject) === canonicalJson(have as unknown as JsonObject)) continue;
    const specChanged = canonicalJson((merged.spec ?? null) as JsonObject) !== canonicalJson((have.spec ?? null) as JsonObject);
    merged.metadata.resourceVersion = env.nextVersion();
    if (specChanged && typeof have.metadata.generation === 'number') merged.metadata.generation = have.metadata.generation + 1;
    observed[key]![want.metadata.name] = merged;
    report.updated.push(id);
  }
  return { observed, report };
}

function withNamespace(obj: KubeObject, env: ApplyEnv): KubeObject {
  const out = deepClone(obj);
  out.metadata.namespace ??= env.parent.metadata.namespace;
  return out;
}

function create(want: KubeObject, env: ApplyEnv): KubeObject {
  const desired = withNamespace(want, env);
  const obj = deepClone(desired);
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: canonicalJson(desired as unknown as JsonObject) };
  obj.metadata.uid = env.nextUid();
  obj.metadata.resourceVersion = env.nextVersion();
  obj.metadata.creationTimestamp = env.now;
  if (GENERATION_KINDS.has(obj.kind)) obj.metadata.generation = 1;
  obj.metadata.ownerReferences = [
    {
      apiVersion: env.parent.apiVersion,
      kind: env.parent.kind,
      name: env.parent.metadata.name,
      uid: env.parent.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  obj.metadata.managedFields = [
    {
      apiVersion: obj.apiVersion,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:annotations': { [`f:${LAST_APPLIED}`]: {} }, 'f:labels': {}, 'f:ownerReferences': {} }, 'f:spec': {} },
      manager: 'metacontroller',
      operation: 'Update',
      time: env.now,
    },
  ];
  const defaulted = serverDefaults(obj);
  if (WORKLOAD_KEYS.has(groupKeyOf(obj))) defaulted.status = obj.kind === 'StatefulSet' ? { availableReplicas: 0, replicas: 0 } : {};
  return defaulted;
}

/** The parent after Metacontroller's status write: the response's status plus observedGeneration. */
export function storeParentStatus<P extends KubeObject>(parent: P, response: SyncResponse): P {
  const next = deepClone(parent);
  (next as KubeObject).status = { ...deepClone(response.status ?? {}), observedGeneration: parent.metadata.generation };
  return next;
}

// ------------------------------------------------------------------------------------------------------
// Workload status
// ------------------------------------------------------------------------------------------------------

/** The workload finished rolling out its current template: every replica updated, ready and available. */
export function rollOut(observed: ObservedSet, name: string): ObservedSet {
  const obj = findWorkload(observed, name);
  const replicas = typeof (obj.spec as { replicas?: unknown }).replicas === 'number' ? ((obj.spec as { replicas: number }).replicas) : 1;
  const status: Record<string, unknown> =
    obj.kind === 'StatefulSet'
      ? {
          availableReplicas: replicas,
          collisionCount: 0,
          currentReplicas: replicas,
          currentRevision: `${name}-rev${obj.metadata.generation}`,
          observedGeneration: obj.metadata.generation,
          readyReplicas: replicas,
          replicas,
          updateRevision: `${name}-rev${obj.metadata.generation}`,
          updatedReplicas: replicas,
        }
      : {
          availableReplicas: replicas,
          conditions: [
            { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
            { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
          ],
          observedGeneration: obj.metadata.generation,
          readyReplicas: replicas,
          replicas,
          updatedReplicas: replicas,
        };
  if (replicas === 0) for (const k of ['availableReplicas', 'readyReplicas', 'updatedReplicas', 'currentReplicas']) delete status[k];
  return setWorkloadStatus(observed, name, status);
}

export function rollOutAll(observed: ObservedSet): ObservedSet {
  let out = observed;
  for (const key of WORKLOAD_KEYS) for (const name of Object.keys(observed[key] ?? {})) out = rollOut(out, name);
  return out;
}

/** Replace a workload's status (and bump its resourceVersion, as a status update does). */
export function setWorkloadStatus(observed: ObservedSet, name: string, status: Record<string, unknown>): ObservedSet {
  const obj = findWorkload(observed, name);
  const key = groupKeyOf(obj);
  const next = deepClone(obj);
  next.status = deepClone(status);
  next.metadata.resourceVersion = String(Number(obj.metadata.resourceVersion ?? '1000') + 1);
  return { ...observed, [key]: { ...observed[key], [name]: next } };
}

function findWorkload(observed: ObservedSet, name: string): KubeObject {
  for (const key of WORKLOAD_KEYS) {
    const obj = observed[key]?.[name];
    if (obj) return obj;
  }
  throw new Error(`no workload named ${name}`);
}

// ------------------------------------------------------------------------------------------------------
// Request shapes
// ------------------------------------------------------------------------------------------------------

/** Metacontroller's `children` map: hook v1 keys by name (same-scope children), v2 by namespace/name. */
export function toRequestChildren(observed: ObservedSet, hookVersion: 'v1' | 'v2'): Record<string, Record<string, KubeObject>> {
  const out: Record<string, Record<string, KubeObject>> = {};
  for (const key of Object.keys(observed).sort()) {
    const inner: Record<string, KubeObject> = {};
    for (const name of Object.keys(observed[key]!).sort()) {
      const obj = observed[key]![name]!;
      inner[hookVersion === 'v1' ? name : `${obj.metadata.namespace ?? 'default'}/${name}`] = deepClone(obj);
    }
    out[key] = inner;
  }
  return out;
}

function relatedSet(related: Record<string, KubeObject[]>): ObservedSet {
  const out: ObservedSet = {};
  for (const [key, objs] of Object.entries(related)) out[key] = Object.fromEntries(objs.map((o) => [o.metadata.name, o]));
  return out;
}

/** The CompositeController as Metacontroller serialises it into `controller` (no apiVersion/kind). */
export function compositeController(childKeys: readonly string[]): Record<string, unknown> {
  return {
    metadata: { name: 'risingwave', uid: '00000000-0000-4000-8000-00000000cc01', generation: 1 },
    spec: {
      parentResource: { apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', resource: 'risingwaves' },
      childResources: childKeys.map((key) => {
        const dot = key.indexOf('.');
        const kind = key.slice(0, dot);
        return { apiVersion: key.slice(dot + 1), resource: `${kind.toLowerCase()}s`, updateStrategy: { method: 'InPlace' } };
      }),
      hooks: { sync: { webhook: { url: 'http://rw-hook.risingwave-system/sync' } } },
      generateSelector: true,
    },
    status: {},
  };
}

// ------------------------------------------------------------------------------------------------------
// Server defaults (a realistic subset: what the API server fills in on the fields the hook emits)
// ------------------------------------------------------------------------------------------------------

/** Fill in the defaults the API server would add (only where absent), returning a new object. */
export function serverDefaults(input: KubeObject): KubeObject {
  const obj = deepClone(input);
  const spec = obj.spec as Record<string, any> | undefined;
  if (!spec) return obj;
  switch (obj.kind) {
    case 'Service':
      serviceDefaults(spec, obj.metadata.name);
      break;
    case 'StatefulSet':
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.revisionHistoryLimit ??= 10;
      spec.updateStrategy ??= { type: 'RollingUpdate' };
      if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate ??= { partition: 0 };
      spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      for (const vct of spec.volumeClaimTemplates ?? []) {
        vct.apiVersion ??= 'v1';
        vct.kind ??= 'PersistentVolumeClaim';
        vct.spec ??= {};
        vct.spec.volumeMode ??= 'Filesystem';
        vct.status ??= { phase: 'Pending' };
      }
      podTemplateDefaults(spec.template);
      break;
    case 'Deployment':
      spec.replicas ??= 1;
      spec.progressDeadlineSeconds ??= 600;
      spec.revisionHistoryLimit ??= 10;
      spec.strategy ??= { type: 'RollingUpdate' };
      if (spec.strategy.type === 'RollingUpdate') spec.strategy.rollingUpdate ??= { maxSurge: '25%', maxUnavailable: '25%' };
      podTemplateDefaults(spec.template);
      break;
  }
  return obj;
}

function serviceDefaults(spec: Record<string, any>, name: string): void {
  spec.type ??= 'ClusterIP';
  if (spec.clusterIP === undefined) {
    let h = 0;
    for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 250;
    spec.clusterIP = `10.96.0.${h + 2}`;
  }
  spec.clusterIPs ??= [spec.clusterIP];
  spec.sessionAffinity ??= 'None';
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.internalTrafficPolicy ??= 'Cluster';
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
}

function podTemplateDefaults(template: Record<string, any> | undefined): void {
  const pod = template?.spec as Record<string, any> | undefined;
  if (!pod) return;
  pod.restartPolicy ??= 'Always';
  pod.dnsPolicy ??= 'ClusterFirst';
  pod.schedulerName ??= 'default-scheduler';
  pod.terminationGracePeriodSeconds ??= 30;
  pod.securityContext ??= {};
  for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.imagePullPolicy ??= typeof c.image === 'string' && (c.image.endsWith(':latest') || !/:[^/]+$/.test(c.image)) ? 'Always' : 'IfNotPresent';
    c.resources ??= {};
    for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  }
}
