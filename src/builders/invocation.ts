/**
 * The command and args of each RisingWave process; the component table (components.ts) names one per
 * component. Spelled as the Go operator spells them: any other spelling is a pod template change.
 */
import { imageTag, standaloneUsesSingleNode } from './image.js';
import { isEmbeddedServing, type BuildInput } from './input.js';
import { RISINGWAVE_BINARY } from './pod-group.js';
import {
  COMPACTOR_SERVICE_PORT,
  COMPUTE_SERVICE_PORT,
  FRONTEND_SERVICE_PORT,
  META_DASHBOARD_PORT,
  META_METRICS_PORT,
  META_SERVICE_PORT,
} from './ports.js';

export interface Invocation {
  readonly command: string[];
  readonly args: string[];
}

export function metaInvocation(): Invocation {
  return { command: [RISINGWAVE_BINARY], args: ['meta-node'] };
}

export function compactorInvocation(): Invocation {
  return { command: [RISINGWAVE_BINARY], args: ['compactor-node'] };
}

/** In embedded serving the compute nodes only stream: the frontends serve. */
export function computeInvocation(input: BuildInput): Invocation {
  return { command: [RISINGWAVE_BINARY], args: isEmbeddedServing(input.rw) ? ['compute-node', '--role=streaming'] : ['compute-node'] };
}

/** In embedded serving each frontend runs a serving compute node beside it, as one standalone process. */
export function frontendInvocation(input: BuildInput): Invocation {
  if (!isEmbeddedServing(input.rw)) return { command: [RISINGWAVE_BINARY], args: ['frontend-node'] };
  return {
    command: [RISINGWAVE_BINARY],
    args: [
      'standalone',
      `--compute-opts=--listen-addr 0.0.0.0:${COMPUTE_SERVICE_PORT} --advertise-addr $(POD_IP):${COMPUTE_SERVICE_PORT} --role=serving`,
      `--frontend-opts=--listen-addr 0.0.0.0:${FRONTEND_SERVICE_PORT} --advertise-addr $(POD_IP):${FRONTEND_SERVICE_PORT}`,
    ],
  };
}

export function standaloneInvocation(input: BuildInput): Invocation {
  // The operator decides by the tag of spec.image, not of a template's image.
  const singleNode = standaloneUsesSingleNode(imageTag(input.rw.spec.image), input.rw.spec.standaloneMode ?? 0);
  if (singleNode) {
    return {
      command: [RISINGWAVE_BINARY, 'single-node'],
      args: ['--config-path=$(RW_CONFIG_PATH)', `--prometheus-listener-addr=0.0.0.0:${META_METRICS_PORT}`, `--listen-addr=0.0.0.0:${FRONTEND_SERVICE_PORT}`],
    };
  }
  return { command: [RISINGWAVE_BINARY, 'standalone'], args: legacyStandaloneArgs(input) };
}

function legacyStandaloneArgs(input: BuildInput): string[] {
  const etcd = input.rw.spec.metaStore?.etcd;
  const metaStoreArgs = ['--backend $(RW_BACKEND)'];
  if (etcd) {
    metaStoreArgs.push('--etcd-endpoints $(RW_ETCD_ENDPOINTS)');
    if (etcd.credentials?.secretName) {
      metaStoreArgs.push('--etcd-auth', '--etcd-username $(RW_ETCD_USERNAME)', '--etcd-password $(RW_ETCD_PASSWORD)');
    }
  }
  const meta = [
    `--listen-addr 127.0.0.1:${META_SERVICE_PORT}`,
    `--advertise-addr 127.0.0.1:${META_SERVICE_PORT}`,
    `--dashboard-host 0.0.0.0:${META_DASHBOARD_PORT}`,
    `--prometheus-host 0.0.0.0:${META_METRICS_PORT}`,
    '--state-store $(RW_STATE_STORE)',
    '--data-directory $(RW_DATA_DIRECTORY)',
    ...metaStoreArgs,
  ];
  const compute = [
    `--listen-addr 127.0.0.1:${COMPUTE_SERVICE_PORT}`,
    `--advertise-addr 127.0.0.1:${COMPUTE_SERVICE_PORT}`,
    `--meta-address http://127.0.0.1:${META_SERVICE_PORT}`,
  ];
  const frontend = [
    `--listen-addr 0.0.0.0:${FRONTEND_SERVICE_PORT}`,
    `--advertise-addr 127.0.0.1:${FRONTEND_SERVICE_PORT}`,
    `--meta-addr http://127.0.0.1:${META_SERVICE_PORT}`,
  ];
  const compactor = [
    `--listen-addr 127.0.0.1:${COMPACTOR_SERVICE_PORT}`,
    `--advertise-addr 127.0.0.1:${COMPACTOR_SERVICE_PORT}`,
    `--meta-address http://127.0.0.1:${META_SERVICE_PORT}`,
  ];
  return [
    '--config-path=$(RW_CONFIG_PATH)',
    `--prometheus-listener-addr=0.0.0.0:${META_METRICS_PORT}`,
    `--meta-opts=${meta.join(' ')}`,
    `--compute-opts=${compute.join(' ')}`,
    `--frontend-opts=${frontend.join(' ')}`,
    `--compactor-opts=${compactor.join(' ')}`,
  ];
}
