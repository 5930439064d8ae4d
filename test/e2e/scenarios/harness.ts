/**
 * Shared pieces of the RisingWave scenario tests: the real hook server in-process, the child rules of the
 * shipped CompositeController, example loading, and readers of what the API server stored.
 *
 * Every assertion in the scenarios reads the API server (GET/LIST); the driver's report is only used to
 * know what the pass did, never as evidence of what is stored.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { expect } from 'vitest';
import { defaultSettings, type Settings } from '../../../src/server/config.js';
import { startServer, type RunningServer } from '../../../src/server/main.js';
import type { KubeClient } from '../driver/kube.js';
import { canonicalJson, LAST_APPLIED_ANNOTATION } from '../driver/merge.js';
import { isNoop, RISINGWAVE_RESOURCE, syncOnce, type ChildResourceRule, type SyncOptions, type SyncReport } from '../driver/sync-driver.js';
import { waitFor, type E2eCluster } from '../support.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const EXAMPLES_DIR = join(REPO, 'examples');
export const CRD_FILE = join(REPO, 'crds', 'risingwave.risingwavelabs.com_risingwaves.yaml');
const COMPOSITE_CONTROLLER = join(REPO, 'metacontroller', 'base', 'compositecontroller.yaml');

const KIND_OF_RESOURCE: Record<string, string> = {
  configmaps: 'ConfigMap',
  services: 'Service',
  statefulsets: 'StatefulSet',
  deployments: 'Deployment',
  horizontalpodautoscalers: 'HorizontalPodAutoscaler',
  servicemonitors: 'ServiceMonitor',
};

/**
 * The child rules exactly as the shipped CompositeController declares them (apiVersion, resource, update
 * method), so the scenarios exercise the deployment's configuration rather than a copy that could drift.
 */
export function shippedChildRules(): ChildResourceRule[] {
  const cc = parseYaml(readFileSync(COMPOSITE_CONTROLLER, 'utf8')) as Obj;
  expect(cc.spec.generateSelector).toBe(true);
  expect(cc.spec.parentResource).toEqual(RISINGWAVE_RESOURCE);
  return (cc.spec.childResources as Obj[]).map((r) => {
    const kind = KIND_OF_RESOURCE[r.resource];
    if (!kind) throw new Error(`compositecontroller.yaml: unknown child resource ${r.resource}`);
    return { apiVersion: r.apiVersion, resource: r.resource, kind, updateMethod: r.updateStrategy?.method ?? 'OnDelete' };
  });
}

export interface Hook {
  url: string;
  stop(): Promise<void>;
}

/** The real hook server (`startServer`) on a free loopback port. */
export async function startHook(overrides: Partial<Settings> = {}): Promise<Hook> {
  const server: RunningServer = await startServer(defaultSettings({ port: 0, host: '127.0.0.1', logLevel: 'silent', shutdownDelayMs: 0, ...overrides }));
  return { url: server.address, stop: () => server.shutdown('test done') };
}

export const rwRef = (ns: string, name?: string) => ({ ...RISINGWAVE_RESOURCE, namespace: ns, name });

export function syncOptions(c: E2eCluster, hook: Hook, ns: string, name: string): SyncOptions {
  return { parent: { namespace: ns, name }, hookUrl: hook.url, childResources: shippedChildRules(), hookVersion: 'v2', kube: c.kube };
}

// ---- examples ---------------------------------------------------------------------------------------------

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/** The example's RisingWave with its namespace replaced (the examples all say `risingwave`). */
export function loadExample(file: string, ns: string): Obj {
  const rw = parseYaml(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Obj;
  expect(rw.kind).toBe('RisingWave');
  rw.metadata.namespace = ns;
  return rw;
}

/** A small valid RisingWave (memory stores, one replica per component) for the scenario files. */
export function smallRisingWave(name: string, ns: string): Obj {
  const group = (extra: Obj = {}) => ({
    name: '',
    replicas: 1,
    template: { spec: { resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '100m', memory: '256Mi' } } } },
    ...extra,
  });
  return {
    apiVersion: `${RISINGWAVE_RESOURCE.apiVersion}`,
    kind: 'RisingWave',
    metadata: { name, namespace: ns },
    spec: {
      image: 'risingwavelabs/risingwave:v2.4.2',
      metaStore: { memory: true },
      stateStore: { memory: true },
      components: {
        meta: { nodeGroups: [group()] },
        frontend: { nodeGroups: [group()] },
        compute: { nodeGroups: [group()] },
        compactor: { nodeGroups: [group()] },
      },
    },
  };
}

