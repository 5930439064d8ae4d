import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import { sortByName, sortEnv } from './env/order.js';
import { canonicalResourceList } from '../kube/quantity.js';

/**
 * The API server's defaults for the parts of a pod template a user can write, applied to user-written
 * containers and volumes as well as ours (see the comment at the top of pod-template.ts for why).
 */

/**
 * `Always` for an untagged or `:latest` image, else `IfNotPresent`, as the API server decides
 * (k8s.io/kubernetes pkg/util/parsers.ParseImageName): a digest without a tag pins the image, but a
 * `:latest@sha256:…` still counts as tagged `latest`.
 */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image) return 'IfNotPresent';
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastSegment.slice(colon + 1);
  if (tag === 'latest') return 'Always';
  return tag === '' && at < 0 ? 'Always' : 'IfNotPresent';
}

export function defaultProbe(probe: IProbe | undefined): IProbe | undefined {
  if (!probe) return undefined;
  const out: IProbe = {
    ...probe,
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    periodSeconds: probe.periodSeconds ?? 10,
    successThreshold: probe.successThreshold ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
  if (probe.httpGet) out.httpGet = { ...probe.httpGet, scheme: probe.httpGet.scheme ?? 'HTTP' };
  return out;
}

function defaultEnvVar(env: IEnvVar): IEnvVar {
  const fieldRef = env.valueFrom?.fieldRef;
  if (fieldRef && fieldRef.apiVersion === undefined) {
    return { ...env, valueFrom: { ...env.valueFrom, fieldRef: { ...fieldRef, apiVersion: 'v1' } } };
  }
  return env;
}

/** Every container the hook emits (ours and the user's) in the form the API server stores. */
export function canonicalContainer(c: IContainer): IContainer {
  const out: IContainer = {
    ...c,
    imagePullPolicy: c.imagePullPolicy || defaultPullPolicy(c.image),
    terminationMessagePath: c.terminationMessagePath || '/dev/termination-log',
    terminationMessagePolicy: c.terminationMessagePolicy || 'File',
    resources: c.resources
      ? {
          ...c.resources,
          limits: canonicalResourceList(c.resources.limits as Record<string, string> | undefined),
          requests: canonicalResourceList(c.resources.requests as Record<string, string> | undefined),
        }
      : {},
  };
  if (c.env) out.env = sortEnv(c.env.map(defaultEnvVar));
  if (c.ports) out.ports = c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' }));
  if (c.volumeMounts) out.volumeMounts = sortByName(c.volumeMounts.map(({ readOnly, ...m }) => (readOnly ? { ...m, readOnly } : m)));
  if (c.volumeDevices) out.volumeDevices = sortByName(c.volumeDevices);
  out.startupProbe = defaultProbe(c.startupProbe);
  out.livenessProbe = defaultProbe(c.livenessProbe);
  out.readinessProbe = defaultProbe(c.readinessProbe);
  // `omitempty` booleans: a false the hook sends would differ from the stored (absent) field.
  for (const key of ['stdin', 'stdinOnce', 'tty'] as const) if (out[key] === false) delete out[key];
  return out;
}

const DEFAULT_MODE = 420;

/** Volumes with the mode bits the server fills in for ConfigMap, Secret, downward API and projected sources. */
export function canonicalVolume(v: IVolume): IVolume {
  const out: IVolume = { ...v };
  if (v.configMap) out.configMap = { ...v.configMap, defaultMode: v.configMap.defaultMode ?? DEFAULT_MODE };
  if (v.secret) out.secret = { ...v.secret, defaultMode: v.secret.defaultMode ?? DEFAULT_MODE };
  if (v.projected) out.projected = { ...v.projected, defaultMode: v.projected.defaultMode ?? DEFAULT_MODE };
  if (v.downwardAPI) {
    out.downwardAPI = {
      ...v.downwardAPI,
      defaultMode: v.downwardAPI.defaultMode ?? DEFAULT_MODE,
      items: v.downwardAPI.items?.map((item) =>
        item.fieldRef && item.fieldRef.apiVersion === undefined ? { ...item, fieldRef: { ...item.fieldRef, apiVersion: 'v1' } } : item,
      ),
    };
  }
  return out;
}

/** Replace-or-append by a key, keeping the first occurrence's position (Go `mergeListWhenKeyEquals`). */
export function upsertBy<T>(list: readonly T[], item: T, same: (a: T, b: T) => boolean): T[] {
  const idx = list.findIndex((x) => same(x, item));
  if (idx < 0) return [...list, item];
  const out = [...list];
  out[idx] = item;
  return out;
}
