/**
 * The layers of src/, top first. A folder may import from its own layer and from any layer below it, never
 * from one above; no module may be part of an import cycle. docs/architecture.md draws the same list.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['plugin'], // kubectl-risingwave: commands over a cluster, built on the CLI's plumbing
  ['cli'], // rw-hook: serve, render, replay, diff, crd
  ['server'], // HTTP: body parsing, admission, auth, metrics, the answer cache's use
  ['controller'], // runSync and the workflow tree
  ['reactions'], // one decision per facet, status included; what a sync sees (context)
  ['builders', 'crd'], // desired objects from the parent; the CRD from the schema
  ['api'], // the RisingWave schema, defaults, validation; Metacontroller's request/response
  ['cache'], // bounded caches the layers above share between syncs
  ['workflow'], // the reaction engine: Join, Sequential, Timeout, Retry, Parallel, Shared
  ['kube'], // Kubernetes primitives: objects, keys, canonical JSON, quantities, conditions, nothing-lost assembly
];

export interface ForbiddenRule {
  readonly name: string;
  readonly severity: 'error';
  readonly comment: string;
  readonly from: { readonly path: string };
  readonly to: { readonly path?: string; readonly circular?: boolean };
}

const folders = (layers: readonly (readonly string[])[]): string => `^src/(${layers.flat().join('|')})/`;

/** dependency-cruiser rules: one per layer against every layer above it, and one against cycles. */
export function forbiddenRules(layers = LAYERS): ForbiddenRule[] {
  const rules: ForbiddenRule[] = [];
  layers.forEach((layer, i) => {
    const above = layers.slice(0, i);
    if (above.length === 0) return;
    rules.push({
      name: `no-upward-from-${layer.join('-')}`,
      severity: 'error',
      comment: `${layer.join(', ')} must not import ${above.flat().join(', ')}: imports point down`,
      from: { path: folders([layer]) },
      to: { path: folders(above) },
    });
  });
  rules.push({ name: 'no-circular', severity: 'error', comment: 'import cycles hide which module is the lower one', from: { path: '^src/' }, to: { circular: true } });
  return rules;
}
