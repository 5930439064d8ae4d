/**
 * The env of each RisingWave process, in layers (env/order.ts merges them); the component table
 * (components.ts) names one function per component.
 */
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { imageTag } from '../image.js';
import { isEmbeddedServing, webhookListenerEnabled, type BuildInput } from '../input.js';
import { componentAddress } from '../names.js';
import { CONFIG_PATH, type PodGroup } from '../pod-group.js';
import {
  COMPACTOR_METRICS_PORT,
  COMPACTOR_SERVICE_PORT,
  COMPUTE_METRICS_PORT,
  COMPUTE_SERVICE_PORT,
  FRONTEND_METRICS_PORT,
  FRONTEND_SERVICE_PORT,
  META_DASHBOARD_PORT,
  META_METRICS_PORT,
  META_SERVICE_PORT,
  WEBHOOK_LISTENER_PORT,
} from '../ports.js';
import { licenseParts, type ContainerParts } from './license.js';
import { metaStoreEnv } from './meta-store.js';
import { valueEnv } from './refs.js';
import { parallelismAndMemoryEnv } from './resources.js';
import { secretStoreEnv } from './secret-store.js';
import { stateStoreEnv } from './state-store.js';
import { tlsParts } from './tls.js';

export interface EnvLayers {
  /** Component defaults: the user's template env overrides these. */
  readonly defaults: IEnvVar[];
  /** Store-derived env: overrides the user's. */
  readonly store: IEnvVar[];
  readonly parts: ContainerParts[];
}

/** A component's env, from the builders' input, the node group and the container's image. */
export type ComponentEnv = (input: BuildInput, group: PodGroup, image: string) => EnvLayers;

const STATE_STORE_URL_VARS = new Set(['RW_STATE_STORE', 'RW_DATA_DIRECTORY']);

const configPath = (): IEnvVar => valueEnv('RW_CONFIG_PATH', CONFIG_PATH);

function metaAddressEnv(input: BuildInput): IEnvVar[] {
  const addr = `load-balance+http://${componentAddress(input.rw, 'meta')}:${META_SERVICE_PORT}`;
  return [valueEnv('RW_META_ADDR', addr), valueEnv('RW_META_ADDRESS', addr)];
}

function advertiseAddress(input: BuildInput, component: 'meta' | 'compute', port: number): string {
  return input.rw.spec.enableAdvertisingWithIP === true ? `$(POD_IP):${port}` : `$(POD_NAME).${componentAddress(input.rw, component)}:${port}`;
}

function webhookListenerEnv(input: BuildInput): IEnvVar[] {
  return webhookListenerEnabled(input.rw) ? [valueEnv('RW_WEBHOOK_LISTEN_ADDR', `0.0.0.0:${WEBHOOK_LISTENER_PORT}`)] : [];
}

/**
 * The meta core env shared by meta and standalone: the state-store URL and data directory, the dashboard
 * address and the meta store's plain values. The meta store's Secret references are returned apart: the
 * operator lets the user override the former but not the latter.
 */
function metaCoreEnv(input: BuildInput, tag: string): { core: IEnvVar[]; credentials: IEnvVar[] } {
  const state = stateStoreEnv(input.rw, { includeStoreUrl: true }).filter((e) => STATE_STORE_URL_VARS.has(e.name));
  const metaStore = metaStoreEnv(input.rw, tag);
  return {
    core: [...state, valueEnv('RW_DASHBOARD_HOST', `0.0.0.0:${META_DASHBOARD_PORT}`), ...metaStore.filter((e) => !e.valueFrom)],
    credentials: metaStore.filter((e) => e.valueFrom),
  };
}

function stateStoreCredentialEnv(input: BuildInput): IEnvVar[] {
  return stateStoreEnv(input.rw, { includeStoreUrl: false });
}

