import { isRecord } from '../../kube/records.js';
/**
 * What the first apply of the hook's child would change on the live object the operator made.
 *
 * Metacontroller's first update of an adopted child (dynamic apply without a last-applied annotation, or a
 * server-side apply by a new field manager) lays the desired object over the live one: every field the hook
 * sets takes its value, every field only the live object has (API-server defaults, other controllers'
 * fields, the operator's extras) stays. So the comparison walks the desired object only, and compares lists
 * of objects item by item under the key Metacontroller merges them by; other lists are replaced whole.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface FieldChange {
  /** e.g. `spec.template.spec.containers[name=meta].env[name=RUST_LOG].value` */
  readonly path: string;
  /** undefined: absent on that side. */
  readonly live: unknown;
  readonly desired: unknown;
}

/** The keys Metacontroller's dynamic apply tries, in order, to merge a list of objects as a map. */
const LIST_MAP_KEYS = ['containerPort', 'port', 'mountPath', 'name', 'uid', 'ip', 'path'] as const;

function isObject(v: unknown): v is Record<string, Json> {
  return isRecord(v);
}

function listMapKey(...lists: unknown[][]): string | undefined {
  let common: Set<string> | undefined;
  for (const list of lists) {
    for (const item of list) {
      if (!isObject(item)) return undefined;
      const keys = Object.keys(item);
      common = common === undefined ? new Set(keys) : new Set(keys.filter((k) => common!.has(k)));
    }
  }
  return common === undefined ? undefined : LIST_MAP_KEYS.find((k) => common!.has(k));
}

/** Equal as JSON, object key order ignored. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

function child(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`;
}

function walk(path: string, live: unknown, desired: unknown, out: FieldChange[]): void {
  if (isObject(desired)) {
    if (!isObject(live)) {
      // An empty desired object over an absent one changes nothing a reader can see.
      if (live === undefined && Object.keys(desired).length === 0) return;
      out.push({ path, live, desired });
      return;
    }
    for (const key of Object.keys(desired)) walk(child(path, key), live[key], desired[key], out);
    return;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) {
      if (live === undefined && desired.length === 0) return;
      out.push({ path, live, desired });
      return;
    }
    const key = listMapKey(live, desired);
    if (key === undefined) {
      if (!sameJson(live, desired)) out.push({ path, live, desired });
      return;
    }
    for (const item of desired as Array<Record<string, Json>>) {
      const id = item[key];
      const match = (live as Array<Record<string, Json>>).find((l) => String(l[key]) === String(id));
      walk(`${path}[${key}=${String(id)}]`, match, item, out);
    }
    return;
  }
  if (!sameJson(live, desired)) out.push({ path, live, desired });
}

/** Every field of `desired` whose value the first apply would change on `live`. */
export function overlayDiff(live: unknown, desired: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk('', live, desired, out);
  return out;
}

/** Fields the API server refuses to change in place, by kind: a change means delete and create. */
const IMMUTABLE: Record<string, readonly string[]> = {
  StatefulSet: ['spec.selector', 'spec.serviceName', 'spec.volumeClaimTemplates', 'spec.podManagementPolicy'],
  Deployment: ['spec.selector'],
  Service: ['spec.clusterIP', 'spec.clusterIPs'],
};

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

export function immutableChanges(kind: string, changes: readonly FieldChange[]): FieldChange[] {
  const fields = IMMUTABLE[kind] ?? [];
  return changes.filter((c) => fields.some((f) => under(c.path, f)));
}

/** A pod template change makes the workload controller replace pods: the switch would roll them. */
export function podTemplateChanges(changes: readonly FieldChange[]): FieldChange[] {
  return changes.filter((c) => under(c.path, 'spec.template'));
}

/** A value for one line of the preview. */
export function showValue(v: unknown, max = 100): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}
