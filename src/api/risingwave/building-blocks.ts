/**
 * Building blocks of the RisingWave schema: embedded Kubernetes objects, CEL rule helpers, bounded strings
 * and label maps, the integer and time formats. Every section of src/api/risingwave/ is made of these.
 */
import { FormatRegistry, Type, type TOptional, type TSchema, type TUnsafe, type ObjectOptions, type ArrayOptions } from '@sinclair/typebox';
import { RULES, type CelRule } from './rules.js';

/** Marks a schema node whose content Kubernetes must keep as-is (and CEL cannot see). */
export const PRESERVE = 'x-kubernetes-preserve-unknown-fields';

/**
 * Gives a runtime schema a static type. Unlike `Type.Unsafe`, the runtime kind stays a real TypeBox kind
 * (Object/Array), so `Value.Check`/`Value.Default` keep working (Type.Unsafe makes Value.Check throw).
 */
export function typed<T>(schema: TSchema): TUnsafe<T> {
  return schema as unknown as TUnsafe<T>;
}

/** An embedded Kubernetes object (e.g. core/v1 Affinity): any object, kept verbatim. */
export function EmbeddedObject<T>(options: ObjectOptions = {}): TUnsafe<T> {
  return typed<T>(Type.Object({}, { additionalProperties: true, [PRESERVE]: true, ...options }));
}

/** A list of embedded Kubernetes objects (e.g. core/v1 EnvVar[]). */
export function EmbeddedList<T>(options: ArrayOptions = {}): TUnsafe<T[]> {
  return typed<T[]>(Type.Array(Type.Object({}, { additionalProperties: true, [PRESERVE]: true }), options));
}

/** Adds a description (what `kubectl explain` shows) without touching the schema it is given. */
export function doc<T extends TSchema>(schema: T, description: string): T {
  return { ...schema, description };
}

export const StringMap = (options: ObjectOptions = {}) => Type.Record(Type.String(), Type.String(), options);

export const VALIDATIONS = 'x-kubernetes-validations';
export const cel = (...rules: CelRule[]) => ({ [VALIDATIONS]: rules });

/** Label maps that CEL rules walk: bounded so the API server's cost estimate stays within budget. */
export const MAX_LABELS = 256;
export const LabelMap = () =>
  StringMap({
    maxProperties: MAX_LABELS,
    ...cel(RULES.reservedLabelPrefix.cel()),
  });

/** `intstr.IntOrString`, exactly the form Kubernetes accepts in a structural schema. */
export const IntOrString = (options: Record<string, unknown> = {}) =>
  Type.Union([Type.Integer(), Type.String()], { 'x-kubernetes-int-or-string': true, ...options });

export const Int32 = (options: Record<string, unknown> = {}) => Type.Integer({ format: 'int32', ...options });
export const Int64 = (options: Record<string, unknown> = {}) => Type.Integer({ format: 'int64', ...options });

/** metav1.Time: RFC 3339 (what the API server checks for `format: date-time`). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
export function isRFC3339(value: string): boolean {
  return RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}
// Value.Check refuses any string format it does not know; Ajv gets `date-time` from ajv-formats.
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isRFC3339);
export const Time = () => Type.String({ format: 'date-time' });

/** Strings that CEL rules read or that end up in object names: bounded for the cost estimator. */
export const MAX_NAME = 253;
export const MAX_IMAGE = 4096;
export const Name = (options: Record<string, unknown> = {}) => Type.String({ maxLength: MAX_NAME, ...options });

/** Each schema as an optional property, order kept: a backend table becomes the properties of its store. */
export function optionalEach<T extends Record<string, TSchema>>(schemas: T): { [K in keyof T]: TOptional<T[K]> } {
  return Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof T]: TOptional<T[K]> };
}
