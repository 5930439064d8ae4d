import type { TSchema } from '@sinclair/typebox';
import { isRecord } from '../kube/records.js';

/**
 * Structural defaulting as the Kubernetes API server does it for a CRD (apiextensions structural defaulting),
 * driven by the `default` keywords of a TypeBox schema:
 *  - a default fills a field only when the field is absent (or null: the server prunes a null in a
 *    non-nullable field, then defaults it);
 *  - an object default replaces the missing value whole; it is never merged into a present object
 *    (TypeBox's Value.Default merges object defaults into present objects, which would turn
 *    `stateStore: {s3: ...}` into `{memory: true, s3: ...}`);
 *  - after filling, the walk descends into the value, so defaults nested inside a default apply too
 *    (`stateStore` absent => `{memory: true, dataDirectory: 'hummock'}`);
 *  - nothing is created for an absent optional object that has no default of its own.
 * The value is modified in place and returned (pass a copy).
 */
export function applyDefaults(schema: TSchema, value: unknown): unknown {
  let current = value;
  if (current === undefined || current === null) {
    if (!('default' in schema)) return undefined;
    const fallback = schema.default as unknown;
    // Defaults are shared schema data: copy objects, never hand them out.
    current = typeof fallback === 'object' && fallback !== null ? structuredClone(fallback) : fallback;
  }
  if (Array.isArray(current)) {
    const items = schema.items as TSchema | undefined;
    if (items && typeof items === 'object' && !Array.isArray(items)) {
      for (let i = 0; i < current.length; i++) {
        const next = applyDefaults(items, current[i]);
        if (next !== undefined) current[i] = next;
      }
    }
    return current;
  }
  if (isRecord(current)) {
    const properties = schema.properties as Record<string, TSchema> | undefined;
    if (properties) {
      for (const [key, child] of Object.entries(properties)) {
        const next = applyDefaults(child, current[key]);
        if (next === undefined) delete current[key];
        else current[key] = next;
      }
    }
    const valueSchema = mapValueSchema(schema);
    if (valueSchema) {
      for (const key of Object.keys(current)) {
        if (properties && key in properties) continue;
        const next = applyDefaults(valueSchema, current[key]);
        if (next === undefined) delete current[key];
        else current[key] = next;
      }
    }
  }
  return current;
}

/** The schema of a map's values: `additionalProperties: X` or TypeBox Record's catch-all patternProperties. */
function mapValueSchema(schema: TSchema): TSchema | undefined {
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return schema.additionalProperties as TSchema;
  }
  const patterns = schema.patternProperties as Record<string, TSchema> | undefined;
  if (patterns) {
    const values = Object.values(patterns);
    if (values.length === 1) return values[0];
  }
  return undefined;
}
