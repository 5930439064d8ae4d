import { Type, type Static } from '@sinclair/typebox';

/**
 * The Metacontroller hook envelope (CompositeController sync / finalize / customize), hook v1 and v2.
 * Only the envelope is checked here: a malformed envelope is a 400. The RisingWave inside `parent` is
 * judged later, and an invalid spec becomes a status condition, never a 400.
 */

const Metadata = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    namespace: Type.Optional(Type.String()),
    uid: Type.Optional(Type.String()),
    generation: Type.Optional(Type.Integer({ minimum: 0 })),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: true },
);

export const KubeObjectSchema = Type.Object(
  {
    apiVersion: Type.String({ minLength: 1 }),
    kind: Type.String({ minLength: 1 }),
    metadata: Metadata,
  },
  { additionalProperties: true },
);

export const ParentSchema = Type.Object(
  {
    apiVersion: Type.String({ minLength: 1 }),
    kind: Type.String({ minLength: 1 }),
    metadata: Metadata,
    spec: Type.Optional(Type.Unknown()),
    status: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);

/** `{"Kind.apiVersion": {"name" | "namespace/name": object}}` */
export const ChildMapSchema = Type.Record(Type.String(), Type.Record(Type.String(), KubeObjectSchema));

export const SyncRequestSchema = Type.Object(
  {
    controller: Type.Optional(Type.Unknown()),
    parent: ParentSchema,
    children: Type.Optional(ChildMapSchema),
    related: Type.Optional(ChildMapSchema),
    finalizing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);
export type SyncRequest = Static<typeof SyncRequestSchema>;

export const CustomizeRequestSchema = Type.Object(
  {
    controller: Type.Optional(Type.Unknown()),
    parent: ParentSchema,
  },
  { additionalProperties: true },
);
export type CustomizeRequest = Static<typeof CustomizeRequestSchema>;

/** The only top-level fields Metacontroller's strict (v2) decoder accepts. */
export interface SyncResponse {
  status: Record<string, unknown>;
  children: Array<{ apiVersion: string; kind: string; metadata: { name: string } & Record<string, unknown> } & Record<string, unknown>>;
  resyncAfterSeconds?: number;
  finalized?: boolean;
}

export interface RelatedResourceRule {
  apiVersion: string;
  resource: string;
  labelSelector?: Record<string, unknown>;
  namespace?: string;
  names?: string[];
}

export interface CustomizeResponse {
  relatedResources: RelatedResourceRule[];
}

export { KUBERNETES_SCHEMA_KEYWORDS } from './envelope.js';
