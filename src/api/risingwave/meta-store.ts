/**
 * `spec.metaStore`: where the meta service keeps its metadata (Go: `RisingWaveMetaStoreBackend`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Int32, Name, StringMap, cel, optionalEach } from './building-blocks.js';
import { RULES, TRANSITION_RULES } from './rules.js';

export const CredentialsUsernamePasswordSchema = Type.Object({
  secretName: Name(),
  usernameKeyRef: Type.Optional(Type.String({ default: 'username' })),
  passwordKeyRef: Type.Optional(Type.String({ default: 'password' })),
});
export type CredentialsUsernamePassword = Static<typeof CredentialsUsernamePasswordSchema>;

export const MetaStoreEtcdSchema = Type.Object({
  endpoint: Type.String(),
  credentials: Type.Optional(CredentialsUsernamePasswordSchema),
  /** Deprecated: name of a Secret with keys username/password. */
  secret: Type.Optional(Type.String()),
});
export type MetaStoreEtcd = Static<typeof MetaStoreEtcdSchema>;

export const MetaStoreSQLiteSchema = Type.Object({ path: Type.String() });
export type MetaStoreSQLite = Static<typeof MetaStoreSQLiteSchema>;

export const MetaStoreMySQLSchema = Type.Object({
  host: Type.String(),
  port: Int32({ default: 3306, minimum: 1, maximum: 65535 }),
  database: Type.String(),
  options: Type.Optional(StringMap()),
  credentials: CredentialsUsernamePasswordSchema,
});
export type MetaStoreMySQL = Static<typeof MetaStoreMySQLSchema>;

export const MetaStorePostgreSQLSchema = Type.Object({
  host: Type.String(),
  port: Int32({ default: 5432, minimum: 1, maximum: 65535 }),
  database: Type.String(),
  options: Type.Optional(StringMap()),
  credentials: CredentialsUsernamePasswordSchema,
});
export type MetaStorePostgreSQL = Static<typeof MetaStorePostgreSQLSchema>;

/** Every backend's schema, in the CRD's order: the schema's properties, the key list and the CEL rule come from here. */
const BACKEND_SCHEMAS = {
  memory: Type.Boolean(),
  etcd: MetaStoreEtcdSchema,
  sqlite: MetaStoreSQLiteSchema,
  mysql: MetaStoreMySQLSchema,
  postgresql: MetaStorePostgreSQLSchema,
};
export type MetaStoreBackendKey = keyof typeof BACKEND_SCHEMAS;
export const META_STORE_BACKENDS: readonly MetaStoreBackendKey[] = Object.keys(BACKEND_SCHEMAS) as MetaStoreBackendKey[];

export const MetaStoreSchema = Type.Object(
  {
    ...optionalEach(BACKEND_SCHEMAS),
  },
  {
    default: { memory: true },
    ...cel(
      RULES.exactlyOneBackend.cel('meta store', META_STORE_BACKENDS),
      TRANSITION_RULES.storeImmutable.celOnStore('metaStore'),
    ),
  },
);
export type MetaStore = Static<typeof MetaStoreSchema>;
