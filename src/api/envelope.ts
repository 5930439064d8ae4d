/**
 * The Metacontroller envelope schemas of metacontroller.ts as plain JSON Schema, for the server's
 * validator. The TypeBox definitions stay the source (types, the CLI's checks); importing TypeBox costs
 * ~70 ms of module loading, which the server no longer pays before it is ready. A test keeps the two equal.
 */

/** Keywords the Kubernetes schema dialect adds; Ajv must be told about them or it refuses the schema. */
export const KUBERNETES_SCHEMA_KEYWORDS = [
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-embedded-resource',
];

const nonEmpty = () => ({ minLength: 1, type: 'string' });
const stringMap = () => ({ type: 'object', patternProperties: { '^(.*)$': { type: 'string' } } });

const metadata = () => ({
  additionalProperties: true,
  type: 'object',
  required: ['name'],
  properties: {
    name: nonEmpty(),
    namespace: { type: 'string' },
    uid: { type: 'string' },
    generation: { minimum: 0, type: 'integer' },
    labels: stringMap(),
    annotations: stringMap(),
  },
});

const object = (extra: Record<string, unknown> = {}) => ({
  additionalProperties: true,
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  properties: { apiVersion: nonEmpty(), kind: nonEmpty(), metadata: metadata(), ...extra },
});

const childMap = () => ({ type: 'object', patternProperties: { '^(.*)$': { type: 'object', patternProperties: { '^(.*)$': object() } } } });

const parent = () => object({ spec: {}, status: {} });

export const SYNC_REQUEST_JSON_SCHEMA = {
  additionalProperties: true,
  type: 'object',
  required: ['parent'],
  properties: { controller: {}, parent: parent(), children: childMap(), related: childMap(), finalizing: { type: 'boolean' } },
};

export const CUSTOMIZE_REQUEST_JSON_SCHEMA = {
  additionalProperties: true,
  type: 'object',
  required: ['parent'],
  properties: { controller: {}, parent: parent() },
};
