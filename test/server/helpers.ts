import type { SyncRequest, SyncResponse } from '../../src/api/metacontroller.js';
import { defaultSettings, type Settings } from '../../src/server/config.js';
import type { SyncCore } from '../../src/server/core.js';
import type { SyncResult } from '../../src/controller/sync.js';

export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return defaultSettings({ logLevel: 'silent', port: 0, host: '127.0.0.1', maxEventLoopDelayMs: 0, ...overrides });
}

export function syncRequest(overrides: { name?: string; generation?: number; children?: SyncRequest['children'] } = {}): SyncRequest {
  return {
    controller: { metadata: { name: 'risingwave' } },
    parent: {
      apiVersion: 'risingwave.risingwavelabs.com/v1alpha1',
      kind: 'RisingWave',
      metadata: { name: overrides.name ?? 'demo', namespace: 'prod', uid: 'uid-1', generation: overrides.generation ?? 3 },
      spec: { image: 'risingwavelabs/risingwave:v2.1.0' },
      status: {},
    },
    children: overrides.children ?? {
      'ConfigMap.v1': {
        'prod/demo-default-config': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo-default-config', namespace: 'prod' } },
      },
      'Service.v1': {},
    },
    related: {},
    finalizing: false,
  };
}

/**
 * A stand-in for runSync: keeps every observed child (as the real core does when nothing is decided) and
 * reports what it was called with, so the HTTP layer can be tested before the workflow exists.
 */
export function fakeCore(opts: { extra?: Partial<SyncResponse> & Record<string, unknown>; delayMs?: number; gate?: Promise<void> } = {}) {
  const calls: Array<{ request: SyncRequest; now: string; options: unknown }> = [];
  const core: SyncCore = async (request, deps) => {
    calls.push({ request, now: deps.clock!.now().toISOString(), options: deps.options });
    if (opts.gate) await opts.gate;
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    const children = Object.values(request.children ?? {}).flatMap((byName) => Object.values(byName)) as SyncResponse['children'];
    const result: SyncResult = {
      response: { status: { phase: 'Fake', conditions: [] }, children, ...(request.finalizing ? { finalized: true } : {}), ...opts.extra },
      outcome: request.finalizing ? 'finalized' : 'ok',
      reason: request.finalizing ? 'Finalizing' : 'Synced',
      carriedOver: [],
      removed: [],
    };
    return result;
  };
  return { core, calls };
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
