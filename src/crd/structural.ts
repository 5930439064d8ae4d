import type { TSchema } from '@sinclair/typebox';

/**
 * TypeBox JSON Schema -> Kubernetes structural schema (apiextensions.k8s.io/v1 JSONSchemaProps).
 *
 * Rewrites (ecosystem.md §3.2):
 *  - union of string literals              -> `type: string, enum: [...]`
 *  - `x-kubernetes-int-or-string` union    -> exactly `x-kubernetes-int-or-string: true` + anyOf integer/string
 *  - union with `null`                     -> the other member + `nullable: true`
 *  - a lone literal                        -> `type: <its type>, enum: [value]`
 *  - Record (catch-all patternProperties)  -> `additionalProperties: <value schema>`
 *  - Unknown/Any (`{}`)                    -> `x-kubernetes-preserve-unknown-fields: true`
 *  - dropped: `$id`, `$schema`, `additionalProperties: false|true` (the latter only where unknown fields are
 *    preserved), empty `properties`.
 * Anything Kubernetes would refuse or silently misread (`$ref`, other patternProperties, allOf/oneOf/not,
 * free unions, `const` outside the cases above, uniqueItems, ...) is an error naming the schema path, so a
 * schema change that cannot be expressed fails the build instead of producing a CRD the API server rejects.
 */

export type StructuralSchema = Record<string, unknown>;

export class StructuralSchemaError extends Error {
  constructor(path: string, problem: string) {
    super(`${path || '<root>'}: ${problem}`);
    this.name = 'StructuralSchemaError';
  }
}

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';
const INT_OR_STRING = 'x-kubernetes-int-or-string';

/** Keys copied through unchanged when present. */
const PASSTHROUGH = new Set([
  'description',
  'format',
  'default',
  'example',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'multipleOf',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'maxProperties',
  'minProperties',
  'enum',
  'nullable',
  PRESERVE,
  'x-kubernetes-validations',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-embedded-resource',
]);
/** Keys consumed by the structural rewrite itself. */
const HANDLED = new Set(['type', 'properties', 'required', 'items', 'additionalProperties', 'patternProperties', 'anyOf', 'const']);
/** TypeBox bookkeeping with no meaning for Kubernetes. */
const DROPPED = new Set(['$id', '$schema', 'title']);

const CATCH_ALL_PATTERNS = new Set(['^(.*)$', '^.*$']);

/** Converts a TypeBox schema (or its JSON) to a structural schema. Pure: the input is not modified. */
export function toStructural(schema: TSchema | Record<string, unknown>): StructuralSchema {
  // JSON round trip drops TypeBox's symbol-keyed metadata and any functions.
  const json = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return convert(json, '');
}

function convert(node: Record<string, unknown>, path: string): StructuralSchema {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new StructuralSchemaError(path, 'schema node must be an object');
  }
  for (const key of Object.keys(node)) {
    if (!PASSTHROUGH.has(key) && !HANDLED.has(key) && !DROPPED.has(key) && key !== INT_OR_STRING) {
      throw new StructuralSchemaError(path, `unsupported keyword "${key}"`);
    }
  }
  if (typeof node.exclusiveMaximum === 'number' || typeof node.exclusiveMinimum === 'number') {
    throw new StructuralSchemaError(path, 'numeric exclusiveMaximum/exclusiveMinimum (use the boolean OpenAPI v3 form)');
  }

  const out = passthrough(node);

  if (node.anyOf !== undefined) return Object.assign(out, convertUnion(node, path));
  if (node.const !== undefined) return Object.assign(out, literal([node.const], path));

  switch (node.type) {
    case 'object':
      return Object.assign(out, convertObject(node, path));
    case 'array': {
      if (typeof node.items !== 'object' || node.items === null || Array.isArray(node.items)) {
        throw new StructuralSchemaError(path, 'arrays need a single `items` schema');
      }
      return Object.assign(out, { type: 'array', items: convert(node.items as Record<string, unknown>, `${path}[]`) });
    }
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return Object.assign(out, { type: node.type });
    case undefined:
      // Type.Unknown()/Type.Any(): an arbitrary value.
      if (Object.keys(node).some((k) => HANDLED.has(k))) {
        throw new StructuralSchemaError(path, 'a node without `type` must not constrain its content');
      }
      return Object.assign(out, { [PRESERVE]: true });
    default:
      throw new StructuralSchemaError(path, `unsupported type ${JSON.stringify(node.type)}`);
  }
}

