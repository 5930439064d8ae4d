import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { objectLabels } from './labels.js';
import { defaultConfigMapName } from './names.js';
import type { BuildInput } from './input.js';
import { isRecord } from '../kube/records.js';

export const CONFIG_FILE_KEY = 'risingwave.toml';

/**
 * `N-default-config`: the risingwave.toml the pods read when neither the group nor the cluster names a
 * configuration. The Go operator creates it once (generation label `nosync`) and never updates it, so a
 * user may edit it. Metacontroller would overwrite such an edit on the next sync if the hook sent the empty
 * file again, so once the ConfigMap exists its observed data is what the hook asks for.
 */
export function defaultConfigMap(input: BuildInput, observed?: { data?: unknown; binaryData?: unknown }): IConfigMap {
  const { rw, operatorVersion } = input;
  const cm: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: defaultConfigMapName(rw.metadata.name),
      namespace: rw.metadata.namespace,
      labels: objectLabels(rw, operatorVersion, { component: 'config', sync: false }),
    },
    data: { [CONFIG_FILE_KEY]: '' },
  };
  if (observed) {
    cm.data = isStringMap(observed.data) ? { ...observed.data } : {};
    if (isStringMap(observed.binaryData) && Object.keys(observed.binaryData).length > 0) {
      cm.binaryData = { ...observed.binaryData };
    }
  }
  return cm;
}

function isStringMap(v: unknown): v is Record<string, string> {
  return isRecord(v) && Object.values(v).every((x) => typeof x === 'string');
}
