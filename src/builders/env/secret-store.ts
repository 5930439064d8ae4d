/** The secret store's private key (meta): `RW_SECRET_STORE_PRIVATE_KEY_HEX`, from a value or a Secret. */
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { RisingWave } from '../../api/risingwave.js';
import { secretEnv, valueEnv } from './refs.js';

export const SECRET_STORE_PRIVATE_KEY_ENV = 'RW_SECRET_STORE_PRIVATE_KEY_HEX';

/** Nothing when no private key is configured. Validation refuses value and secretRef together; value wins. */
export function secretStoreEnv(rw: RisingWave): IEnvVar[] {
  const key = rw.spec.secretStore?.privateKey;
  if (key?.value) return [valueEnv(SECRET_STORE_PRIVATE_KEY_ENV, key.value)];
  if (key?.secretRef) return [secretEnv(SECRET_STORE_PRIVATE_KEY_ENV, key.secretRef.name, key.secretRef.key)];
  return [];
}
