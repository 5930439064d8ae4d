import { describe, expect, it } from 'vitest';
import { compactorService, computeService, frontendHeadlessService, frontendService, metaService, standaloneService } from '../../src/builders/services.js';
import { serviceMonitor } from '../../src/builders/service-monitor.js';
import { defaultConfigMap } from '../../src/builders/config-map.js';
import { input, makeRw } from './helpers.js';

const ports = (svc: ReturnType<typeof metaService>) => svc.spec!.ports?.map((p) => [p.name, p.port]) ?? [];

describe('Services (reference §3.1)', () => {
  it('meta, compute and compactor are headless with their ports', () => {
    const i = input(makeRw());
    expect(metaService(i).spec).toMatchObject({ clusterIP: 'None', type: 'ClusterIP', selector: { 'risingwave/name': 'rw', 'risingwave/component': 'meta' } });
    expect(ports(metaService(i))).toEqual([['service', 5690], ['metrics', 1250], ['dashboard', 5691]]);
    expect(ports(computeService(i))).toEqual([['service', 5688], ['metrics', 1222]]);
    expect(ports(compactorService(i))).toEqual([['service', 6660], ['metrics', 1260]]);
    for (const s of [computeService(i), compactorService(i)]) expect(s.spec!.clusterIP).toBe('None');
  });

  it('the frontend Service has the SQL, metrics and webhook ports, of the configured type', () => {
    const svc = frontendService(input(makeRw({ frontendServiceType: 'NodePort' })));
    expect(svc.spec).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Cluster', sessionAffinity: 'None' });
    expect(svc.spec!.clusterIP).toBeUndefined();
    expect(ports(svc)).toEqual([['service', 4567], ['metrics', 8080], ['http', 4560]]);
    expect(ports(frontendService(input(makeRw({ enableWebhookListener: false }))))).toEqual([['service', 4567], ['metrics', 8080]]);
  });

  it('in standalone mode the frontend Service selects the standalone pod and drops metrics', () => {
    const i = input(makeRw({ enableStandaloneMode: true }));
    const svc = frontendService(i);
    expect(svc.spec!.selector).toEqual({ 'risingwave/name': 'rw', 'risingwave/component': 'standalone' });
    expect(svc.metadata!.labels!['risingwave/component']).toBe('frontend');
    expect(ports(svc)).toEqual([['service', 4567], ['http', 4560]]);
    expect(ports(standaloneService(i))).toEqual([['service', 4567], ['metrics', 1250], ['dashboard', 5691], ['http', 4560]]);
    expect(standaloneService(i).spec!.clusterIP).toBeUndefined();
  });

  it('merges additional metadata onto the frontend and meta Services only, system labels winning', () => {
    const i = input(
      makeRw({
        additionalFrontendServiceMetadata: { labels: { a: '1' }, annotations: { 'x/y': 'z' } },
        additionalMetaServiceMetadata: { labels: { 'istio.io/use-waypoint': 'w' } },
      }),
    );
    expect(frontendService(i).metadata).toMatchObject({ labels: { a: '1', 'risingwave/component': 'frontend' }, annotations: { 'x/y': 'z' } });
    expect(metaService(i).metadata!.labels!['istio.io/use-waypoint']).toBe('w');
    expect(computeService(i).metadata!.labels!.a).toBeUndefined();
    expect(frontendHeadlessService(i).metadata!.labels!.a).toBeUndefined();
  });

  it('the headless frontend Service has no ports', () => {
    const svc = frontendHeadlessService(input(makeRw({ enableFrontendStatefulSet: true })));
    expect(svc.metadata!.name).toBe('rw-frontend-headless');
    expect(svc.spec).toMatchObject({ clusterIP: 'None', selector: { 'risingwave/name': 'rw', 'risingwave/component': 'frontend' } });
    expect(svc.spec!.ports).toBeUndefined();
  });
});

describe('ConfigMap and ServiceMonitor', () => {
  it('the default ConfigMap starts empty, is nosync, and keeps observed data', () => {
    const i = input(makeRw());
    expect(defaultConfigMap(i)).toMatchObject({ metadata: { name: 'rw-default-config', labels: { 'risingwave/generation': 'nosync', 'risingwave/component': 'config' } }, data: { 'risingwave.toml': '' } });
    expect(defaultConfigMap(i, { data: { 'risingwave.toml': '[server]\n' } }).data).toEqual({ 'risingwave.toml': '[server]\n' });
  });

  it('the ServiceMonitor matches the reference', () => {
    const sm = serviceMonitor(input(makeRw()));
    expect(sm.metadata).toEqual({ name: 'risingwave-rw', namespace: 'ns', labels: { 'risingwave/name': 'rw', 'risingwave/generation': '3', 'risingwave/operator-version': 'v-test' } });
    expect(sm.spec).toEqual({
      jobLabel: 'risingwave/rw',
      targetLabels: ['risingwave/name', 'risingwave/component', 'risingwave/group'],
      endpoints: [
        {
          port: 'metrics',
          interval: '15s',
          scrapeTimeout: '15s',
          metricRelabelings: [
            { sourceLabels: ['__name__'], action: 'drop', regex: 'batch_.+' },
            { sourceLabels: ['__name__'], action: 'drop', regex: 'stream_exchange_.+' },
          ],
        },
      ],
      selector: { matchExpressions: [{ key: 'risingwave/name', operator: 'In', values: ['rw'] }] },
      namespaceSelector: {},
    });
  });
});
