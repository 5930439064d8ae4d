import { capturedIO } from '../cli/helpers.js';
import type { ExecResult, JsonPatchOp, RwObject } from '../../src/plugin/kubectl.js';
import { runPlugin } from '../../src/plugin/main.js';

export interface PluginRun {
  code: number;
  stdout: string;
  stderr: string;
}

export const NOW = new Date('2026-01-01T12:00:00Z');

/** Runs the plugin in-process with captured streams, a fixed clock and the given exec in place of kubectl. */
export async function plugin(
  argv: string[],
  opts: { exec?: (file: string, args: readonly string[]) => Promise<ExecResult>; env?: Record<string, string | undefined>; stdin?: string } = {},
): Promise<PluginRun> {
  const { io, stdout, stderr } = capturedIO(opts);
  const code = await runPlugin(argv, io, { now: () => NOW, ...(opts.exec ? { exec: opts.exec } : {}) });
  return { code, stdout: stdout(), stderr: stderr() };
}

export interface FakeCluster {
  /** Every kubectl invocation: [binary, ...args]. */
  calls: string[][];
  exec: (file: string, args: readonly string[]) => Promise<ExecResult>;
  objects: Map<string, RwObject>;
}

/**
 * A kubectl stand-in over an in-memory map of RisingWaves (by name): `get` (one or a list), `patch --type
 * json` applied with the RFC 6902 semantics below. Anything else fails like kubectl would.
 */
export function fakeKubectl(objects: RwObject[]): FakeCluster {
  const map = new Map(objects.map((o) => [o.metadata.name as string, structuredClone(o)]));
  const calls: string[][] = [];
  const fail = (stderr: string): ExecResult => ({ code: 1, stdout: '', stderr });
  const exec = async (file: string, args: readonly string[]): Promise<ExecResult> => {
    calls.push([file, ...args]);
    const rest = stripGlobals(args);
    const [verb, resource, name] = rest;
    if (resource !== 'risingwaves.risingwave.risingwavelabs.com') return fail(`error: the server doesn't have a resource type "${resource}"\n`);
    if (verb === 'get' && (name === undefined || name.startsWith('-'))) {
      return { code: 0, stdout: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...map.values()] }), stderr: '' };
    }
    const obj = map.get(name!);
    if (!obj) return fail(`Error from server (NotFound): risingwaves.risingwave.risingwavelabs.com "${name}" not found\n`);
    if (verb === 'get') return { code: 0, stdout: JSON.stringify(obj), stderr: '' };
    if (verb === 'patch') {
      const ops = JSON.parse(rest[rest.indexOf('--patch') + 1]!) as JsonPatchOp[];
      try {
        const next = applyJsonPatch(obj, ops);
        next.metadata.resourceVersion = String(Number(obj.metadata.resourceVersion ?? 0) + 1);
        map.set(name!, next);
        return { code: 0, stdout: JSON.stringify(next), stderr: '' };
      } catch {
        return fail('The request is invalid: the server rejected our request due to an error in our request\n');
      }
    }
    return fail(`error: unknown command "${verb}" for "kubectl"\n`);
  };
  return { calls, exec, objects: map };
}

function stripGlobals(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (['--kubeconfig', '--context', '--namespace'].includes(args[i]!)) i++;
    // The other global flags come as one --flag=value or a bare boolean --flag, always before the verb.
    else if (out.length === 0 && args[i]!.startsWith('--')) continue;
    else out.push(args[i]!);
  }
  return out;
}

/** RFC 6902 add / replace / remove / test, enough to check what the plugin's patches do to an object. */
export function applyJsonPatch(doc: RwObject, ops: readonly JsonPatchOp[]): RwObject {
  const out = structuredClone(doc);
  for (const op of ops) {
    const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let parent: any = out;
    for (const p of parts) {
      if (parent === null || typeof parent !== 'object' || !(p in parent)) throw new Error(`path ${op.path} does not exist`);
      parent = parent[p];
    }
    if (parent === null || typeof parent !== 'object') throw new Error(`path ${op.path} does not exist`);
    if (Array.isArray(parent) && !/^\d+$/.test(last)) throw new Error(`bad index in ${op.path}`);
    if (op.op === 'test') {
      if (JSON.stringify(parent[last]) !== JSON.stringify(op.value)) throw new Error(`test ${op.path} failed`);
    } else if (op.op === 'remove') {
      if (!(last in parent)) throw new Error(`remove ${op.path}: no such member`);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (op.op === 'replace') {
      if (!(last in parent)) throw new Error(`replace ${op.path}: no such member`);
      parent[last] = structuredClone(op.value);
    } else {
      if (Array.isArray(parent) && Number(last) > parent.length) throw new Error(`add ${op.path}: index out of range`);
      parent[last] = structuredClone(op.value);
    }
  }
  return out;
}

const group = (name: string, replicas: number, extra: RwObject = {}): RwObject => ({ name, replicas, ...extra });

/** A stored RisingWave (as the API server returns it) with several compute and compactor groups and a status. */
export function storedRisingWave(overrides: RwObject = {}): RwObject {
  return {
    apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
    kind: 'RisingWave',
    metadata: { name: 'rw', namespace: 'prod', generation: 3, resourceVersion: '100', creationTimestamp: '2026-01-01T09:00:00Z' },
    spec: {
      image: 'risingwavelabs/risingwave:v2.4.2',
      metaStore: { memory: true },
      stateStore: { memory: true },
      components: {
        meta: { nodeGroups: [group('', 1)] },
        frontend: { nodeGroups: [group('', 2)] },
        compute: { nodeGroups: [group('', 2), group('analytics', 3, { template: { spec: { image: 'custom/rw:pinned' } } }), group('serving', 1)] },
        compactor: { nodeGroups: [group('iceberg', 1)] },
      },
      ...(overrides.spec ?? {}),
    },
    status: {
      observedGeneration: 3,
      version: 'v2.4.2',
      metaStore: { backend: 'Memory' },
      stateStore: { backend: 'Memory' },
      componentReplicas: {
        meta: { target: 1, running: 1, groups: [{ name: '', target: 1, running: 1, exists: true }] },
        frontend: { target: 2, running: 2, groups: [{ name: '', target: 2, running: 2, exists: true }] },
        compute: {
          target: 6,
          running: 4,
          groups: [
            { name: '', target: 2, running: 2, exists: true },
            { name: 'analytics', target: 3, running: 2, exists: true },
            { name: 'serving', target: 1, running: 0, exists: false },
          ],
        },
        compactor: { target: 1, running: 1, groups: [{ name: 'iceberg', target: 1, running: 1, exists: true }] },
      },
      conditions: [
        { type: 'Running', status: 'True', reason: 'AllComponentsReady', message: 'every component is ready', lastTransitionTime: '2026-01-01T11:59:15Z' },
        { type: 'Synced', status: 'True', reason: 'Reconciled', message: 'every reaction decided', lastTransitionTime: '2026-01-01T09:00:00Z' },
      ],
      ...(overrides.status ?? {}),
    },
  };
}