// ---- reading what the API server stored ------------------------------------------------------------------

export const childLabel = (o: Obj): string => `${o.kind}/${o.metadata.name}`;

/** Every object in the namespace of one of the rules' kinds, labelled with the parent's controller-uid. */
export async function storedChildren(kube: KubeClient, ns: string, rules: ChildResourceRule[], uid: string): Promise<Obj[]> {
  const out: Obj[] = [];
  for (const r of rules) {
    out.push(...((await kube.list({ apiVersion: r.apiVersion, resource: r.resource, namespace: ns, kind: r.kind }, `controller-uid=${uid}`)) as Obj[]));
  }
  return out.sort((a, b) => childLabel(a).localeCompare(childLabel(b)));
}

export async function getRw(kube: KubeClient, ns: string, name: string): Promise<Obj> {
  return kube.get<Obj>(rwRef(ns, name));
}

export const condition = (rw: Obj, type: string): Obj | undefined => (rw.status?.conditions as Obj[] | undefined)?.find((c) => c.type === type);

/** What the last-applied annotation Metacontroller would write for a desired child looks like. */
export function lastAppliedOf(o: Obj): Obj | undefined {
  const text = o.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  return text === undefined ? undefined : (JSON.parse(text) as Obj);
}

/**
 * Asserts that the server stores exactly the children of `report.response` (by Kind/name), each with the
 * controller ownerReference to `parent` and a last-applied copy equal to what the hook returned (with the
 * selector label the driver adds).
 */
export async function expectStoredMatchesResponse(kube: KubeClient, ns: string, rules: ChildResourceRule[], parent: Obj, report: SyncReport): Promise<Obj[]> {
  const uid = parent.metadata.uid as string;
  const stored = await storedChildren(kube, ns, rules, uid);
  const returned = ((report.response.children ?? []) as Obj[]).map(childLabel).sort();
  expect(stored.map(childLabel)).toEqual(returned);
  const byLabel = new Map(((report.response.children ?? []) as Obj[]).map((c) => [childLabel(c), c]));
  for (const s of stored) {
    expect(s.metadata.ownerReferences, childLabel(s)).toEqual([
      { apiVersion: parent.apiVersion, kind: 'RisingWave', name: parent.metadata.name, uid, controller: true, blockOwnerDeletion: true },
    ]);
    const want = structuredClone(byLabel.get(childLabel(s))!);
    want.metadata.namespace ??= ns;
    want.metadata.labels = { ...(want.metadata.labels ?? {}), 'controller-uid': uid };
    expect(canonicalJson(lastAppliedOf(s)), `${childLabel(s)} last-applied`).toBe(canonicalJson(want));
  }
  return stored;
}

/** `Kind/name -> resourceVersion` of the observed children in a request: what the hook saw. */
function observedVersions(r: SyncReport): string {
  const rows: string[] = [];
  for (const [group, objs] of Object.entries(r.request.children)) {
    for (const [key, o] of Object.entries(objs)) rows.push(`${group}/${key}@${(o as Obj).metadata.resourceVersion}`);
  }
  return rows.sort().join(',');
}

/**
 * The no-hot-loop property against the real server: syncs until a pass writes nothing (children and status
 * have reached the hook's fixed point, despite server defaulting), then requires every further pass over the
 * same stored state (same observed children resourceVersions, same parent) to write nothing as well. When a
 * controller changes a child's status in between, the hook may legitimately write status, so it converges
 * again and re-checks. Returns the last stable report and the number of passes.
 */
export async function expectNoHotLoop(o: SyncOptions, { repeats = 2, timeoutMs = 60_000 } = {}): Promise<{ report: SyncReport; passes: number }> {
  const writes = (r: SyncReport): Obj => summary(r);
  const NONE: Obj = { ...NO_CHILD_WRITES, statusChanged: false };
  const deadline = Date.now() + timeoutMs;
  let passes = 0;
  let stable: SyncReport | undefined;
  let checked = 0;
  while (checked < repeats) {
    const r = await syncOnce(o);
    passes++;
    if (stable && observedVersions(stable) === observedVersions(r) && (stable.parent as Obj).metadata.resourceVersion === (r.parent as Obj).metadata.resourceVersion) {
      expect(writes(r), 'a pass over unchanged stored state must write nothing').toEqual(NONE);
      checked++;
    }
    stable = deepEqualJson(writes(r), NONE) ? r : undefined;
    if (Date.now() > deadline) throw new Error(`expectNoHotLoop: no stable pass within ${timeoutMs} ms; last ${JSON.stringify(summary(r))}`);
    if (!stable) await new Promise((res) => setTimeout(res, 300));
  }
  return { report: stable!, passes };
}

