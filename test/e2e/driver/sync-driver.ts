/**
 * TEST INSTRUMENT — not product code, and not Metacontroller.
 *
 * Plays one pass of Metacontroller's CompositeController sync loop (generateSelector: true,
 * dynamic-apply) against a real API server, so e2e tests can drive the hook deterministically
 * without deploying Metacontroller: one call = one `syncParentObject`. It follows the documented
 * behaviour of Metacontroller v4.17 (see /work/shared/reference/metacontroller.md §2–§3):
 *
 *  1. GET the parent; claim children per child rule: list the parent's namespace; children whose
 *     controller ownerReference points at the parent UID and that carry `controller-uid=<uid>`
 *     are observed; owned-but-not-matching ones are released (ownerRef removed); matching
 *     orphans are adopted (ownerRef added).
 *  2. POST `{controller, parent, children, related: {}, finalizing: false}` to `${hookUrl}/sync`
 *     (every child rule's `Kind.apiVersion` key present, even when empty; inner keys
 *     `ns/name` for hook v2, `name` for v1). Anything but HTTP 200 is an error and nothing is
 *     applied. v2 responses are parsed strictly (unknown top-level fields are an error).
 *  3. Validate desired children (namespace defaults to the parent's, must equal it; label
 *     `controller-uid=<uid>` added; apiVersion+kind must match a child rule exactly).
 *  4. Unless the parent is being deleted: delete observed children missing from the response
 *     (Background propagation, UID precondition, NotFound swallowed, skipping ones already
 *     being deleted), then create missing ones (last-applied annotation + controller ownerRef,
 *     AlreadyExists swallowed) and update existing ones by 3-way merge (./merge.ts) with the
 *     rule's update method (default InPlace here; OnDelete and Recreate supported too). Errors
 *     are collected and the pass continues, like Metacontroller.
 *  5. Replace parent `/status` with `{...response.status, observedGeneration: generation}` only
 *     when it differs from the parent's current status; retry on conflict.
 *  6. Throw SyncError (carrying the report) if any step-4 operation failed.
 *
 * Deliberately stricter than Metacontroller (to surface hook bugs): duplicate children in a
 * response and children of a kind not declared in childResources are errors.
 * Not modelled: finalize/customize hooks, Rolling* strategies, ETag caching, server-side apply,
 * resync timers, events, informer caching and concurrency.
 */
import { KubeClient, KubeError, httpRequest, resourcePath, type ClusterCredentials } from './kube.js';
import { applyUpdate, canonicalJson, deepClone, deepEqual, isObject, LAST_APPLIED_ANNOTATION, type JsonObject } from './merge.js';

export type UpdateMethod = 'InPlace' | 'OnDelete' | 'Recreate';

export interface ChildResourceRule {
  apiVersion: string;
  /** lowercase plural, e.g. "statefulsets" */
  resource: string;
  kind: string;
  /** Metacontroller's childResources[].updateStrategy.method. Default here: InPlace. */
  updateMethod?: UpdateMethod;
}

export interface SyncOptions {
  parent: { namespace: string; name: string };
  /** Base URL of the hook server, e.g. http://127.0.0.1:8080 ; the driver POSTs to `${hookUrl}${hookPath}`. */
  hookUrl: string;
  hookPath?: string;
  childResources: ChildResourceRule[];
  hookVersion?: 'v1' | 'v2';
  parentResource?: { apiVersion: string; resource: string };
  /** API client or credentials; default: credentialsFromEnv(). */
  kube?: KubeClient | ClusterCredentials;
  /** Like Metacontroller's webhook.timeout; default 10 s. */
  hookTimeoutMs?: number;
  /** Name of the simulated CompositeController (only used in the request's `controller`). */
  controllerName?: string;
}

export interface HookResponse {
  status?: Record<string, unknown> | null;
  children?: Array<Record<string, unknown>> | null;
  resyncAfterSeconds?: number;
  finalized?: boolean;
}