function passthrough(node: Record<string, unknown>): StructuralSchema {
  const out: StructuralSchema = {};
  for (const [key, value] of Object.entries(node)) if (PASSTHROUGH.has(key)) out[key] = value;
  return out;
}

function convertObject(node: Record<string, unknown>, path: string): StructuralSchema {
  const out: StructuralSchema = { type: 'object' };
  const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
  const names = Object.keys(properties);
  const preserve = node[PRESERVE] === true;

  if (names.length > 0) {
    out.properties = Object.fromEntries(names.map((name) => [name, convert(properties[name]!, `${path}.${name}`)]));
  }
  if (Array.isArray(node.required) && node.required.length > 0) out.required = [...(node.required as string[])];

  let valueSchema: Record<string, unknown> | undefined;
  if (node.patternProperties !== undefined) {
    const patterns = Object.entries(node.patternProperties as Record<string, Record<string, unknown>>);
    if (patterns.length !== 1 || !CATCH_ALL_PATTERNS.has(patterns[0]![0])) {
      throw new StructuralSchemaError(path, 'patternProperties other than one catch-all (a Record with string keys)');
    }
    valueSchema = patterns[0]![1];
  }
  const additional = node.additionalProperties;
  if (typeof additional === 'object' && additional !== null) {
    if (valueSchema) throw new StructuralSchemaError(path, 'both patternProperties and additionalProperties');
    valueSchema = additional as Record<string, unknown>;
  } else if (additional === true && !preserve && names.length > 0) {
    throw new StructuralSchemaError(
      path,
      'additionalProperties: true next to properties (mark the node x-kubernetes-preserve-unknown-fields instead)',
    );
  } else if (additional === true && !preserve) {
    valueSchema = {};
  }
  if (valueSchema) {
    if (names.length > 0) throw new StructuralSchemaError(path, 'additionalProperties cannot be combined with properties');
    out.additionalProperties = convert(valueSchema, `${path}{}`);
  }
  return out;
}

function convertUnion(node: Record<string, unknown>, path: string): StructuralSchema {
  const members = node.anyOf as Array<Record<string, unknown>>;
  if (!Array.isArray(members) || members.length === 0) throw new StructuralSchemaError(path, 'empty anyOf');

  if (node[INT_OR_STRING] === true) {
    const types = members.map((m) => m.type).sort();
    if (members.length !== 2 || types[0] !== 'integer' || types[1] !== 'string' || members.some((m) => Object.keys(m).length !== 1)) {
      throw new StructuralSchemaError(path, 'x-kubernetes-int-or-string must be exactly a union of Integer and String');
    }
    return { [INT_OR_STRING]: true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
  }

  const nonNull = members.filter((m) => m.type !== 'null');
  const nullable = nonNull.length !== members.length;
  if (nonNull.every((m) => m.const !== undefined)) {
    return { ...literal(nonNull.map((m) => m.const), path), ...(nullable ? { nullable: true } : {}) };
  }
  if (nonNull.length === 1) {
    return { ...convert(nonNull[0]!, path), ...(nullable ? { nullable: true } : {}) };
  }
  throw new StructuralSchemaError(path, 'unions other than literals, int-or-string or T|null have no structural form');
}

function literal(values: unknown[], path: string): StructuralSchema {
  const types = new Set(values.map((v) => (Number.isInteger(v) ? 'integer' : typeof v)));
  if (types.size !== 1) throw new StructuralSchemaError(path, 'literal union mixes types');
  const [type] = types;
  if (type !== 'string' && type !== 'integer' && type !== 'number' && type !== 'boolean') {
    throw new StructuralSchemaError(path, `unsupported literal type ${type}`);
  }
  return { type, enum: values };
}