const deepEqualJson = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** The parts of a report that say what it wrote (compact for assertion messages). */
export function summary(r: Pick<SyncReport, 'created' | 'updated' | 'deleted' | 'recreated' | 'adopted' | 'released' | 'statusChanged'>): Obj {
  return { created: r.created, updated: r.updated, deleted: r.deleted, recreated: r.recreated, adopted: r.adopted, released: r.released, statusChanged: r.statusChanged };
}

export const NO_CHILD_WRITES = { created: [], updated: [], deleted: [], recreated: [], adopted: [], released: [] };

/** A pass over children that already exist writes none of them. */
export function expectNoEffectiveChildWrites(report: SyncReport): void {
  expect(summary(report)).toMatchObject({ created: [], updated: [], deleted: [], recreated: [], adopted: [], released: [] });
}

/** Deletes a namespace and waits until it is gone, so the next file starts on a quiet cluster. */
export async function deleteNamespace(c: E2eCluster, ns: string): Promise<void> {
  if (!ns) return;
  await c.kube.delete({ apiVersion: 'v1', resource: 'namespaces', name: ns }).catch(() => undefined);
  await waitFor(`namespace ${ns} gone`, async () => (await c.kube.getOrUndefined({ apiVersion: 'v1', resource: 'namespaces', name: ns })) === undefined, {
    timeoutMs: 90_000,
    intervalMs: 500,
  }).catch(() => undefined);
}

export interface StoredPass {
  report: SyncReport;
  /** The RisingWave as the API server stored it after the pass. */
  rw: Obj;
}

/** `type=status/reason` of every stored condition, sorted: a compact view for history assertions. */
export const conditionSummary = (rw: Obj): string[] =>
  ((rw.status?.conditions ?? []) as Obj[]).map((c) => `${c.type}=${c.status}/${c.reason}`).sort();

/**
 * Syncs until `done` holds for a pass and the RisingWave the API server stored after it. Returns every pass
 * (so a test can assert the stored condition history), the last one last.
 */
export async function syncUntilStored(
  o: SyncOptions,
  done: (p: StoredPass) => boolean,
  { timeoutMs = 120_000, intervalMs = 400 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<StoredPass[]> {
  const kube = o.kube as KubeClient;
  const deadline = Date.now() + timeoutMs;
  const passes: StoredPass[] = [];
  for (;;) {
    const report = await syncOnce(o);
    const rw = await getRw(kube, o.parent.namespace, o.parent.name);
    passes.push({ report, rw });
    if (done({ report, rw })) return passes;
    if (Date.now() > deadline) {
      throw new Error(`syncUntilStored: not done after ${timeoutMs} ms (${passes.length} passes); last ${JSON.stringify(summary(report))} conditions ${JSON.stringify(conditionSummary(rw))}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Converged: the stored RisingWave is Running=True for its current generation, nothing is upgrading or being
 * recreated, and the pass wrote nothing.
 */
export function converged({ report, rw }: StoredPass): boolean {
  return (
    isNoop(report) &&
    rw.status?.observedGeneration === rw.metadata.generation &&
    condition(rw, 'Running')?.status === 'True' &&
    condition(rw, 'Upgrading')?.status !== 'True' &&
    condition(rw, 'Recreating') === undefined
  );
}

export async function listPods(kube: KubeClient, ns: string, matchLabels: Record<string, string>): Promise<Obj[]> {
  const selector = Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return (await kube.list({ apiVersion: 'v1', resource: 'pods', namespace: ns, kind: 'Pod' }, selector)) as Obj[];
}

export const isPodReady = (p: Obj): boolean =>
  p.metadata.deletionTimestamp == null && ((p.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True');

/** The workloads (StatefulSets and Deployments) the server stores for the parent, by name. */
export async function storedWorkloads(kube: KubeClient, ns: string, uid: string): Promise<Map<string, Obj>> {
  const out = new Map<string, Obj>();
  for (const [resource, kind] of [
    ['statefulsets', 'StatefulSet'],
    ['deployments', 'Deployment'],
  ]) {
    for (const o of (await kube.list({ apiVersion: 'apps/v1', resource: resource!, namespace: ns, kind }, `controller-uid=${uid}`)) as Obj[]) {
      out.set(o.metadata.name, o);
    }
  }
  return out;
}