export interface SyncRequest {
  controller: Record<string, unknown>;
  parent: Record<string, unknown>;
  children: Record<string, Record<string, Record<string, unknown>>>;
  related: Record<string, never>;
  finalizing: boolean;
}

export interface SyncReport {
  /** `Kind/name` of children created / updated in place / deleted in this pass. */
  created: string[];
  updated: string[];
  deleted: string[];
  /** Children deleted because their rule uses Recreate and they differed. */
  recreated: string[];
  /** Children that differ but were left alone (OnDelete, or pending deletion). */
  skipped: string[];
  adopted: string[];
  released: string[];
  /** Swallowed races: AlreadyExists on create, Conflict/NotFound on update. */
  swallowed: string[];
  statusChanged: boolean;
  errors: string[];
  request: SyncRequest;
  response: HookResponse;
  /** The parent as sent to the hook. */
  parent: Record<string, unknown>;
}

export class HookError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`hook returned HTTP ${status} (Metacontroller requires exactly 200): ${body.slice(0, 2000)}`);
  }
}

export class SyncError extends Error {
  constructor(readonly report: SyncReport) {
    super(`sync finished with ${report.errors.length} error(s):\n  ${report.errors.join('\n  ')}`);
  }
}

export const RISINGWAVE_RESOURCE = { apiVersion: 'risingwave.risingwavelabs.com/v1alpha1', resource: 'risingwaves' };
const CONTROLLER_UID = 'controller-uid';
const V2_RESPONSE_FIELDS = new Set(['status', 'children', 'resyncAfterSeconds', 'finalized']);

