/** Drive the hook against the simulated API server, one Metacontroller sync at a time. */
import { expect } from 'vitest';
import type { SyncResponse } from '../../src/api/metacontroller.js';
import type { HookOptions } from '../../src/reactions/context.js';
import { runSync, type SyncResult } from '../../src/controller/sync.js';
import type { Condition } from '../../src/kube/conditions.js';
import { fixedClock } from '../../src/kube/time.js';
import { SimulatedCluster, type ApplyReport } from '../support/apiserver.js';
import { basicRisingWave, type ParentInput } from '../fixtures/specs.js';

export const T0 = '2026-01-01T00:00:00Z';

/** Seconds after T0 as an RFC 3339 time. */
export function at(seconds: number): string {
  return new Date(Date.parse(T0) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A spec edited in place by a test (`s.cluster.edit((p) => { (p.spec as Spec).image = ... })`). */
export type Spec = Record<string, any>;

export class Scenario {
  readonly cluster: SimulatedCluster;
  clock = T0;
  last!: SyncResult;

  constructor(
    parent: ParentInput,
    private readonly options: Partial<HookOptions> = {},
    clusterOptions: ConstructorParameters<typeof SimulatedCluster>[1] = {},
  ) {
    this.cluster = new SimulatedCluster(parent, { now: T0, ...clusterOptions });
  }

  /** One sync: ask the hook, do not apply. */
  async sync(): Promise<SyncResult> {
    this.last = await runSync(this.cluster.request(), { clock: fixedClock(this.clock), options: this.options });
    return this.last;
  }

  /** One sync, applied as Metacontroller would. */
  async step(): Promise<{ result: SyncResult; report: ApplyReport }> {
    const result = await this.sync();
    const report = this.cluster.apply(result.response);
    return { result, report };
  }

  /** Create and roll out until Running=True (a few syncs), returning the number of syncs it took. */
  async bringUp(maxSyncs = 6): Promise<number> {
    for (let i = 1; i <= maxSyncs; i++) {
      await this.step();
      this.cluster.rollOutAll();
      if (condition(this.last.response, 'Running')?.status === 'True' && !condition(this.last.response, 'Upgrading')?.status?.startsWith('T')) {
        return i;
      }
    }
    throw new Error(`not Running after ${maxSyncs} syncs: ${JSON.stringify(this.last.response.status.conditions)}`);
  }

  advance(seconds: number): void {
    this.clock = at((Date.parse(this.clock) - Date.parse(T0)) / 1000 + seconds);
    this.cluster.now = this.clock;
  }

  names(response: SyncResponse = this.last.response): string[] {
    return response.children.map((c) => `${c.kind}/${c.metadata.name}`);
  }
}

/** basicRisingWave brought up to Running=True, then a minute on, so what the test changes next happens at a time of its own. */
export async function running(options: Partial<HookOptions> = {}): Promise<Scenario> {
  const s = new Scenario(basicRisingWave(), options);
  await s.bringUp();
  s.advance(60);
  return s;
}

export function condition(response: SyncResponse, type: string): Condition | undefined {
  const list = (response.status.conditions ?? []) as Condition[];
  return list.find((c) => c.type === type);
}

export function expectCondition(response: SyncResponse, type: string, status: string, reason?: string): Condition {
  const c = condition(response, type);
  expect(c, `condition ${type}`).toBeDefined();
  expect(c!.status, `${type}.status (${c!.reason}: ${c!.message})`).toBe(status);
  if (reason !== undefined) expect(c!.reason, `${type}.reason (${c!.message})`).toBe(reason);
  expect(c!.message.length).toBeGreaterThan(0);
  return c!;
}

/** Pod templates of the stored workloads, by name (canonical JSON). */
export function podTemplates(cluster: SimulatedCluster): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['StatefulSet.apps/v1', 'Deployment.apps/v1']) {
    for (const [name, obj] of Object.entries(cluster.observed[key] ?? {})) {
      out[name] = JSON.stringify((obj.spec as { template?: unknown }).template);
    }
  }
  return out;
}
