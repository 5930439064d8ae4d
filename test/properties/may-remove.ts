/**
 * The independent oracle of "deliberately removed", shared by the nothing-lost property and the fuzz suite
 * (test/fuzz): written from the reference, not from the reactions, so a reaction that drops a child it should
 * keep is caught rather than excused.
 */
import type { KubeObject } from '../../src/kube/kube-object.js';

const GROUP_COMPONENTS = ['meta', 'frontend', 'compute', 'compactor'];

/**
 * Whether the hook may leave this observed child out, for a valid, unpaused spec of the RisingWave `name`:
 * only because its group/component left the spec, the spec switched that component's form (standalone,
 * frontend StatefulSet), the default ServiceMonitor was turned off, or it is a deliberate immutable-field
 * recreate (`recreating` is the message of the Recreating condition, '' when there is none).
 */
export function mayRemove(spec: Record<string, any>, obj: KubeObject, recreating: string, name: string): boolean {
  const standalone = spec.enableStandaloneMode === true;
  const frontendSts = spec.enableFrontendStatefulSet === true;
  const { kind, metadata } = obj;
  const labels = metadata.labels ?? {};
  // A recreate is decided by name (the hook wants that StatefulSet, with fields it cannot change in place),
  // whatever labels the observed one carries; the status names it.
  if (kind === 'StatefulSet' && obj.apiVersion === 'apps/v1' && recreating.includes(`StatefulSet ${metadata.name} (`)) return true;
  if ((kind === 'StatefulSet' || kind === 'Deployment') && obj.apiVersion === 'apps/v1' && labels['risingwave/name'] === name) {
    const component = labels['risingwave/component'];
    if (component === 'standalone') return !(standalone && kind === 'StatefulSet' && metadata.name === `${name}-standalone`);
    if (!GROUP_COMPONENTS.includes(component ?? '')) return false;
    if (standalone) return true;
    const expectedKind = component === 'meta' || component === 'compute' ? 'StatefulSet' : component === 'compactor' ? 'Deployment' : frontendSts ? 'StatefulSet' : 'Deployment';
    const names = (spec.components?.[component!]?.nodeGroups ?? []).map((g: { name: string }) => (g.name === '' ? `${name}-${component}` : `${name}-${component}-${g.name}`));
    return !(kind === expectedKind && names.includes(metadata.name));
  }
  if (kind === 'Service' && obj.apiVersion === 'v1') {
    if ([`${name}-meta`, `${name}-compute`, `${name}-compactor`].includes(metadata.name)) return standalone;
    if (metadata.name === `${name}-standalone`) return !standalone;
    if (metadata.name === `${name}-frontend-headless`) return standalone || !frontendSts;
    return false;
  }
  if (kind === 'ServiceMonitor' && metadata.name === `risingwave-${name}`) return spec.enableDefaultServiceMonitor !== true;
  return false;
}