export const metaEnv: ComponentEnv = (input, _group, image) => {
  const tag = imageTag(image);
  const { core, credentials } = metaCoreEnv(input, tag);
  const license = licenseParts(input.rw, tag);
  return {
    defaults: [
      valueEnv('RW_META_ADDR', `http://127.0.0.1:${META_SERVICE_PORT}`),
      configPath(),
      valueEnv('RW_LISTEN_ADDR', `0.0.0.0:${META_SERVICE_PORT}`),
      valueEnv('RW_ADVERTISE_ADDR', advertiseAddress(input, 'meta', META_SERVICE_PORT)),
      valueEnv('RW_PROMETHEUS_HOST', `0.0.0.0:${META_METRICS_PORT}`),
      ...core,
    ],
    store: [...stateStoreCredentialEnv(input), ...credentials, ...license.env, ...secretStoreEnv(input.rw)],
    parts: [license],
  };
};

export const frontendEnv: ComponentEnv = (input, group) => {
  const tls = tlsParts(input.rw);
  const embedded = isEmbeddedServing(input.rw);
  return {
    defaults: [
      valueEnv('RW_LISTEN_ADDR', `0.0.0.0:${FRONTEND_SERVICE_PORT}`),
      configPath(),
      valueEnv('RW_ADVERTISE_ADDR', `$(POD_IP):${FRONTEND_SERVICE_PORT}`),
      ...metaAddressEnv(input),
      valueEnv('RW_PROMETHEUS_LISTENER_ADDR', `0.0.0.0:${FRONTEND_METRICS_PORT}`),
      ...webhookListenerEnv(input),
      ...tls.env,
      // The embedded serving compute needs what a compute needs; the operator lets the user override it.
      ...(embedded ? [...parallelismAndMemoryEnv(group.template?.spec?.resources), ...stateStoreCredentialEnv(input)] : []),
    ],
    store: [],
    parts: [tls],
  };
};

export const computeEnv: ComponentEnv = (input, group) => ({
  defaults: [
    configPath(),
    valueEnv('RW_LISTEN_ADDR', `0.0.0.0:${COMPUTE_SERVICE_PORT}`),
    valueEnv('RW_ADVERTISE_ADDR', advertiseAddress(input, 'compute', COMPUTE_SERVICE_PORT)),
    ...metaAddressEnv(input),
    valueEnv('RW_PROMETHEUS_LISTENER_ADDR', `0.0.0.0:${COMPUTE_METRICS_PORT}`),
    ...parallelismAndMemoryEnv(group.template?.spec?.resources),
    // Named groups are resource groups; a default layer, so the template may choose another.
    ...(group.name !== '' ? [valueEnv('RW_RESOURCE_GROUP', group.name)] : []),
  ],
  store: stateStoreCredentialEnv(input),
  parts: [],
});

export const compactorEnv: ComponentEnv = (input) => ({
  defaults: [
    configPath(),
    valueEnv('RW_LISTEN_ADDR', `0.0.0.0:${COMPACTOR_SERVICE_PORT}`),
    valueEnv('RW_ADVERTISE_ADDR', `$(POD_IP):${COMPACTOR_SERVICE_PORT}`),
    valueEnv('RW_PROMETHEUS_LISTENER_ADDR', `0.0.0.0:${COMPACTOR_METRICS_PORT}`),
    ...metaAddressEnv(input),
  ],
  store: stateStoreCredentialEnv(input),
  parts: [],
});

/** The operator merges every generated variable over the user's for standalone: no default layer. */
export const standaloneEnv: ComponentEnv = (input, _group, image) => {
  const tag = imageTag(image);
  const { core, credentials } = metaCoreEnv(input, tag);
  const tls = tlsParts(input.rw);
  const license = licenseParts(input.rw, tag);
  return {
    defaults: [],
    store: [
      ...tls.env,
      configPath(),
      ...core,
      valueEnv('RW_META_ADDR', `http://127.0.0.1:${META_SERVICE_PORT}`),
      ...stateStoreCredentialEnv(input),
      ...credentials,
      ...license.env,
      ...secretStoreEnv(input.rw),
      // The standalone process serves the frontend's webhook listener; the Services declare port 4560.
      ...webhookListenerEnv(input),
    ],
    parts: [tls, license],
  };
};
