/**
 * `spec.configuration`, `spec.tls`, `spec.licenseKey`, `spec.secretStore` and the additional Service
 * metadata: the small references a RisingWave makes to ConfigMaps and Secrets.
 */
import { Type, type Static } from '@sinclair/typebox';
import { LabelMap, Name, StringMap, cel } from './building-blocks.js';
import { RULES } from './rules.js';

export const DEFAULT_CONFIG_KEY = 'risingwave.toml';

export const ConfigurationRefSchema = Type.Object({
  name: Type.Optional(Name()),
  key: Type.Optional(Type.String({ default: DEFAULT_CONFIG_KEY })),
  optional: Type.Optional(Type.Boolean()),
});
export type ConfigurationRef = Static<typeof ConfigurationRefSchema>;

export const ConfigurationSourceSchema = Type.Object({
  configMap: Type.Optional(ConfigurationRefSchema),
  secret: Type.Optional(ConfigurationRefSchema),
});
export type ConfigurationSource = Static<typeof ConfigurationSourceSchema>;

export const TLSSchema = Type.Object({ secretName: Type.Optional(Name()) });
export type TLS = Static<typeof TLSSchema>;

export const LicenseKeySchema = Type.Object({
  secretName: Type.Optional(Name()),
  secretKey: Type.Optional(Type.String({ default: 'licenseKey' })),
  passAsFile: Type.Optional(Type.Boolean()),
});
export type LicenseKey = Static<typeof LicenseKeySchema>;

export const PRIVATE_KEY_PATTERN = '^[0-9a-f]{32}$';

export const SecretKeyRefSchema = Type.Object({ name: Name(), key: Type.String() });
export type SecretKeyRef = Static<typeof SecretKeyRefSchema>;

export const PrivateKeySchema = Type.Object(
  {
    value: Type.Optional(Type.String({ pattern: PRIVATE_KEY_PATTERN })),
    secretRef: Type.Optional(SecretKeyRefSchema),
  },
  cel(RULES.privateKeyOneSource.cel()),
);
export type PrivateKey = Static<typeof PrivateKeySchema>;

export const SecretStoreSchema = Type.Object({ privateKey: Type.Optional(PrivateKeySchema) });
export type SecretStore = Static<typeof SecretStoreSchema>;

export const ServiceMetadataSchema = Type.Object({
  labels: Type.Optional(LabelMap()),
  annotations: Type.Optional(StringMap()),
});
export type ServiceMetadata = Static<typeof ServiceMetadataSchema>;
