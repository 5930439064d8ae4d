import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';

/** kubernetes-models schema validation of a child; throws on the first invalid one, naming it. */
export function validateChild(child: { apiVersion: string; kind: string; metadata: { name: string } }): void {
  const id = `${child.kind}/${child.metadata.name}`;
  const data = child as never;
  try {
    switch (`${child.kind}.${child.apiVersion}`) {
      case 'ConfigMap.v1':
        return new ConfigMap(data).validate();
      case 'Service.v1':
        return new Service(data).validate();
      case 'StatefulSet.apps/v1':
        return new StatefulSet(data).validate();
      case 'Deployment.apps/v1':
        return new Deployment(data).validate();
      case 'HorizontalPodAutoscaler.autoscaling/v2':
        return new HorizontalPodAutoscaler(data).validate();
      case 'ServiceMonitor.monitoring.coreos.com/v1':
        return new ServiceMonitor(data).validate();
      default:
        throw new Error(`no validator for ${child.kind}.${child.apiVersion}`);
    }
  } catch (err) {
    throw new Error(`${id} is invalid: ${err instanceof Error ? err.message : String(err)}`);
  }
}
