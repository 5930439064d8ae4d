import type { IProbe } from 'kubernetes-models/v1/Probe';
import { COMPUTE_SERVICE_PORT, FRONTEND_SERVICE_PORT, PORT_SERVICE } from './ports.js';

/** The probes of a RisingWave container; the component table (components.ts) picks them per component. */
export interface Probes {
  readonly startup: IProbe;
  readonly liveness: IProbe;
  readonly readiness: IProbe;
}

function tcpProbe(initialDelaySeconds: number, periodSeconds: number, timeoutSeconds: number, failureThreshold: number): IProbe {
  return { tcpSocket: { port: PORT_SERVICE }, initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold, successThreshold: 1 };
}

/** Every component waits 12 × 5 s to listen; compute, which may rebuild its file cache first, 36 × 5 s. */
export function startupProbe(failureThreshold: number): IProbe {
  return tcpProbe(5, 5, 5, failureThreshold);
}

export function livenessProbe(): IProbe {
  return tcpProbe(2, 10, 1, 3);
}

/** Startup on the service port, then liveness doubling as readiness. */
export function tcpProbes(startupFailureThreshold: number): Probes {
  const liveness = livenessProbe();
  return { startup: startupProbe(startupFailureThreshold), liveness, readiness: livenessProbe() };
}

/**
 * In embedded serving the frontend pod is ready only when both the SQL and the serving compute port accept.
 * The command is the operator's, byte for byte: any other spelling of the same check is a pod template
 * change, which would replace every frontend pod when a cluster switches from the operator to the hook.
 */
export function embeddedServingReadinessProbe(): IProbe {
  return {
    exec: { command: ['bash', '-ec', `</dev/tcp/127.0.0.1/${FRONTEND_SERVICE_PORT}\n</dev/tcp/127.0.0.1/${COMPUTE_SERVICE_PORT}`] },
    initialDelaySeconds: 2,
    periodSeconds: 10,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
  };
}
