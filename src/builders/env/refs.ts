/** Small constructors for env entries, so every builder emits the same canonical shapes. */
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';

export function valueEnv(name: string, value: string): IEnvVar {
  return { name, value };
}

/**
 * An env var read from a Secret key: exactly `{name, key}` like the operator (no `optional`). An empty
 * Secret name is left out, as Go's `omitempty` does, instead of being sent as `name: ""`.
 */
export function secretEnv(name: string, secretName: string | undefined, key: string): IEnvVar {
  return { name, valueFrom: { secretKeyRef: secretName ? { name: secretName, key } : { key } } };
}

/**
 * An env var read from a pod field. `apiVersion: v1` is spelled out because the API server defaults it;
 * leaving it out makes every sync see a difference.
 */
export function fieldEnv(name: string, fieldPath: string): IEnvVar {
  return { name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } };
}

/**
 * Mode bits the API server stores on Secret volumes when none are given (0644). Emitted explicitly so
 * the desired volume equals the stored one.
 */
export const DEFAULT_SECRET_VOLUME_MODE = 420;
