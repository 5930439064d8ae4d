// Builds the benchmark's sync requests from the production build: render a RisingWave, turn every child
// into what an API server returns (uid, resourceVersion, managedFields, status, Metacontroller's
// last-applied annotation), then store the parent's status from one sync so the request is steady state.
import { createHash } from 'node:crypto';

/** The production build's functions; bench/workflow.bench.ts passes the same ones from src. */
let renderRisingWave;
let runSync;
let clock;

const NS = 'bench';
const CREATED = '2026-11-01T10:00:00Z';
export const BENCH_NOW = '2026-11-01T10:05:00Z';
const CHILD_KEYS = ['ConfigMap.v1', 'Service.v1', 'StatefulSet.apps/v1', 'Deployment.apps/v1'];

function risingWave(name, groups) {
  const component = (n, extra = {}) => ({
    nodeGroups: Array.from({ length: n }, (_, i) => ({
      name: n === 1 ? '' : `g${String(i).padStart(4, '0')}`,
      replicas: 1,
      template: {
        spec: {
          resources: { limits: { cpu: '2', memory: '4Gi' }, requests: { cpu: '1', memory: '2Gi' } },
          ...extra,
        },
      },
    })),
  });
  const spec = {
    image: 'risingwavelabs/risingwave:v2.6.0',
    metaStore: {
      postgresql: {
        host: 'postgres.db', port: 5432, database: 'risingwave',
        credentials: { secretName: 'pg-credentials' },
      },
    },
    stateStore: {
      dataDirectory: 'hummock',
      s3: { bucket: 'rw-state', region: 'eu-west-1', credentials: { secretName: 's3-credentials' } },
    },
    components: {
      meta: component(groups.meta),
      frontend: component(groups.frontend),
      compute: component(groups.compute),
      compactor: component(groups.compactor),
    },
  };
  const apiVersion = 'risingwave.risingwavelabs.com/v1alpha1';
  return {
    apiVersion,
    kind: 'RisingWave',
    // As the API server returns a parent created with `kubectl apply`: a resourceVersion, kubectl's
    // last-applied annotation, and managedFields for kubectl's spec and Metacontroller's status writes.
    metadata: {
      name, namespace: NS, uid: uid(`rw/${name}`), resourceVersion: '123400', generation: 1, creationTimestamp: CREATED,
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify({ apiVersion, kind: 'RisingWave', metadata: { name, namespace: NS }, spec })}\n` },
      managedFields: [
        { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion, time: CREATED, fieldsType: 'FieldsV1', fieldsV1: fieldsOf({ spec }, 3) },
        { manager: 'metacontroller', operation: 'Update', apiVersion, time: CREATED, fieldsType: 'FieldsV1', subresource: 'status', fieldsV1: { 'f:status': {} } },
      ],
    },
    spec,
  };
}

function uid(seed) {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * managedFields as the server writes them: a field set mirroring the object's shape, down to `depth` levels
 * (Metacontroller's updates replace whole subtrees, so its entries stay shallow; a full-depth set would
 * double the body without adding anything the hook reads).
 */
function fieldsOf(value, depth = 2) {
  if (depth === 0) return {};
  if (Array.isArray(value)) {
    const out = {};
    value.forEach((item, i) => {
      const key = item && typeof item === 'object' && 'name' in item ? `k:{"name":"${item.name}"}` : `i:${i}`;
      out[key] = item && typeof item === 'object' ? { '.': {}, ...fieldsOf(item, depth - 1) } : {};
    });
    return out;
  }
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[`f:${k}`] = v && typeof v === 'object' ? fieldsOf(v, depth - 1) : {};
    return out;
  }
  return {};
}

function observe(child, parent) {
  const { metadata, ...rest } = child;
  const obj = {
    ...rest,
    metadata: {
      ...metadata,
      namespace: NS,
      uid: uid(`${child.kind}/${metadata.name}`),
      resourceVersion: '123456',
      generation: 1,
      creationTimestamp: CREATED,
      labels: { ...metadata.labels, 'controller-uid': parent.metadata.uid },
      annotations: { ...metadata.annotations, 'metacontroller.k8s.io/last-applied-configuration': JSON.stringify(child) },
      ownerReferences: [{ apiVersion: parent.apiVersion, kind: parent.kind, name: parent.metadata.name, uid: parent.metadata.uid, controller: true, blockOwnerDeletion: true }],
      managedFields: [
        { manager: 'metacontroller', operation: 'Update', apiVersion: child.apiVersion, time: CREATED, fieldsType: 'FieldsV1', fieldsV1: fieldsOf(rest) },
      ],
    },
  };
  const replicas = child.spec?.replicas;
  if (child.kind === 'StatefulSet' || child.kind === 'Deployment') {
    obj.status = { observedGeneration: 1, replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas, currentReplicas: replicas };
    obj.metadata.managedFields.push({ manager: 'kube-controller-manager', operation: 'Update', apiVersion: child.apiVersion, time: CREATED, fieldsType: 'FieldsV1', subresource: 'status', fieldsV1: fieldsOf({ status: obj.status }) });
  }
  if (child.kind === 'Service') obj.status = { loadBalancer: {} };
  return obj;
}

function request(parent, observed) {
  const children = Object.fromEntries(CHILD_KEYS.map((k) => [k, {}]));
  for (const o of observed) children[`${o.kind}.${o.apiVersion}`][`${NS}/${o.metadata.name}`] = o;
  const controller = { metadata: { name: 'risingwave-controller' }, spec: {} };
  return { controller, parent, children, related: {}, finalizing: false };
}

async function steadyState(name, groups) {
  const parent = risingWave(name, groups);
  const rendered = await renderRisingWave(parent, { serviceMonitor: false });
  const observed = rendered.map((c) => observe(c, parent));
  // Feed the status back until it stops changing: the body of a periodic resync of a settled parent.
  for (let i = 0; i < 5; i++) {
    const body = request(parent, observed);
    const result = await runSync(body, { clock });
    const { observedGeneration: _, ...before } = parent.status ?? {};
    if (JSON.stringify(before) === JSON.stringify(result.response.status)) {
      markVaried(body);
      return { name, body, response: result.response, ...counts(result.response) };
    }
    parent.status = { ...result.response.status, observedGeneration: 1 };
  }
  throw new Error(`${name}: status did not settle in 5 syncs`);
}

/**
 * What really changes between two resyncs of a settled parent: the kube-controller-manager writes a
 * workload's status, which bumps its resourceVersion. The first StatefulSet's resourceVersion becomes
 * VARIED_RV, which the harness rewrites to a fresh number of the same width per request (bench/run.mjs).
 */
export const VARIED_RV = '100000000000';
function markVaried(body) {
  const sts = Object.values(body.children['StatefulSet.apps/v1'])[0];
  if (sts === undefined) throw new Error('no StatefulSet to vary');
  sts.metadata.resourceVersion = VARIED_RV;
}

/** First sync of a new RisingWave: nothing observed yet, no status. */
async function firstSync(name) {
  const body = request(risingWave(name, { meta: 1, frontend: 1, compute: 1, compactor: 1 }), []);
  const result = await runSync(body, { clock });
  return { name, body, response: result.response, ...counts(result.response) };
}

function counts(response) {
  const workloads = response.children.filter((c) => c.kind === 'StatefulSet' || c.kind === 'Deployment').length;
  return { children: response.children.length, workloads };
}

/**
 * small: a new RisingWave (~3 KiB). typical: the production shape, four components with one node group
 * each, every child as the API server returns it (~44 KiB). groups10/large/huge: many node groups, for the
 * per-child cost (no step may grow faster than the number of children).
 */
export async function buildPayloads(core) {
  const c = core ?? {
    renderRisingWave: (await import('../dist/cli/render.js')).renderRisingWave,
    runSync: (await import('../dist/controller/sync.js')).runSync,
    fixedClock: (await import('../dist/kube/time.js')).fixedClock,
  };
  ({ renderRisingWave, runSync } = c);
  clock = c.fixedClock(BENCH_NOW);
  return [
    await firstSync('small'),
    await steadyState('typical', { meta: 1, frontend: 1, compute: 1, compactor: 1 }),
    await steadyState('groups10', { meta: 1, frontend: 1, compute: 10, compactor: 1 }),
    await steadyState('large', { meta: 100, frontend: 100, compute: 100, compactor: 100 }),
    await steadyState('huge', { meta: 1, frontend: 1, compute: 1000, compactor: 1 }),
  ];
}
