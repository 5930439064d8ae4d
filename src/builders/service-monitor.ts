import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { LABEL_COMPONENT, LABEL_GROUP, LABEL_NAME, objectLabels } from './labels.js';
import { serviceMonitorName } from './names.js';
import { PORT_METRICS } from './ports.js';
import type { BuildInput } from './input.js';

/**
 * `risingwave-N` (reference §3.7): scrapes the `metrics` port of every Service labelled with this
 * RisingWave's name, and drops the two metric families that explode in series count.
 */
export function serviceMonitor(input: BuildInput): IServiceMonitor {
  const { rw, operatorVersion } = input;
  const n = rw.metadata.name;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: {
      name: serviceMonitorName(n),
      namespace: rw.metadata.namespace,
      labels: objectLabels(rw, operatorVersion),
    },
    spec: {
      jobLabel: `risingwave/${n}`,
      targetLabels: [LABEL_NAME, LABEL_COMPONENT, LABEL_GROUP],
      endpoints: [
        {
          port: PORT_METRICS,
          interval: '15s',
          scrapeTimeout: '15s',
          metricRelabelings: [
            { sourceLabels: ['__name__'], action: 'drop', regex: 'batch_.+' },
            { sourceLabels: ['__name__'], action: 'drop', regex: 'stream_exchange_.+' },
          ],
        },
      ],
      selector: {
        matchExpressions: [{ key: LABEL_NAME, operator: 'In', values: [n] }],
      },
      // The operator always writes an empty selector (its own namespace, as when absent); the same object
      // means nothing to update when a RisingWave moves over from the operator.
      namespaceSelector: {},
    },
  };
}
