/**
 * License key wiring (meta and standalone only). Images from v2.1 on read the key from a file they
 * watch and hot-reload; older images only read `RW_LICENSE_KEY` (reference §3.5, §8).
 */
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { RisingWave } from '../../api/risingwave.js';
import { passesLicenseAsFile } from '../image.js';
import { DEFAULT_SECRET_VOLUME_MODE, secretEnv, valueEnv } from './refs.js';

export const LICENSE_VOLUME = 'license';
export const LICENSE_MOUNT_PATH = '/license';
export const LICENSE_FILE_NAME = 'license.jwt';
export const DEFAULT_LICENSE_SECRET_KEY = 'licenseKey';

/** Env, volumes and mounts a container adds to receive the license. */
export interface ContainerParts {
  readonly env: IEnvVar[];
  readonly volumes: IVolume[];
  readonly volumeMounts: IVolumeMount[];
}



/** The license parts for an image tag; nothing unless `licenseKey.secretName` is set. */
export function licenseParts(rw: RisingWave, tag: string): ContainerParts {
  const license = rw.spec.licenseKey;
  if (!license?.secretName) return { env: [], volumes: [], volumeMounts: [] };
  const key = license.secretKey ?? DEFAULT_LICENSE_SECRET_KEY;
  if (!passesLicenseAsFile(tag, license.passAsFile)) {
    return { env: [secretEnv('RW_LICENSE_KEY', license.secretName, key)], volumes: [], volumeMounts: [] };
  }
  return {
    env: [valueEnv('RW_LICENSE_KEY_PATH', `${LICENSE_MOUNT_PATH}/${LICENSE_FILE_NAME}`)],
    volumes: [
      {
        name: LICENSE_VOLUME,
        secret: {
          secretName: license.secretName,
          items: [{ key, path: LICENSE_FILE_NAME }],
          defaultMode: DEFAULT_SECRET_VOLUME_MODE,
        },
      },
    ],
    volumeMounts: [{ name: LICENSE_VOLUME, mountPath: LICENSE_MOUNT_PATH, readOnly: true }],
  };
}
