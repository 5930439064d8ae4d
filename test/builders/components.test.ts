/**
 * The component table's rows must agree with each other once built: every Service port reaches a container
 * port of that name and number on the pods it selects, and every StatefulSet's governing Service is one the
 * plan asks for, selecting its pods (headless for node groups). A row edited alone (a port renumbered, a Service
 * kept in standalone mode with a port the standalone pod lacks) fails here.
 */
import type { IService } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { COMPONENTS, STANDALONE, processRow } from '../../src/builders/components.js';
import { GROUP_COMPONENTS } from '../../src/builders/names.js';
import { expectedChildNames } from '../../src/builders/plan.js';
import { COMPONENT_SERVICES, frontendHeadlessService, standaloneService } from '../../src/builders/services.js';
import { groupWorkload, standaloneStatefulSet } from '../../src/builders/workloads.js';
import { group, input, makeRw } from './helpers.js';

const groups = { nodeGroups: [group(''), group('b')] };
// The memory meta store allows one meta replica in total.
const components = { meta: { nodeGroups: [group('')] }, frontend: groups, compute: groups, compactor: groups };

const SPECS: Record<string, Record<string, unknown>> = {
  defaults: {},
  'webhook listener off': { enableWebhookListener: false },
  'embedded serving': { enableEmbeddedServingMode: true },
  'frontend StatefulSets': { enableFrontendStatefulSet: true },
  'NodePort frontend': { frontendServiceType: 'NodePort' },
  standalone: { enableStandaloneMode: true },
  'standalone, webhook listener off': { enableStandaloneMode: true, enableWebhookListener: false },
};

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

describe('the component table', () => {
  it('files each row under its own component', () => {
    for (const c of GROUP_COMPONENTS) expect(COMPONENTS[c].component).toBe(c);
    expect(processRow('standalone')).toBe(STANDALONE);
  });

  it('builds each Service once, so the workload memo (keyed by the builder) keeps serving it', () => {
    for (const c of GROUP_COMPONENTS) expect(COMPONENT_SERVICES[c]).toBe(COMPONENT_SERVICES[c]);
    expect(new Set(GROUP_COMPONENTS.map((c) => COMPONENT_SERVICES[c])).size).toBe(GROUP_COMPONENTS.length);
  });

  for (const [title, spec] of Object.entries(SPECS)) {
    it(`${title}: Services reach named container ports, StatefulSets name a Service of theirs`, () => {
      const i = input(makeRw({ components, ...spec }));
      const builders = [...GROUP_COMPONENTS.map((c) => COMPONENT_SERVICES[c]), frontendHeadlessService, standaloneService];
      const byName = new Map(builders.map((b) => b(i)).map((s) => [s.metadata!.name!, s] as const));
      const expected = expectedChildNames(i.rw, false).filter((c) => c.kind === 'Service');
      const services: IService[] = expected.map((c) => byName.get(c.name)!);
      expect(services.every(Boolean)).toBe(true);

      const standalone = spec.enableStandaloneMode === true;
      const workloads = standalone ? [standaloneStatefulSet(i)] : GROUP_COMPONENTS.flatMap((c) => components[c].nodeGroups.map((g) => groupWorkload(i, c, g)));
      for (const svc of services) {
        const pods = workloads.filter((w) => matches(svc.spec!.selector!, w.spec!.template.metadata!.labels));
        expect(pods.length, svc.metadata!.name).toBeGreaterThan(0);
        for (const w of pods) {
          const container = w.spec!.template.spec!.containers[0]!;
          for (const p of svc.spec!.ports ?? []) {
            const target = container.ports!.find((cp) => cp.name === p.targetPort);
            expect(target?.containerPort, `${svc.metadata!.name} port ${p.name} on ${w.metadata!.name}`).toBe(p.port);
          }
        }
      }
      for (const w of workloads) {
        if (w.kind !== 'StatefulSet') continue;
        const governing = services.find((s) => s.metadata!.name === w.spec!.serviceName);
        expect(governing, `${w.metadata!.name} serviceName ${w.spec!.serviceName}`).toBeDefined();
        expect(matches(governing!.spec!.selector!, w.spec!.template.metadata!.labels)).toBe(true);
        // Node groups resolve each other as `$(POD_NAME).<svc>`; the one standalone pod's Service is a plain one, as the operator's.
        if (!standalone) expect(governing!.spec!.clusterIP, w.metadata!.name).toBe('None');
      }
    });
  }
});
