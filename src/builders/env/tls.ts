/**
 * TLS for SQL connections (frontend and standalone only): the Secret named by `spec.tls.secretName`
 * (keys tls.key / tls.crt) is mounted and its files are passed by path.
 */
import type { RisingWave } from '../../api/risingwave.js';
import type { ContainerParts } from './license.js';
import { DEFAULT_SECRET_VOLUME_MODE, valueEnv } from './refs.js';

export const TLS_VOLUME = 'risingwave-tls';
export const TLS_MOUNT_PATH = '/risingwave/tls';

/** The TLS parts; nothing when `spec.tls.secretName` is empty. */
export function tlsParts(rw: RisingWave): ContainerParts {
  const secretName = rw.spec.tls?.secretName;
  if (!secretName) return { env: [], volumes: [], volumeMounts: [] };
  return {
    env: [valueEnv('RW_SSL_KEY', `${TLS_MOUNT_PATH}/tls.key`), valueEnv('RW_SSL_CERT', `${TLS_MOUNT_PATH}/tls.crt`)],
    volumes: [{ name: TLS_VOLUME, secret: { secretName, defaultMode: DEFAULT_SECRET_VOLUME_MODE } }],
    volumeMounts: [{ name: TLS_VOLUME, mountPath: TLS_MOUNT_PATH, readOnly: true }],
  };
}
