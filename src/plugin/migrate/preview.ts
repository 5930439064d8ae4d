import { Value } from '@sinclair/typebox/value';
import { SyncRequestSchema, type SyncRequest } from '../../api/metacontroller.js';
import { prepareRisingWave } from '../../api/prepare.js';
import { relatedResourcesFor } from '../../builders/config-hash.js';
import type { RelatedResourceRule } from '../../api/metacontroller.js';
import { runSync } from '../../controller/sync.js';
import type { Clock } from '../../kube/time.js';
import type { RwObject } from '../kubectl.js';
import { immutableChanges, overlayDiff, podTemplateChanges, type FieldChange } from './diff.js';
import { CHILD_TYPES } from '../../kube/child-keys.js';

/** The child kinds the shipped CompositeController registers, as kubectl names them. */
export const CHILD_KINDS: ReadonlyArray<{ readonly kind: string; readonly resource: string; readonly group: string }> = CHILD_TYPES.filter((t) => t.always).map((t) => ({ kind: t.kind, resource: t.resource, group: t.key }));

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['StatefulSet', 'Deployment']);

export function resourceOf(kind: string): string {
  const found = CHILD_KINDS.find((k) => k.kind === kind);
  if (!found) throw new Error(`not a child kind: ${kind}`);
  return found.resource;
}

/** The children Metacontroller would pass for this RisingWave: its kinds, controlled by its uid. */
export function ownedChildren(rw: RwObject, objects: readonly RwObject[]): RwObject[] {
  const uid = rw.metadata?.uid as string;
  return objects.filter(
    (o) =>
      CHILD_KINDS.some((k) => k.kind === o.kind) &&
      o.metadata?.namespace === rw.metadata?.namespace &&
      (o.metadata?.ownerReferences as RwObject[] | undefined)?.some((r) => r.controller === true && r.uid === uid),
  );
}

/** The customize hook's rules for this RisingWave (the ConfigMaps and Secrets its spec names), or none while it is invalid. */
export function relatedRules(rw: RwObject): RelatedResourceRule[] {
  const { rw: typed, problems } = prepareRisingWave(rw);
  return problems.length > 0 ? [] : relatedResourcesFor(typed);
}

/**
 * The sync request Metacontroller would send once it has adopted the children: the stored RisingWave, its
 * children as observed now, the related objects. A render with the children observed, rather than the
 * offline render's empty cluster, is what the hook will answer after the switch.
 */
export function adoptionRequest(rw: RwObject, children: readonly RwObject[], related: readonly RwObject[]): SyncRequest {
  const ns = rw.metadata.namespace as string;
  const childMap: Record<string, Record<string, RwObject>> = {};
  for (const { group } of CHILD_KINDS) childMap[group] = {};
  for (const c of children) {
    const group = CHILD_KINDS.find((k) => k.kind === c.kind)!.group;
    childMap[group]![`${ns}/${c.metadata.name as string}`] = c;
  }
  const relatedMap: Record<string, Record<string, RwObject>> = {};
  for (const r of related) (relatedMap[`${r.kind as string}.v1`] ??= {})[`${ns}/${r.metadata.name as string}`] = r;
  const request = { controller: {}, parent: rw, children: childMap, related: relatedMap, finalizing: false };
  const error = Value.Errors(SyncRequestSchema, request).First();
  if (error) throw new Error(`cannot build a sync request: ${error.path} ${error.message}`);
  return request as unknown as SyncRequest;
}

export type Verdict = 'unchanged' | 'in-place' | 'rolls' | 'create' | 'delete' | 'recreate';

export interface ChildPreview {
  readonly kind: string;
  readonly name: string;
  readonly verdict: Verdict;
  /** Workloads only: whether the pod template changes (the pods would be replaced). */
  readonly podTemplateChanges?: boolean;
  readonly changes: readonly FieldChange[];
}

export interface RisingWavePreview {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly children: readonly ChildPreview[];
  /** The hook's own view of the spec: conditions that are not True (invalid spec, failed reaction). */
  readonly hookProblems: readonly string[];
}

function key(o: RwObject): string {
  return `${o.kind as string}/${o.metadata.name as string}`;
}

/** Compares the hook's answer with the live children, child by child. */
export function compareChildren(live: readonly RwObject[], desired: readonly RwObject[]): ChildPreview[] {
  const liveByKey = new Map(live.map((o) => [key(o), o]));
  const desiredKeys = new Set(desired.map(key));
  const out: ChildPreview[] = [];
  for (const d of desired) {
    const l = liveByKey.get(key(d));
    const kind = d.kind as string;
    const name = d.metadata.name as string;
    if (l === undefined) {
      out.push({ kind, name, verdict: 'create', changes: [] });
      continue;
    }
    const changes = overlayDiff(l, d);
    const rolls = WORKLOAD_KINDS.has(kind) ? podTemplateChanges(changes).length > 0 : undefined;
    const verdict: Verdict = immutableChanges(kind, changes).length > 0 ? 'recreate' : rolls ? 'rolls' : changes.length > 0 ? 'in-place' : 'unchanged';
    out.push({ kind, name, verdict, ...(rolls === undefined ? {} : { podTemplateChanges: rolls }), changes });
  }
  for (const l of live) {
    if (!desiredKeys.has(key(l))) out.push({ kind: l.kind as string, name: l.metadata.name as string, verdict: 'delete', changes: [] });
  }
  const order = (c: ChildPreview) => `${CHILD_KINDS.findIndex((k) => k.kind === c.kind)}/${c.name}`;
  return out.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** Renders the hook's children for the adopted state (the same sync the render command runs) and compares them. */
export async function previewRisingWave(rw: RwObject, children: readonly RwObject[], related: readonly RwObject[], clock: Clock): Promise<RisingWavePreview> {
  const result = await runSync(adoptionRequest(rw, children, related), { clock });
  const conditions = (Array.isArray(result.response.status?.conditions) ? result.response.status.conditions : []) as RwObject[];
  const hookProblems = conditions
    .filter((c) => (c.type === 'Valid' || c.type === 'Synced') && c.status !== 'True')
    .map((c) => `${String(c.type)}=${String(c.status)} (${String(c.reason)}): ${String(c.message)}`);
  if (result.outcome === 'error' && hookProblems.length === 0) hookProblems.push(`the hook failed: ${result.reason}`);
  return {
    namespace: rw.metadata.namespace as string,
    name: rw.metadata.name as string,
    uid: rw.metadata.uid as string,
    children: compareChildren(children, result.response.children as RwObject[]),
    hookProblems,
  };
}
