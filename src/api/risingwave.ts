import { Type, type Static } from '@sinclair/typebox';
import { Int32, MAX_IMAGE, StringMap, cel, doc } from './risingwave/building-blocks.js';
import { RULES, TRANSITION_RULES } from './risingwave/rules.js';
import { MetaStoreSchema } from './risingwave/meta-store.js';
import { StateStoreSchema } from './risingwave/state-store.js';
import { ConfigurationSourceSchema, LicenseKeySchema, SecretStoreSchema, ServiceMetadataSchema, TLSSchema } from './risingwave/configuration.js';
import { ComponentsSchema } from './risingwave/components.js';
import { RisingWaveStatusSchema } from './risingwave/status.js';

/**
 * The RisingWave v1alpha1 resource (risingwave.risingwavelabs.com), field for field as the Go operator declares
 * it (JSON names, OpenAPI defaults, enums, patterns). This one schema is the source of:
 *  - the CRD's openAPIV3Schema (src/crd/ converts it to a structural schema),
 *  - the hook's defaulting (src/api/prepare.ts applies every `default` below, Kubernetes-style),
 *  - the static types the builders use.
 *
 * Kubernetes types embedded from core/v1 (env, resources, volumes, affinity, containers, ...) are not
 * re-declared: their schema node preserves unknown fields (which keeps the CRD far below the 256 KiB limit and
 * lets the API server validate them when it builds the Pod), while the static type is the kubernetes-models
 * interface. Everything a CEL rule or the hook's own validation must read stays typed.
 *
 * Split by section as the Go operator splits its types (src/api/risingwave/*.ts); this root composes the
 * spec and the resource from them and re-exports every public name.
 */

export { PRESERVE, VALIDATIONS, MAX_LABELS, isRFC3339 } from './risingwave/building-blocks.js';
export { RESERVED_LABEL_PREFIX, type CelRule } from './risingwave/rules.js';
export * from './risingwave/meta-store.js';
export * from './risingwave/state-store.js';
export * from './risingwave/configuration.js';
export * from './risingwave/node-group.js';
export * from './risingwave/components.js';
export * from './risingwave/status.js';

// ---------------------------------------------------------------------------------------------------------
// Spec
// ---------------------------------------------------------------------------------------------------------

export const FRONTEND_SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;

export const RisingWaveSpecSchema = Type.Object(
  {
    image: doc(Type.String({ maxLength: MAX_IMAGE }), "Image of every RisingWave container, e.g. risingwavelabs/risingwave:v2.1.0. A node group's template.spec.image overrides it."),
    enableOpenKruise: doc(Type.Optional(Type.Boolean({ default: false })), 'Use OpenKruise workloads. Not supported by this controller: must stay false.'),
    enableFrontendStatefulSet: doc(Type.Optional(Type.Boolean({ default: false })), 'Run the frontend as a StatefulSet instead of a Deployment.'),
    enableDefaultServiceMonitor: doc(Type.Optional(Type.Boolean()), 'Create a Prometheus-operator ServiceMonitor for the cluster.'),
    enableFullKubernetesAddr: doc(Type.Optional(Type.Boolean({ default: false })), 'Use <service>.<namespace>.svc addresses between components. Not safe to change on a running cluster.'),
    enableStandaloneMode: doc(Type.Optional(Type.Boolean({ default: false })), 'Run a single all-in-one pod (components.standalone); the meta/frontend/compute/compactor node groups are ignored.'),
    enableEmbeddedServingMode: doc(Type.Optional(Type.Boolean({ default: false })), 'Frontend pods also run a serving compute node; compute nodes do streaming only.'),
    enableAdvertisingWithIP: doc(Type.Optional(Type.Boolean()), 'Meta and compute nodes advertise their pod IP instead of their DNS name.'),
    enableWebhookListener: doc(Type.Optional(Type.Boolean({ default: true })), 'Frontend listens for webhooks on port 4560.'),
    frontendServiceType: Type.Optional(
      Type.Union(
        FRONTEND_SERVICE_TYPES.map((t) => Type.Literal(t)),
        { default: 'ClusterIP', description: 'Type of the frontend Service.' },
      ),
    ),
    additionalFrontendServiceMetadata: doc(Type.Optional(ServiceMetadataSchema), 'Labels and annotations added to the frontend Service.'),
    additionalMetaServiceMetadata: doc(Type.Optional(ServiceMetadataSchema), 'Labels and annotations added to the meta Service.'),
    standaloneMode: doc(Type.Optional(Int32({ default: 0, minimum: 0, maximum: 2 })), 'Standalone flavour: 0 picks by image version, 1 is the legacy standalone, 2 is single-node.'),
    metaStore: doc(Type.Optional(MetaStoreSchema), 'Where the meta service keeps its metadata: exactly one backend. Immutable.'),
    stateStore: doc(Type.Optional(StateStoreSchema), 'Where the Hummock state lives: exactly one backend plus the data directory. Immutable.'),
    configuration: doc(Type.Optional(ConfigurationSourceSchema), "Cluster-wide risingwave.toml, from a ConfigMap or a Secret. A node group's configuration replaces it."),
    tls: doc(Type.Optional(TLSSchema), 'Secret with tls.key and tls.crt for SQL connections; none means no TLS.'),
    licenseKey: doc(Type.Optional(LicenseKeySchema), 'Secret holding the RisingWave license key.'),
    secretStore: doc(Type.Optional(SecretStoreSchema), "Private key of RisingWave's secret store. Can be set once, never changed."),
    components: doc(Type.Optional(ComponentsSchema), 'Node groups of each component, or the standalone pod.'),
  },
  cel(
    RULES.memoryMetaStoreSingleMeta.cel(),
    // Transition rules on the always-present spec catch removals the fields' own rules cannot see.
    TRANSITION_RULES.storeImmutable.celOnSpec('metaStore'),
    TRANSITION_RULES.storeImmutable.celOnSpec('stateStore'),
    TRANSITION_RULES.privateKeySetOnce.cel(),
  ),
);
export type RisingWaveSpec = Static<typeof RisingWaveSpecSchema>;

// ---------------------------------------------------------------------------------------------------------
// The resource
// ---------------------------------------------------------------------------------------------------------

export const GROUP = 'risingwave.risingwavelabs.com';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'RisingWave';

export const ObjectMetaSchema = Type.Object(
  {
    name: Type.String(),
    namespace: Type.Optional(Type.String()),
    uid: Type.Optional(Type.String()),
    generation: Type.Optional(Type.Integer()),
    resourceVersion: Type.Optional(Type.String()),
    creationTimestamp: Type.Optional(Type.String()),
    deletionTimestamp: Type.Optional(Type.String()),
    labels: Type.Optional(StringMap()),
    annotations: Type.Optional(StringMap()),
  },
  { additionalProperties: true },
);
export type ObjectMeta = Static<typeof ObjectMetaSchema>;

export const RisingWaveSchema = Type.Object(
  {
    apiVersion: Type.Literal(API_VERSION),
    kind: Type.Literal(KIND),
    metadata: ObjectMetaSchema,
    spec: RisingWaveSpecSchema,
    status: Type.Optional(RisingWaveStatusSchema),
  },
  { additionalProperties: true },
);
export type RisingWave = Static<typeof RisingWaveSchema>;
