import type { StructuralSchema } from './structural.js';
import { buildCrd } from './generate.js';

/**
 * The fields of an object its structural schema does not declare, as the API server's strict field validation
 * reports them (`spec.stateStor`, `spec.components.compute.nodeGroups[0].replica`): the same walk its pruning
 * does. Below a node marked x-kubernetes-preserve-unknown-fields only the declared properties are walked (what
 * the API server keeps verbatim cannot be unknown); int-or-string and untyped nodes are leaves. Paths come
 * in document order, so the same input always lists them the same way.
 */
export function unknownFields(value: unknown, schema: StructuralSchema, path = ''): string[] {
  const out: string[] = [];
  walk(value, schema, path, out);
  return out;
}

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';

function walk(value: unknown, schema: StructuralSchema, path: string, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    const items = schema.items as StructuralSchema | undefined;
    if (items) value.forEach((v, i) => walk(v, items, `${path}[${i}]`, out));
    return;
  }
  const properties = schema.properties as Record<string, StructuralSchema> | undefined;
  const additional = schema.additionalProperties as StructuralSchema | undefined;
  for (const [key, v] of Object.entries(value)) {
    const child = path === '' ? key : `${path}.${key}`;
    if (properties && Object.hasOwn(properties, key)) walk(v, properties[key]!, child, out);
    else if (additional && typeof additional === 'object') walk(v, additional, child, out);
    else if (schema[PRESERVE] !== true && schema.type === 'object') out.push(child);
  }
}

/** ObjectMeta's fields: the API server checks `metadata` itself, against these (meta/v1 ObjectMeta). */
export const OBJECT_META_SCHEMA: StructuralSchema = {
  type: 'object',
  properties: Object.fromEntries(
    [
      'name',
      'generateName',
      'namespace',
      'selfLink',
      'uid',
      'resourceVersion',
      'generation',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'labels',
      'annotations',
      'ownerReferences',
      'finalizers',
      'managedFields',
    ].map((name) => [name, { [PRESERVE]: true }]),
  ),
};

let rootSchema: StructuralSchema | undefined;

/**
 * A RisingWave's unknown fields against the CRD this package generates: what `kubectl create` with strict field
 * validation (kubectl's default) refuses. `status` is left out: the status subresource makes the API server
 * drop it on create, and render ignores it too.
 */
export function risingWaveUnknownFields(obj: Record<string, unknown>): string[] {
  rootSchema ??= crdRootSchema();
  const { status: _status, ...rest } = obj;
  return unknownFields(rest, rootSchema);
}

function crdRootSchema(): StructuralSchema {
  const versions = (buildCrd().spec as { versions: Array<{ schema: { openAPIV3Schema: StructuralSchema } }> }).versions;
  const root = versions[0]!.schema.openAPIV3Schema;
  return { ...root, properties: { ...(root.properties as object), metadata: OBJECT_META_SCHEMA } };
}
