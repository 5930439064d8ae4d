// An in-memory cluster behind a kubectl stand-in for `kubectl risingwave migrate`: the gets, lists, raw
// gets and JSON patches it issues, answered the way kubectl and the API server answer them (managedFields
// hidden without --show-managed-fields, a patch recorded as its own managedFields entry, `[{}]` clearing the
// list, failed `test` ops refused).
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { renderRisingWave } from '../../src/cli/render.js';
import type { ExecResult, JsonPatchOp, RwObject } from '../../src/plugin/kubectl.js';
import { applyJsonPatch } from './helpers.js';

const KINDS: Record<string, { kind: string; namespaced: boolean }> = {
  'customresourcedefinitions.apiextensions.k8s.io': { kind: 'CustomResourceDefinition', namespaced: false },
  'mutatingwebhookconfigurations.admissionregistration.k8s.io': { kind: 'MutatingWebhookConfiguration', namespaced: false },
  'validatingwebhookconfigurations.admissionregistration.k8s.io': { kind: 'ValidatingWebhookConfiguration', namespaced: false },
  'compositecontrollers.metacontroller.k8s.io': { kind: 'CompositeController', namespaced: false },
  'deployments.apps': { kind: 'Deployment', namespaced: true },
  'statefulsets.apps': { kind: 'StatefulSet', namespaced: true },
  'leases.coordination.k8s.io': { kind: 'Lease', namespaced: true },
  'risingwaves.risingwave.risingwavelabs.com': { kind: 'RisingWave', namespaced: true },
  'risingwavescaleviews.risingwave.risingwavelabs.com': { kind: 'RisingWaveScaleView', namespaced: true },
  configmaps: { kind: 'ConfigMap', namespaced: true },
  secrets: { kind: 'Secret', namespaced: true },
  services: { kind: 'Service', namespaced: true },
  'horizontalpodautoscalers.autoscaling': { kind: 'HorizontalPodAutoscaler', namespaced: true },
};

export interface FakeCluster {
  objects: RwObject[];
  calls: string[][];
  /** Resource types the "server" does not know (their CRD is absent). */
  missingTypes: Set<string>;
  /** Raw paths that answer (the hook's /readyz through the service proxy). */
  rawOk: Set<string>;
  /** Fail the n-th patch (1-based) once, as an interrupted run would. */
  failPatchAt?: number;
  patches: number;
  exec: (file: string, args: readonly string[]) => Promise<ExecResult>;
  find(kind: string, name: string, namespace?: string): RwObject | undefined;
}

const ok = (o: unknown): ExecResult => ({ code: 0, stdout: typeof o === 'string' ? o : JSON.stringify(o), stderr: '' });
const fail = (stderr: string): ExecResult => ({ code: 1, stdout: '', stderr });

function withoutManagedFields(o: RwObject): RwObject {
  const c = structuredClone(o);
  delete c.metadata.managedFields;
  return c;
}

export function fakeCluster(objects: RwObject[]): FakeCluster {
  const cluster: FakeCluster = {
    objects: structuredClone(objects),
    calls: [],
    missingTypes: new Set(),
    rawOk: new Set(['/api/v1/namespaces/risingwave-hook/services/http:risingwave-hook:80/proxy/readyz']),
    patches: 0,
    exec: async (file, args) => {
      cluster.calls.push([file, ...args]);
      let namespace = 'default';
      let all = false;
      const rest: string[] = [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (a === '--namespace') namespace = args[++i]!;
        else if (a === '--kubeconfig' || a === '--context') i++;
        else if (a === '--all-namespaces') all = true;
        else rest.push(a);
      }
      const [verb, types, name] = rest;
      if (verb === 'get' && types === '--raw') return cluster.rawOk.has(name!) ? ok('{"status":"ok"}') : fail('Error from server (ServiceUnavailable): the server is currently unable to handle the request\n');
      const typeList = (types ?? '').split(',');
      for (const t of typeList) {
        if (!KINDS[t] || cluster.missingTypes.has(t)) return fail(`error: the server doesn't have a resource type "${t}"\n`);
      }
      const show = rest.includes('--show-managed-fields');
      const view = (o: RwObject) => (show ? structuredClone(o) : withoutManagedFields(o));
      const matches = (o: RwObject, t: string) => o.kind === KINDS[t]!.kind && (!KINDS[t]!.namespaced || all || o.metadata.namespace === namespace);
      if (verb === 'get') {
        if (name !== undefined && !name.startsWith('-')) {
          const o = cluster.objects.find((x) => matches(x, typeList[0]!) && x.metadata.name === name);
          if (o) return ok(view(o));
          if (rest.includes('--ignore-not-found')) return ok('');
          return fail(`Error from server (NotFound): ${typeList[0]} "${name}" not found\n`);
        }
        const items = cluster.objects.filter((o) => typeList.some((t) => matches(o, t))).map(view);
        return ok({ apiVersion: 'v1', kind: 'List', items });
      }
      if (verb === 'patch') {
        cluster.patches += 1;
        if (cluster.failPatchAt === cluster.patches) {
          cluster.failPatchAt = undefined;
          return fail('Unable to connect to the server: net/http: TLS handshake timeout\n');
        }
        const idx = cluster.objects.findIndex((x) => matches(x, typeList[0]!) && x.metadata.name === name);
        if (idx < 0) return fail(`Error from server (NotFound): ${typeList[0]} "${name}" not found\n`);
        const before = cluster.objects[idx]!;
        const ops = JSON.parse(rest[rest.indexOf('--patch') + 1]!) as JsonPatchOp[];
        let next: RwObject;
        try {
          next = applyJsonPatch(before, ops);
        } catch {
          return fail('The request is invalid: the server rejected our request due to an error in our request\n');
        }
        const mf = next.metadata.managedFields as RwObject[] | undefined;
        if (mf?.length === 1 && Object.keys(mf[0]!).length === 0) next.metadata.managedFields = [];
        // A change outside managedFields is recorded under the patching client's manager.
        const { managedFields: _a, resourceVersion: _b, ...restBefore } = before.metadata;
        const { managedFields: _c, resourceVersion: _d, ...restAfter } = next.metadata;
        if (JSON.stringify(restBefore) !== JSON.stringify(restAfter) && !next.metadata.managedFields.some((e: RwObject) => e.manager === 'kubectl-patch')) {
          next.metadata.managedFields.push({ manager: 'kubectl-patch', operation: 'Update', apiVersion: next.apiVersion, fieldsType: 'FieldsV1', fieldsV1: {} });
        }
        next.metadata.resourceVersion = String(Number(before.metadata.resourceVersion) + 1000);
        cluster.objects[idx] = next;
        return ok(view(next));
      }
      return fail(`error: unknown command "${verb}" for "kubectl"\n`);
    },
    find: (kind, name, namespace = 'prod') => cluster.objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? namespace) === namespace),
  };
  return cluster;
}

