import type { ConfigurationSource, NodeGroupTemplate } from '../api/risingwave.js';
import { CONFIG_FILE_KEY } from './config-map.js';

/** Where every RisingWave container finds its binary and its risingwave.toml. */
export const RISINGWAVE_BINARY = '/risingwave/bin/risingwave';
export const CONFIG_VOLUME = 'risingwave-config';
export const CONFIG_MOUNT_PATH = '/risingwave/config';
export const CONFIG_PATH = `${CONFIG_MOUNT_PATH}/${CONFIG_FILE_KEY}`;

/** The part of a node group (or of the standalone component) a pod template is built from. */
export interface PodGroup {
  readonly name: string;
  readonly restartAt?: string;
  readonly configuration?: ConfigurationSource;
  readonly template?: NodeGroupTemplate;
}

/** The component-level settings (`spec.components.<c>`) every pod of the component shares. */
export interface ComponentSettings {
  readonly logLevel?: string;
  readonly disallowPrintStackTraces?: boolean;
}
