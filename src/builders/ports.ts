import type { WorkloadComponent } from './names.js';

/** Port names every Service and container uses (Go `consts.Port*`); Services target ports by these names. */
export const PORT_SERVICE = 'service';
export const PORT_METRICS = 'metrics';
export const PORT_DASHBOARD = 'dashboard';
export const PORT_HTTP = 'http';

export const META_SERVICE_PORT = 5690;
export const META_METRICS_PORT = 1250;
export const META_DASHBOARD_PORT = 5691;
/** The frontend (and standalone) SQL port: 4567, not RisingWave's usual 4566. */
export const FRONTEND_SERVICE_PORT = 4567;
export const FRONTEND_METRICS_PORT = 8080;
export const WEBHOOK_LISTENER_PORT = 4560;
export const COMPUTE_SERVICE_PORT = 5688;
export const COMPUTE_METRICS_PORT = 1222;
export const COMPACTOR_SERVICE_PORT = 6660;
export const COMPACTOR_METRICS_PORT = 1260;

export interface NamedPort {
  readonly name: string;
  readonly port: number;
}

/**
 * The ports of a component's RisingWave container, in the Go operator's order. The same list (with the
 * documented exceptions) is what the component's Service exposes.
 */
export function componentPorts(component: WorkloadComponent, webhookListener: boolean): NamedPort[] {
  const http = webhookListener ? [{ name: PORT_HTTP, port: WEBHOOK_LISTENER_PORT }] : [];
  switch (component) {
    case 'meta':
      return [
        { name: PORT_SERVICE, port: META_SERVICE_PORT },
        { name: PORT_METRICS, port: META_METRICS_PORT },
        { name: PORT_DASHBOARD, port: META_DASHBOARD_PORT },
      ];
    case 'frontend':
      return [
        { name: PORT_SERVICE, port: FRONTEND_SERVICE_PORT },
        { name: PORT_METRICS, port: FRONTEND_METRICS_PORT },
        ...http,
      ];
    case 'compute':
      return [
        { name: PORT_SERVICE, port: COMPUTE_SERVICE_PORT },
        { name: PORT_METRICS, port: COMPUTE_METRICS_PORT },
      ];
    case 'compactor':
      return [
        { name: PORT_SERVICE, port: COMPACTOR_SERVICE_PORT },
        { name: PORT_METRICS, port: COMPACTOR_METRICS_PORT },
      ];
    case 'standalone':
      return [
        { name: PORT_METRICS, port: META_METRICS_PORT },
        { name: PORT_SERVICE, port: FRONTEND_SERVICE_PORT },
        { name: PORT_DASHBOARD, port: META_DASHBOARD_PORT },
        ...http,
      ];
  }
}
