/**
 * Env every RisingWave container gets, overriding whatever the user's template sets for the same names
 * (reference §3.3).
 */
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { fieldEnv, valueEnv } from './refs.js';
import { workerThreadsEnv } from './resources.js';

export const DEFAULT_LOG_LEVEL = 'INFO';
/** 4 MiB of stack per thread; deep plans overflow the Rust default. */
export const RUST_MIN_STACK = String(4 << 20);

/**
 * RUST_LOG, POD_IP/POD_NAME/POD_NAMESPACE, RUST_MIN_STACK, RUST_BACKTRACE (unless stack traces are
 * disallowed) and RW_WORKER_THREADS (when a CPU limit is set). `logLevel` undefined means the CRD default.
 */
export function baseEnv(
  logLevel: string | undefined,
  disallowPrintStackTraces: boolean | undefined,
  resources: IResourceRequirements | undefined,
): IEnvVar[] {
  return [
    valueEnv('RUST_LOG', logLevel ?? DEFAULT_LOG_LEVEL),
    fieldEnv('POD_IP', 'status.podIP'),
    fieldEnv('POD_NAME', 'metadata.name'),
    fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
    valueEnv('RUST_MIN_STACK', RUST_MIN_STACK),
    ...(disallowPrintStackTraces === true ? [] : [valueEnv('RUST_BACKTRACE', 'full')]),
    ...workerThreadsEnv(resources),
  ];
}