const REPO_CRD = new URL('../../crds/risingwave.risingwavelabs.com_risingwaves.yaml', import.meta.url).pathname;

export function ourCrd(): RwObject {
  return parseYaml(readFileSync(REPO_CRD, 'utf8')) as RwObject;
}

export function operatorCrd(): RwObject {
  const crd = ourCrd();
  crd.metadata.annotations = { 'controller-gen.kubebuilder.io/version': 'v0.18.0' };
  crd.spec.versions = crd.spec.versions.map((v: RwObject) => withoutCel(v) as RwObject);
  return crd;
}

/** The operator's CRD carries no CEL rules: a copy of `node` without any x-kubernetes-validations. */
function withoutCel(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutCel);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'x-kubernetes-validations').map(([k, v]) => [k, withoutCel(v)]));
}

export const RW_UID = '6f1c2a9e-0000-4000-8000-000000000001';

export function operatorRisingWave(): RwObject {
  return {
    apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
    kind: 'RisingWave',
    metadata: { name: 'rw', namespace: 'prod', uid: RW_UID, generation: 2, resourceVersion: '10' },
    spec: {
      image: 'risingwavelabs/risingwave:v2.4.2',
      metaStore: { memory: true },
      stateStore: { memory: true },
      components: {
        meta: { nodeGroups: [{ name: '', replicas: 1 }] },
        frontend: { nodeGroups: [{ name: '', replicas: 2 }] },
        compute: { nodeGroups: [{ name: '', replicas: 1 }, { name: 'analytics', replicas: 2 }] },
        compactor: { nodeGroups: [{ name: '', replicas: 1 }] },
      },
    },
    status: { observedGeneration: 2, conditions: [{ type: 'Running', status: 'True', lastTransitionTime: '2026-01-01T10:00:00Z' }] },
  };
}

/**
 * The children as the operator leaves them: the hook's objects (they match the operator's, which the parity
 * suite checks) with the operator's version label, its ownerReference, the API server's defaults and
 * bookkeeping, and the operator's managedFields entry beside the controller-manager's status entry.
 */
export async function operatorChildren(rw: RwObject): Promise<RwObject[]> {
  const desired = (await renderRisingWave(rw)) as unknown as RwObject[];
  return desired.map((d, i) => {
    const o = structuredClone(d);
    o.metadata.uid = `child-${i}`;
    o.metadata.resourceVersion = String(100 + i);
    o.metadata.labels['risingwave/operator-version'] = 'v0.17.2';
    o.metadata.ownerReferences = [{ apiVersion: rw.apiVersion, kind: 'RisingWave', name: rw.metadata.name, uid: rw.metadata.uid, controller: true, blockOwnerDeletion: true }];
    o.metadata.managedFields = [
      { manager: 'manager', operation: 'Update', apiVersion: o.apiVersion, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } },
      ...(o.kind === 'StatefulSet' || o.kind === 'Deployment' ? [{ manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', apiVersion: o.apiVersion, fieldsType: 'FieldsV1', fieldsV1: { 'f:status': {} } }] : []),
    ];
    if (o.kind === 'StatefulSet' || o.kind === 'Deployment') {
      // What the API server fills in: none of it is the hook's to set, so none of it is a difference.
      o.spec.revisionHistoryLimit = 10;
      o.spec.template.spec.schedulerName = 'default-scheduler';
      o.spec.template.spec.containers[0].terminationMessagePath = '/dev/termination-log';
      o.spec.template.spec.containers[0].terminationMessagePolicy = 'File';
      o.status = { replicas: o.spec.replicas, readyReplicas: o.spec.replicas };
    }
    if (o.kind === 'Service') o.spec.clusterIPs = o.spec.clusterIP ? [o.spec.clusterIP] : ['10.96.0.10'];
    return o;
  });
}

/** Everything the switch needs in place: the hook's CRD, Metacontroller running, the hook answering, the operator gone. */
export function readyClusterObjects(): RwObject[] {
  return [
    { ...ourCrd() },
    { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'compositecontrollers.metacontroller.k8s.io' }, spec: {} },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'metacontroller', namespace: 'metacontroller' },
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'metacontroller', image: 'ghcr.io/metacontroller/metacontroller:v4.17.2' }] } } },
      status: { replicas: 1, readyReplicas: 1 },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'risingwave-operator-controller-manager', namespace: 'risingwave-operator-system' },
      spec: { replicas: 0, template: { spec: { containers: [{ name: 'manager', image: 'ghcr.io/risingwavelabs/risingwave-operator:v0.17.2' }] } } },
      status: {},
    },
  ];
}
