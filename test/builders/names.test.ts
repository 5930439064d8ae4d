import { describe, expect, it } from 'vitest';
import { childNameProblem, componentAddress, componentName } from '../../src/builders/names.js';
import { namingProblems } from '../../src/builders/plan.js';
import { makeRw } from './helpers.js';

describe('names (reference §3.1)', () => {
  it.each([
    ['meta', '', 'rw-meta'],
    ['compute', 'g1', 'rw-compute-g1'],
    ['standalone', '', 'rw-standalone'],
  ] as const)('%s group "%s" → %s', (c, g, name) => {
    expect(componentName('rw', c, g)).toBe(name);
  });

  it('addresses are short or namespace-qualified', () => {
    expect(componentAddress(makeRw(), 'meta')).toBe('rw-meta');
    expect(componentAddress(makeRw({ enableFullKubernetesAddr: true }), 'meta')).toBe('rw-meta.$(POD_NAMESPACE).svc');
  });

  it('flags names Kubernetes refuses', () => {
    expect(childNameProblem({ kind: 'Service', name: '1abc' })).toMatch(/DNS-1035/);
    expect(childNameProblem({ kind: 'Service', name: 'a'.repeat(64) })).toMatch(/63/);
    expect(childNameProblem({ kind: 'StatefulSet', name: 'a'.repeat(53) })).toMatch(/controller-revision-hash/);
    expect(childNameProblem({ kind: 'StatefulSet', name: 'a'.repeat(52) })).toBeUndefined();
    expect(childNameProblem({ kind: 'Deployment', name: 'a'.repeat(63) })).toBeUndefined();
  });

  it('a group name with a dot: fine for a Deployment (a DNS-1123 subdomain), refused for a StatefulSet (the API server wants a label)', () => {
    expect(childNameProblem({ kind: 'Deployment', name: 'rw-frontend-a.b' })).toBeUndefined();
    expect(childNameProblem({ kind: 'StatefulSet', name: 'rw-compute-a.b' })).toMatch(/DNS-1123 label/);
    expect(childNameProblem({ kind: 'Deployment', name: 'a'.repeat(242) })).toBeUndefined();
    expect(childNameProblem({ kind: 'Deployment', name: 'a'.repeat(243) })).toMatch(/subdomain of at most 242/);
    expect(childNameProblem({ kind: 'Deployment', name: 'rw-frontend-A' })).toMatch(/subdomain/);
  });

  it('namingProblems covers group names used as label values and every expected child', () => {
    const long = 'g'.repeat(64);
    const rw = makeRw({ components: { compute: { nodeGroups: [{ name: long, replicas: 1 }] } } });
    const problems = namingProblems(rw);
    expect(problems.some((p) => p.includes(`compute node group name "${long}"`))).toBe(true);
    expect(problems.some((p) => p.includes(`StatefulSet name "rw-compute-${long}"`))).toBe(true);
    expect(namingProblems(makeRw({ components: { compute: { nodeGroups: [{ name: 'ok', replicas: 1 }] } } }))).toEqual([]);
  });
});
