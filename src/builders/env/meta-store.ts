/**
 * Meta store env (meta and standalone containers only), as the risingwave-operator writes it
 * (reference §3.5). Images before v1.10.1 take SQL stores as one DSN (`RW_BACKEND=sql`); newer ones take
 * the endpoint, database and credentials as separate variables.
 */
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type {
  CredentialsUsernamePassword,
  MetaStore,
  MetaStoreBackendType,
  MetaStoreMySQL,
  MetaStorePostgreSQL,
  RisingWave,
} from '../../api/risingwave.js';
import { usesLegacyMetaStoreEnv } from '../image.js';
import { secretEnv, valueEnv } from './refs.js';

/** Go's `url.QueryEscape`: only A-Z a-z 0-9 - _ . ~ stay literal, and a space becomes '+'. */
export function goQueryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Go's `url.Values.Encode` of a one-value-per-key map, with a leading '?'; "" when there are no options. */
export function formatConnectionOptions(options: Record<string, string> | undefined): string {
  const keys = Object.keys(options ?? {});
  if (keys.length === 0) return '';
  // Go sorts keys bytewise; every realistic option key is ASCII, where that equals JS string order.
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `?${keys.map((k) => `${goQueryEscape(k)}=${goQueryEscape(options![k]!)}`).join('&')}`;
}

function credentialEnv(
  creds: CredentialsUsernamePassword,
  usernameVar: string,
  passwordVar: string,
): IEnvVar[] {
  const usernameKey = creds.usernameKeyRef ?? 'username';
  const passwordKey = creds.passwordKeyRef ?? 'password';
  return [
    secretEnv(usernameVar, creds.secretName, usernameKey),
    secretEnv(passwordVar, creds.secretName, passwordKey),
    secretEnv('RW_SQL_USERNAME', creds.secretName, usernameKey),
    secretEnv('RW_SQL_PASSWORD', creds.secretName, passwordKey),
  ];
}

function sqlEnv(
  scheme: 'postgres' | 'mysql',
  db: MetaStorePostgreSQL | MetaStoreMySQL,
  legacy: boolean,
): IEnvVar[] {
  const prefix = scheme === 'postgres' ? 'RW_POSTGRES' : 'RW_MYSQL';
  const options = formatConnectionOptions(db.options);
  const creds = credentialEnv(db.credentials, `${prefix}_USERNAME`, `${prefix}_PASSWORD`);
  if (legacy) {
    const userinfo = `$(${prefix}_USERNAME):$(${prefix}_PASSWORD)`;
    const dsn = `${scheme}://${userinfo}@${db.host}:${db.port}/${db.database}${options}`;
    return [valueEnv('RW_BACKEND', 'sql'), valueEnv('RW_SQL_ENDPOINT', dsn), ...creds];
  }
  return [
    valueEnv('RW_BACKEND', scheme),
    valueEnv('RW_SQL_ENDPOINT', `${db.host}:${db.port}${options}`),
    valueEnv('RW_SQL_DATABASE', db.database),
    ...creds,
  ];
}

function etcdEnv(etcd: NonNullable<MetaStore['etcd']>): IEnvVar[] {
  const env = [valueEnv('RW_BACKEND', 'etcd'), valueEnv('RW_ETCD_ENDPOINTS', etcd.endpoint)];
  const creds = etcd.credentials;
  // An empty secret name means no authentication.
  if (!creds?.secretName) return env;
  const usernameKey = creds.usernameKeyRef ?? 'username';
  const passwordKey = creds.passwordKeyRef ?? 'password';
  return [
    ...env,
    valueEnv('RW_ETCD_AUTH', 'true'),
    // The unprefixed pair is what old images read; the operator still sets both.
    secretEnv('ETCD_USERNAME', creds.secretName, usernameKey),
    secretEnv('ETCD_PASSWORD', creds.secretName, passwordKey),
    secretEnv('RW_ETCD_USERNAME', creds.secretName, usernameKey),
    secretEnv('RW_ETCD_PASSWORD', creds.secretName, passwordKey),
  ];
}

/**
 * The meta-store env for an image tag (the tag of the container's own image). Throws when no backend is
 * configured (validation refuses such a spec first). Order is not meaningful (see `sortEnv`).
 */
export function metaStoreEnv(rw: RisingWave, tag: string): IEnvVar[] {
  const ms = rw.spec.metaStore;
  const legacy = usesLegacyMetaStoreEnv(tag);
  if (ms?.memory === true) return [valueEnv('RW_BACKEND', 'mem')];
  if (ms?.etcd) return etcdEnv(ms.etcd);
  if (ms?.sqlite) {
    // Newer images add `sqlite://` and `?mode=rwc` themselves.
    return legacy
      ? [valueEnv('RW_BACKEND', 'sql'), valueEnv('RW_SQL_ENDPOINT', `sqlite://${ms.sqlite.path}?mode=rwc`)]
      : [valueEnv('RW_BACKEND', 'sqlite'), valueEnv('RW_SQL_ENDPOINT', ms.sqlite.path)];
  }
  if (ms?.mysql) return sqlEnv('mysql', ms.mysql, legacy);
  if (ms?.postgresql) return sqlEnv('postgres', ms.postgresql, legacy);
  throw new Error('spec.metaStore: no meta store backend is configured');
}

/** `status.metaStore.backend`. */
export function metaStoreBackendName(rw: RisingWave): MetaStoreBackendType {
  const ms = rw.spec.metaStore;
  if (ms?.memory === true) return 'Memory';
  if (ms?.etcd) return 'Etcd';
  if (ms?.postgresql) return 'PostgreSQL';
  if (ms?.mysql) return 'MySQL';
  if (ms?.sqlite) return 'SQLite';
  return 'Unknown';
}
