// Smoke test of the operator harness: the real risingwave-operator, its CRD and admission webhooks on the e2e
// control plane, reconciling a RisingWave until its own Running condition (kwok makes the pods ready).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { applyCompositeController } from '../cluster/metacontroller.js';
import { createNamespace, stackOf, useCluster, waitFor } from '../support.js';
import { installCrd, risingWaveReconciles, RW_CRD, SCALE_VIEW_CRD, startOperator, WEBHOOK_CONFIGURATIONS, type RunningOperator } from './operator.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const REPO = join(import.meta.dirname, '..', '..', '..');
const OUR_CRD = join(REPO, 'crds', 'risingwave.risingwavelabs.com_risingwaves.yaml');

const cluster = useCluster();
let operator: RunningOperator | undefined;

let hadStack = false;

beforeAll(async () => {
  const c = cluster();
  // The operator must be the only controller of RisingWaves: no CompositeController for them meanwhile.
  try {
    stackOf(c);
    hadStack = true;
  } catch {
    hadStack = false;
  }
  await c.kubectl(['delete', 'compositecontrollers.metacontroller.k8s.io', 'risingwave-controller', '--ignore-not-found', '--wait=true']).catch(() => undefined);
  operator = await startOperator({ kubeconfig: c.kubeconfig, kubectl: c.kubectl, logDir: join(c.logDir || c.dir, 'operator') });
}, 30 * 60_000);

afterAll(async () => {
  const c = cluster();
  await operator?.stop();
  // The other e2e files run against the hook's CRD.
  await installCrd(c.kubectl, RW_CRD, OUR_CRD);
  await c.kubectl(['delete', 'crd', SCALE_VIEW_CRD, '--ignore-not-found']);
  if (hadStack) await applyCompositeController(c);
}, 180_000);

describe('risingwave-operator v0.17.2 out of cluster', () => {
  it('serves its webhooks through the registered configurations and brings a RisingWave to Running', async () => {
    const c = cluster();
    const crd = JSON.parse(await c.kubectl(['get', 'crd', RW_CRD, '-o', 'json'])) as Obj;
    expect(crd.metadata.annotations?.['controller-gen.kubebuilder.io/version'], 'the operator CRD is installed').toBeDefined();
    const validating = JSON.parse(await c.kubectl(['get', 'validatingwebhookconfiguration', WEBHOOK_CONFIGURATIONS.validating, '-o', 'json'])) as Obj;
    expect(validating.webhooks[0].clientConfig.url).toMatch(/^https:\/\/127\.0\.0\.1:9443\//);

    const ns = await createNamespace(c, 'rw-op');
    // The validating webhook answers: two meta-store backends are refused with the operator's message (its
    // CRD has no rule that would catch this).
    const rw = parseYaml(readFileSync(join(REPO, 'examples', 'state-store-memory.yaml'), 'utf8')) as Obj;
    rw.metadata.namespace = ns;
    const bad = structuredClone(rw);
    bad.metadata.name = 'rw-bad';
    bad.spec.metaStore = { memory: true, sqlite: { path: '/x' } };
    await expect(c.kubectl(['create', '-f', '-'], JSON.stringify(bad))).rejects.toThrow(/spec\.metaStore: Invalid value: .*: multiple meta store types/);

    await c.kubectl(['create', '-f', '-'], JSON.stringify(rw));
    const name = rw.metadata.name as string;
    const running = await waitFor(
      'the operator reports Running=True',
      async () => {
        const got = JSON.parse(await c.kubectl(['get', RW_CRD, name, '-n', ns, '-o', 'json'])) as Obj;
        return (got.status?.conditions as Obj[] | undefined)?.find((x) => x.type === 'Running' && x.status === 'True') ? got : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    expect(running.status.observedGeneration).toBe(running.metadata.generation);
    expect(await risingWaveReconciles(operator!), 'the manager counts its reconciles').toBeGreaterThan(0);
    const sts = JSON.parse(await c.kubectl(['get', 'statefulsets', '-n', ns, '-o', 'json', '--show-managed-fields'])) as Obj;
    for (const s of sts.items as Obj[]) {
      expect(s.metadata.labels['risingwave/operator-version']).toBe('v0.17.2');
      expect(s.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'RisingWave', uid: running.metadata.uid, controller: true })]);
      expect(s.metadata.managedFields.map((m: Obj) => m.manager)).toContain('manager');
    }
    await c.kubectl(['delete', 'namespace', ns, '--wait=false']);
  });
});