/** Credentials exported by test/e2e/cluster (cluster.env / global setup). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterCredentials {
  const server = env.RW_E2E_SERVER;
  const token = env.RW_E2E_TOKEN;
  const caFile = env.RW_E2E_CA_FILE;
  if (!server || !token || !caFile) throw new Error('RW_E2E_SERVER, RW_E2E_TOKEN and RW_E2E_CA_FILE must be set (start the e2e cluster first)');
  return { server, token, caFile };
}

const clients = new Map<string, KubeClient>();
function clientFor(k: SyncOptions['kube']): KubeClient {
  if (k instanceof KubeClient) return k;
  const creds = k ?? credentialsFromEnv();
  const key = `${creds.server}|${creds.token}|${creds.caFile}`;
  let c = clients.get(key);
  if (!c) clients.set(key, (c = new KubeClient(creds)));
  return c;
}

type Obj = Record<string, unknown>;
const meta = (o: Obj): Obj => (isObject(o.metadata) ? (o.metadata as Obj) : {});
const nameOf = (o: Obj): string => String(meta(o).name ?? '');
const nsOf = (o: Obj): string | undefined => meta(o).namespace as string | undefined;
const labelsOf = (o: Obj): Record<string, string> => (meta(o).labels as Record<string, string> | undefined) ?? {};
const ownerRefsOf = (o: Obj): Obj[] => (meta(o).ownerReferences as Obj[] | undefined) ?? [];
const controllerRefOf = (o: Obj): Obj | undefined => ownerRefsOf(o).find((r) => r.controller === true);
const ruleKey = (r: { kind: string; apiVersion: string }): string => `${r.kind}.${r.apiVersion}`;
const label = (r: ChildResourceRule, o: Obj): string => `${r.kind}/${nameOf(o)}`;

function groupVersion(apiVersion: string): [string, string] {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

function controllerRef(parent: Obj): Obj {
  return {
    apiVersion: parent.apiVersion,
    kind: parent.kind,
    name: nameOf(parent),
    uid: meta(parent).uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function fakeController(opts: SyncOptions, parentResource: { apiVersion: string; resource: string }, hookVersion: string): Obj {
  return {
    apiVersion: 'metacontroller.k8s.io/v1alpha1',
    kind: 'CompositeController',
    metadata: { name: opts.controllerName ?? 'e2e-sync-driver' },
    spec: {
      generateSelector: true,
      parentResource,
      childResources: opts.childResources.map((r) => ({
        apiVersion: r.apiVersion,
        resource: r.resource,
        updateStrategy: { method: r.updateMethod ?? 'InPlace' },
      })),
      hooks: { sync: { version: hookVersion, webhook: { url: opts.hookUrl + (opts.hookPath ?? '/sync') } } },
    },
    status: {},
  };
}

/** One pass of the CompositeController loop for one parent. See the file header. */
export async function syncOnce(opts: SyncOptions): Promise<SyncReport> {
  const kube = clientFor(opts.kube);
  const parentResource = opts.parentResource ?? RISINGWAVE_RESOURCE;
  const hookVersion = opts.hookVersion ?? 'v2';
  const ns = opts.parent.namespace;
  const report: SyncReport = {
    created: [],
    updated: [],
    deleted: [],
    recreated: [],
    skipped: [],
    adopted: [],
    released: [],
    swallowed: [],
    statusChanged: false,
    errors: [],
    request: undefined as unknown as SyncRequest,
    response: {},
    parent: {},
  };

  // 1. Parent and claimed children.
  const parent = await kube.get<Obj>({ ...parentResource, namespace: ns, name: opts.parent.name });
  report.parent = parent;
  const uid = String(meta(parent).uid);
  const parentDeleting = meta(parent).deletionTimestamp != null;
  const observed = new Map<string, Map<string, Obj>>(); // ruleKey -> name -> object
  for (const rule of opts.childResources) {
    const byName = new Map<string, Obj>();
    observed.set(ruleKey(rule), byName);
    const ref = { apiVersion: rule.apiVersion, resource: rule.resource, namespace: ns };
    for (const obj of await kube.list({ ...ref, kind: rule.kind })) {
      const cref = controllerRefOf(obj);
      const matches = labelsOf(obj)[CONTROLLER_UID] === uid;
      if (cref && cref.uid === uid) {
        if (matches) {
          byName.set(nameOf(obj), obj);
        } else if (!parentDeleting) {
          // Release: owned but no longer selected.
          const upd = deepClone(obj);
          (meta(upd) as Obj).ownerReferences = ownerRefsOf(upd).filter((r) => r.uid !== uid);
          await kube.replace({ ...ref, name: nameOf(obj) }, upd);
          report.released.push(label(rule, obj));
        }
      } else if (!cref && matches && !parentDeleting && meta(obj).deletionTimestamp == null) {
        // Adopt: a matching orphan.
        const upd = deepClone(obj);
        (meta(upd) as Obj).ownerReferences = [...ownerRefsOf(upd), controllerRef(parent)];
        const adopted = await kube.replace<Obj>({ ...ref, name: nameOf(obj) }, upd);
        byName.set(nameOf(obj), { apiVersion: rule.apiVersion, kind: rule.kind, ...adopted });
        report.adopted.push(label(rule, obj));
      }
    }
  }

  // 2. Call the hook.
  const children: SyncRequest['children'] = {};
  for (const rule of opts.childResources) {
    const m: Record<string, Obj> = (children[ruleKey(rule)] = {});
    for (const [name, obj] of observed.get(ruleKey(rule))!) m[hookVersion === 'v2' ? `${ns}/${name}` : name] = obj;
  }
  const request: SyncRequest = {
    controller: fakeController(opts, parentResource, hookVersion),
    parent,
    children,
    related: {},
    finalizing: false,
  };
  report.request = request;
  const res = await httpRequest(opts.hookUrl + (opts.hookPath ?? '/sync'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
    timeoutMs: opts.hookTimeoutMs ?? 10_000,
  });
  if (res.status !== 200) throw new HookError(res.status, res.text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.text);
  } catch (e) {
    throw new Error(`can't unmarshal hook response: ${(e as Error).message}: ${res.text.slice(0, 500)}`);
  }
  if (!isObject(parsed)) throw new Error(`can't unmarshal hook response: not a JSON object: ${res.text.slice(0, 500)}`);
  if (hookVersion === 'v2') {
    const unknown = Object.keys(parsed).filter((k) => !V2_RESPONSE_FIELDS.has(k));
    if (unknown.length) throw new Error(`strict v2 response: unknown top-level field(s) ${unknown.join(', ')}`);
  }
  const response = parsed as HookResponse;
  report.response = response;
  if (response.status != null && !isObject(response.status)) throw new Error('response.status must be an object or null');
  if (response.children != null && !Array.isArray(response.children)) throw new Error('response.children must be a list or null');

  // 3. Desired children.
  const desired = new Map<string, Map<string, Obj>>();
  for (const rule of opts.childResources) desired.set(ruleKey(rule), new Map());
  for (const raw of response.children ?? []) {
    if (!isObject(raw) || typeof raw.apiVersion !== 'string' || typeof raw.kind !== 'string') {
      throw new Error(`desired child without apiVersion/kind: ${JSON.stringify(raw).slice(0, 300)}`);
    }
    const child = deepClone(raw) as Obj;
    const m = (isObject(child.metadata) ? child.metadata : (child.metadata = {})) as Obj;
    if (typeof m.name !== 'string' || !m.name) throw new Error(`desired ${child.kind} without metadata.name`);
    if (m.namespace == null) m.namespace = ns;
    if (m.namespace !== ns) throw new Error(`desired ${child.kind}/${m.name}: namespace ${String(m.namespace)} differs from the parent's (${ns})`);
    const labels = (isObject(m.labels) ? m.labels : (m.labels = {})) as Record<string, string>;
    if (labels[CONTROLLER_UID] === undefined) labels[CONTROLLER_UID] = uid;
    if (labels[CONTROLLER_UID] !== uid) throw new Error(`labels on desired child ${child.kind}/${m.name} don't match parent selector`);
    const byName = desired.get(ruleKey(child as { kind: string; apiVersion: string }));
    if (!byName) {
      throw new Error(`desired child ${child.kind}/${m.name} has apiVersion/kind ${ruleKey(child as never)} not declared in childResources (${[...desired.keys()].join(', ')})`);
    }
    if (byName.has(m.name)) throw new Error(`duplicate desired child ${child.kind}/${m.name}`);
    byName.set(m.name, child);
  }

  // 4. Manage children (sorted by group, version, kind like Metacontroller).
  if (!parentDeleting) {
    const rules = [...opts.childResources].sort((a, b) => {
      const [ga, va] = groupVersion(a.apiVersion);
      const [gb, vb] = groupVersion(b.apiVersion);
      return ga.localeCompare(gb) || va.localeCompare(vb) || a.kind.localeCompare(b.kind);
    });
    const refOf = (rule: ChildResourceRule, name?: string) => ({ apiVersion: rule.apiVersion, resource: rule.resource, namespace: ns, name });
    const del = async (rule: ChildResourceRule, obj: Obj): Promise<boolean> => {
      try {
        await kube.delete(refOf(rule, nameOf(obj)), { propagationPolicy: 'Background', preconditions: { uid: meta(obj).uid } });
        return true;
      } catch (e) {
        if (e instanceof KubeError && e.status === 404) return false;
        report.errors.push(`can't delete ${label(rule, obj)}: ${(e as Error).message}`);
        return false;
      }
    };
    for (const rule of rules) {
      const want = desired.get(ruleKey(rule))!;
      for (const [name, obj] of observed.get(ruleKey(rule))!) {
        if (meta(obj).deletionTimestamp != null || want.has(name)) continue;
        if (await del(rule, obj)) report.deleted.push(label(rule, obj));
      }
    }
    for (const rule of rules) {
      const have = observed.get(ruleKey(rule))!;
      for (const [name, want] of desired.get(ruleKey(rule))!) {
        const old = have.get(name);
        if (!old) {
          const obj = deepClone(want);
          const m = obj.metadata as Obj;
          m.annotations = { ...((m.annotations as Obj | undefined) ?? {}), [LAST_APPLIED_ANNOTATION]: canonicalJson(want) };
          m.ownerReferences = [...((m.ownerReferences as Obj[] | undefined) ?? []), controllerRef(parent)];
          try {
            await kube.create(refOf(rule), obj);
            report.created.push(label(rule, obj));
          } catch (e) {
            if (e instanceof KubeError && e.status === 409) report.swallowed.push(`create ${label(rule, obj)}: AlreadyExists`);
            else report.errors.push(`can't create ${label(rule, obj)}: ${(e as Error).message}`);
          }
          continue;
        }
        let merged: JsonObject;
        try {
          merged = applyUpdate(old as JsonObject, want as JsonObject);
        } catch (e) {
          report.errors.push(`can't merge ${label(rule, old)}: ${(e as Error).message}`);
          continue;
        }
        if (deepEqual(merged, old)) continue;
        const method = rule.updateMethod ?? 'InPlace';
        if (meta(old).deletionTimestamp != null || method === 'OnDelete') {
          report.skipped.push(label(rule, old));
          continue;
        }
        if (method === 'Recreate') {
          if (await del(rule, old)) report.recreated.push(label(rule, old));
          continue;
        }
        try {
          await kube.replace(refOf(rule, name), merged);
          report.updated.push(label(rule, old));
        } catch (e) {
          if (e instanceof KubeError && (e.status === 409 || e.status === 404)) report.swallowed.push(`update ${label(rule, old)}: ${e.status}`);
          else report.errors.push(`can't update ${label(rule, old)}: ${(e as Error).message}`);
        }
      }
    }
  }

  // 5. Parent status.
  const newStatus = { ...(response.status ?? {}), observedGeneration: meta(parent).generation } as Obj;
  if (!deepEqual(newStatus, parent.status ?? null)) {
    const pref = { ...parentResource, namespace: ns, name: opts.parent.name };
    for (let attempt = 0; ; attempt++) {
      const fresh = await kube.getOrUndefined<Obj>(pref);
      if (!fresh || meta(fresh).uid !== uid) break; // gone or replaced: nothing to do
      fresh.status = newStatus;
      try {
        await kube.replace({ ...pref, subresource: 'status' }, fresh);
        report.statusChanged = true;
        break;
      } catch (e) {
        if (e instanceof KubeError && e.status === 404) break;
        if (e instanceof KubeError && e.status === 409 && attempt < 5) continue;
        throw e;
      }
    }
  }

  if (report.errors.length) throw new SyncError(report);
  return report;
}

/** True when the pass changed nothing in the cluster. */
export function isNoop(r: SyncReport): boolean {
  return !r.statusChanged && [r.created, r.updated, r.deleted, r.recreated, r.adopted, r.released].every((l) => l.length === 0);
}

/**
 * Repeats syncOnce (like Metacontroller reacting to watch events) until `done(report)` holds.
 * Returns the last report; throws on timeout with the last report's summary.
 */
export async function syncUntil(
  opts: SyncOptions,
  done: (r: SyncReport) => boolean,
  { timeoutMs = 60_000, intervalMs = 500 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<SyncReport> {
  const deadline = Date.now() + timeoutMs;
  let last: SyncReport | undefined;
  for (;;) {
    last = await syncOnce(opts);
    if (done(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`syncUntil: condition not met after ${timeoutMs}ms; last status ${JSON.stringify(last.response.status)}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Syncs until a pass is a no-op (the system converged). */
export function syncUntilStable(opts: SyncOptions, o?: { timeoutMs?: number; intervalMs?: number }): Promise<SyncReport> {
  return syncUntil(opts, isNoop, o);
}

export { resourcePath };
