import { describe, expect, it } from 'vitest';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { parallelismAndMemoryEnv, resourceEnv, workerThreadsEnv } from '../../../src/builders/env/resources.js';
import { baseEnv } from '../../../src/builders/env/base.js';
import { envMap, expectValid } from './fixtures.js';

describe('resourceEnv', () => {
  it.each<[string, IResourceRequirements | undefined, Record<string, string>]>([
    ['no resources', undefined, {}],
    ['requests only', { requests: { cpu: '8', memory: '8Gi' } }, {}],
    ['cpu 500m', { limits: { cpu: '500m' } }, { RW_WORKER_THREADS: '4', RW_PARALLELISM: '1' }],
    ['cpu 6', { limits: { cpu: '6' } }, { RW_WORKER_THREADS: '6', RW_PARALLELISM: '6' }],
    ['cpu 2.5', { limits: { cpu: '2.5' } }, { RW_WORKER_THREADS: '4', RW_PARALLELISM: '3' }],
    ['cpu 4100m', { limits: { cpu: '4100m' } }, { RW_WORKER_THREADS: '5', RW_PARALLELISM: '5' }],
    ['cpu 7000m', { limits: { cpu: '7000m' } }, { RW_WORKER_THREADS: '7', RW_PARALLELISM: '7' }],
    ['cpu as a number', { limits: { cpu: 16 } }, { RW_WORKER_THREADS: '16', RW_PARALLELISM: '16' }],
    // A zero limit still sets worker threads (the key is present) but not parallelism.
    ['cpu 0', { limits: { cpu: '0' } }, { RW_WORKER_THREADS: '4' }],
    ['memory 4Gi', { limits: { memory: '4Gi' } }, { RW_TOTAL_MEMORY_BYTES: '4294967296' }],
    ['memory 1.5Gi', { limits: { memory: '1.5Gi' } }, { RW_TOTAL_MEMORY_BYTES: '1610612736' }],
    ['memory 16G', { limits: { memory: '16G' } }, { RW_TOTAL_MEMORY_BYTES: '16000000000' }],
    ['memory not whole bytes', { limits: { memory: '1500m' } }, {}],
    ['memory 0', { limits: { memory: '0' } }, {}],
    [
      'both',
      { limits: { cpu: '8', memory: '32Gi' } },
      { RW_WORKER_THREADS: '8', RW_PARALLELISM: '8', RW_TOTAL_MEMORY_BYTES: '34359738368' },
    ],
  ])('%s', (_, resources, expected) => {
    const env = resourceEnv(resources, { parallelismAndMemory: true });
    expect(envMap(env)).toEqual(expected);
    expectValid(env);
    // Without parallelism/memory only the worker threads remain.
    const threadsOnly = resourceEnv(resources, { parallelismAndMemory: false });
    expect(envMap(threadsOnly)).toEqual(expected.RW_WORKER_THREADS ? { RW_WORKER_THREADS: expected.RW_WORKER_THREADS } : {});
    expect(threadsOnly).toEqual(workerThreadsEnv(resources));
    expect(env.filter((e) => e.name !== 'RW_WORKER_THREADS')).toEqual(parallelismAndMemoryEnv(resources));
  });

  it('rejects a malformed quantity instead of guessing', () => {
    expect(() => resourceEnv({ limits: { cpu: 'lots' } }, { parallelismAndMemory: false })).toThrow(/invalid quantity/);
  });
});

describe('baseEnv', () => {
  it('sets the defaults every container gets', () => {
    const env = baseEnv(undefined, undefined, undefined);
    expect(env).toStrictEqual([
      { name: 'RUST_LOG', value: 'INFO' },
      { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
      { name: 'RUST_MIN_STACK', value: '4194304' },
      { name: 'RUST_BACKTRACE', value: 'full' },
    ]);
    expectValid(env);
  });

  it('honours the log level, disallowed stack traces and the CPU limit', () => {
    const env = baseEnv('debug,risingwave_meta=trace', true, { limits: { cpu: '12' } });
    expect(envMap(env)).toEqual({
      RUST_LOG: 'debug,risingwave_meta=trace',
      POD_IP: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } },
      POD_NAME: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
      POD_NAMESPACE: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
      RUST_MIN_STACK: '4194304',
      RW_WORKER_THREADS: '12',
    });
  });

  it('keeps RUST_BACKTRACE when stack traces are explicitly allowed', () => {
    expect(envMap(baseEnv('INFO', false, undefined)).RUST_BACKTRACE).toBe('full');
  });
});
