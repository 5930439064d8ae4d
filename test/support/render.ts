import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { runSync, type SyncResult } from '../../src/controller/sync.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { fixedClock } from '../../src/kube/time.js';
import type { SyncCaches } from '../../src/cache/caches.js';

/**
 * Renders RisingWave manifests through the hook's pure core (`runSync`), the way Metacontroller would
 * call it: the parent, and the observed children under every child type the CompositeController registers.
 */

export const EXAMPLES_DIR = resolve(import.meta.dirname, '../../examples');
export const GOLDEN_DIR = resolve(import.meta.dirname, '../golden');

export const CHILD_KEYS = ['ConfigMap.v1', 'Service.v1', 'StatefulSet.apps/v1', 'Deployment.apps/v1', 'HorizontalPodAutoscaler.autoscaling/v2'] as const;
export const SERVICE_MONITOR_KEY = 'ServiceMonitor.monitoring.coreos.com/v1';

export const TEST_CLOCK = fixedClock('2026-01-01T00:00:00Z');
export const TEST_OPERATOR_VERSION = 'v0.0.0-test';

export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** An example as the API server would hand it over: with a uid and generation 1 unless given. */
export function loadExample(name: string): KubeObject & { spec: Record<string, unknown> } {
  const doc = parse(readFileSync(join(EXAMPLES_DIR, `${name}.yaml`), 'utf8')) as KubeObject & { spec: Record<string, unknown> };
  return withServerMetadata(doc);
}

export function withServerMetadata<T extends KubeObject>(parent: T): T {
  return {
    ...parent,
    metadata: { uid: `uid-${parent.metadata.name}`, generation: 1, ...parent.metadata },
  };
}

export interface RenderOptions {
  /** Observed children (as the API server returned them). */
  readonly observed?: readonly KubeObject[];
  /** Objects fetched for the customize hook's related resources. */
  readonly related?: readonly KubeObject[];
  /** Whether ServiceMonitor is a registered child type (default true). */
  readonly serviceMonitor?: boolean;
  /** What the sync may share with others (src/cache/caches.ts); none by default. */
  readonly caches?: SyncCaches;
}

function childMap(objects: readonly KubeObject[], keys: readonly string[]): Record<string, Record<string, KubeObject>> {
  const map: Record<string, Record<string, KubeObject>> = {};
  for (const key of keys) map[key] = {};
  for (const obj of objects) {
    const key = `${obj.kind}.${obj.apiVersion}`;
    (map[key] ??= {})[obj.metadata.name] = obj;
  }
  return map;
}

export async function render(parent: KubeObject, options: RenderOptions = {}): Promise<SyncResult> {
  const keys = options.serviceMonitor === false ? [...CHILD_KEYS] : [...CHILD_KEYS, SERVICE_MONITOR_KEY];
  const request = {
    parent,
    children: childMap(options.observed ?? [], keys),
    related: childMap(options.related ?? [], options.related ? ['ConfigMap.v1', 'Secret.v1'] : []),
  };
  return runSync(request as Parameters<typeof runSync>[0], {
    clock: TEST_CLOCK,
    options: { operatorVersion: TEST_OPERATOR_VERSION },
    caches: options.caches,
  });
}

/** Children as multi-document YAML, in the response's (sorted) order. */
export function toYaml(children: readonly unknown[]): string {
  return children.map((c) => stringify(c, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/** The observed form of a child the API server stored: what a later sync would see. */
export function asObserved(child: KubeObject): KubeObject {
  return {
    ...child,
    metadata: { ...child.metadata, uid: `uid-${child.kind}-${child.metadata.name}`, resourceVersion: '1', generation: 1 },
  };
}
