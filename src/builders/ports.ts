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

/** A container port; each component's list is a row of the component table (components.ts). */
export interface NamedPort {
  readonly name: string;
  readonly port: number;
}
