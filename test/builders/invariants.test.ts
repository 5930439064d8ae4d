import { describe, expect, it } from 'vitest';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { referencesVar } from '../../src/builders/env/order.js';
import { LABEL_COMPONENT, LABEL_GENERATION, LABEL_GROUP, LABEL_NAME, LABEL_OPERATOR_VERSION } from '../../src/builders/labels.js';
import { childNameProblem } from '../../src/builders/names.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { TEST_OPERATOR_VERSION, exampleNames, loadExample, render } from '../support/render.js';

/** Invariants that must hold for the children of every example (reference §3.1–§3.3). */

type Workload = KubeObject & {
  spec: { selector: { matchLabels: Record<string, string> }; template: IPodTemplateSpec; serviceName?: string };
};
type Svc = KubeObject & { spec: { selector?: Record<string, string>; ports?: { name: string; targetPort: unknown; protocol: string }[]; clusterIP?: string } };

const rendered = await Promise.all(
  exampleNames().map(async (name) => ({ name, children: (await render(loadExample(name))).response.children as KubeObject[] })),
);

const workloads = (children: KubeObject[]) => children.filter((c) => c.kind === 'StatefulSet' || c.kind === 'Deployment') as Workload[];
const services = (children: KubeObject[]) => children.filter((c) => c.kind === 'Service') as Svc[];

function rwContainer(w: Workload): IContainer {
  return w.spec.template.spec!.containers[0]!;
}

describe.each(rendered)('$name', ({ children }) => {
  it('names fit Kubernetes limits', () => {
    for (const c of children) expect(childNameProblem({ kind: c.kind as never, name: c.metadata.name })).toBeUndefined();
  });

  it('every child carries the name, generation and operator-version labels', () => {
    for (const c of children) {
      expect(c.metadata.labels?.[LABEL_NAME]).toBeTruthy();
      expect(c.metadata.labels?.[LABEL_OPERATOR_VERSION]).toBe(TEST_OPERATOR_VERSION);
      expect(c.metadata.labels?.[LABEL_GENERATION]).toBe(c.kind === 'ConfigMap' ? 'nosync' : '1');
    }
  });

  it('workload selectors are exactly {name, component, group} and a subset of the pod labels', () => {
    for (const w of workloads(children)) {
      const sel = w.spec.selector.matchLabels;
      expect(Object.keys(sel).sort()).toEqual([LABEL_COMPONENT, LABEL_GROUP, LABEL_NAME]);
      for (const [k, v] of Object.entries(sel)) {
        expect(w.spec.template.metadata!.labels![k]).toBe(v);
        expect(w.metadata.labels![k]).toBe(v);
      }
      expect(w.spec.template.metadata!.labels![LABEL_GENERATION]).toBeUndefined();
    }
  });

  it('the RisingWave container comes first, is named after the component, and links no services', () => {
    for (const w of workloads(children)) {
      expect(rwContainer(w).name).toBe(w.metadata.labels![LABEL_COMPONENT]);
      expect(w.spec.template.spec!.enableServiceLinks).toBe(false);
    }
  });

  it('every Service selects the pods of at least one workload and targets their named ports', () => {
    const ws = workloads(children);
    for (const s of services(children)) {
      const selected = ws.filter((w) => Object.entries(s.spec.selector ?? {}).every(([k, v]) => w.spec.template.metadata!.labels![k] === v));
      expect(selected.length, `${s.metadata.name} selects nothing`).toBeGreaterThan(0);
      expect(Object.keys(s.spec.selector!).sort()).toEqual([LABEL_COMPONENT, LABEL_NAME]);
      for (const port of s.spec.ports ?? []) {
        expect(port.protocol).toBe('TCP');
        expect(port.targetPort).toBe(port.name);
        for (const w of selected) {
          expect(rwContainer(w).ports!.map((p) => p.name), `${w.metadata.name} lacks port ${port.name}`).toContain(port.name);
        }
      }
    }
  });

  it('StatefulSets are governed by an existing headless Service', () => {
    const svcs = new Map(services(children).map((s) => [s.metadata.name, s]));
    for (const w of workloads(children).filter((w) => w.kind === 'StatefulSet')) {
      const governing = svcs.get(w.spec.serviceName!);
      expect(governing, `${w.metadata.name} → ${w.spec.serviceName}`).toBeDefined();
      if (w.metadata.labels![LABEL_COMPONENT] !== 'standalone') expect(governing!.spec.clusterIP).toBe('None');
    }
  });

  it('env names are unique and every $(VAR) is defined earlier in the list', () => {
    for (const w of workloads(children)) {
      for (const c of [...w.spec.template.spec!.containers, ...(w.spec.template.spec!.initContainers ?? [])]) {
        const env = c.env ?? [];
        const names = env.map((e) => e.name);
        expect(new Set(names).size).toBe(names.length);
        env.forEach((e, i) => {
          for (const other of names) {
            if (referencesVar(e.value, other)) expect(names.indexOf(other), `${e.name} uses $(${other})`).toBeLessThan(i);
          }
        });
      }
    }
  });

  it('volumes and mounts are sorted by name and every mount has a volume or claim', () => {
    for (const w of workloads(children)) {
      const spec = w.spec.template.spec!;
      const volumes = (spec.volumes ?? []).map((v) => v.name);
      expect(volumes).toEqual([...volumes].sort());
      const claims = ((w.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] }).volumeClaimTemplates ?? []).map((c) => c.metadata.name);
      for (const c of spec.containers) {
        const mounts = (c.volumeMounts ?? []).map((m) => m.name);
        expect(mounts).toEqual([...mounts].sort());
        for (const m of mounts) expect([...volumes, ...claims]).toContain(m);
      }
    }
  });

  it('emits no omitempty zero values the server would drop', () => {
    const text = JSON.stringify(children);
    expect(text).not.toMatch(/"(minReadySeconds|hostPID|hostIPC|stdin|tty)":(0|false)/);
    expect(text).not.toMatch(/:null[,}\]]/);
  });
});
