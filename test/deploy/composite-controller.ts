/**
 * A checker for Metacontroller's CompositeController (metacontroller.k8s.io/v1alpha1), written from the
 * field reference (reference/metacontroller.md §1): kubernetes-models has no class for it, and a typo in a
 * field Metacontroller reads would only show up as a controller that silently never updates children.
 */

export const UPDATE_METHODS = ['OnDelete', 'Recreate', 'InPlace', 'RollingRecreate', 'RollingInPlace'] as const;

/** Metacontroller's default (and fallback) webhook timeout. */
export const METACONTROLLER_DEFAULT_TIMEOUT_MS = 10_000;

const SPEC_FIELDS = new Set([
  'parentResource',
  'childResources',
  'resyncPeriodSeconds',
  'generateSelector',
  'hooks',
  'endpointConfigs',
]);
const HOOK_NAMES = new Set(['sync', 'finalize', 'customize', 'preUpdateChild', 'postUpdateChild']);
const WEBHOOK_FIELDS = new Set([
  'url',
  'service',
  'path',
  'timeout',
  'etag',
  'responseUnMarshallMode',
  'caBundle',
  'authorization',
  'basicAuth',
  'clientTLS',
]);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parses a Go `time.Duration` string ("5s", "1m30s", "750ms"); undefined when Go would reject it. */
export function parseGoDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * DURATION_UNITS_MS[m[2]!]!;
  return ms;
}

function unknownKeys(obj: Obj, allowed: Set<string>, where: string): string[] {
  return Object.keys(obj)
    .filter((k) => !allowed.has(k))
    .map((k) => `${where}.${k} is not a CompositeController field`);
}

function webhookProblems(webhook: unknown, where: string): string[] {
  if (!isObj(webhook)) return [`${where} must be an object`];
  const problems = unknownKeys(webhook, WEBHOOK_FIELDS, where);
  if (webhook.url === undefined) {
    const svc = webhook.service;
    if (!isObj(svc) || typeof svc.name !== 'string' || typeof svc.namespace !== 'string')
      problems.push(`${where} needs url, or service {name, namespace}`);
    if (typeof webhook.path !== 'string' || !webhook.path.startsWith('/'))
      problems.push(`${where}.path must be an absolute path when service is used`);
    if (isObj(svc) && svc.port !== undefined && !Number.isInteger(svc.port)) problems.push(`${where}.service.port must be an integer`);
    if (isObj(svc) && svc.protocol !== undefined && svc.protocol !== 'http' && svc.protocol !== 'https')
      problems.push(`${where}.service.protocol must be http or https`);
  } else if (typeof webhook.url !== 'string' || !/^https?:\/\/[^/]+\/\S*$/.test(webhook.url)) {
    problems.push(`${where}.url must be an http(s) URL with a path`);
  }
  if (typeof webhook.timeout !== 'string') {
    problems.push(`${where}.timeout must be set explicitly (the 10s default holds a worker too long)`);
  } else {
    const ms = parseGoDuration(webhook.timeout);
    if (ms === undefined) problems.push(`${where}.timeout "${webhook.timeout}" is not a Go duration`);
    else if (ms <= 0 || ms >= METACONTROLLER_DEFAULT_TIMEOUT_MS)
      problems.push(`${where}.timeout must be > 0 and < 10s, got ${webhook.timeout}`);
  }
  if (webhook.authorization !== undefined) {
    const auth = webhook.authorization;
    const ref = isObj(auth) ? auth.secretRef : undefined;
    if (!isObj(auth) || (auth.type !== undefined && auth.type !== 'Bearer')) problems.push(`${where}.authorization.type must be Bearer`);
    if (!isObj(ref) || ['name', 'namespace', 'key'].some((k) => typeof ref[k] !== 'string' || ref[k] === ''))
      problems.push(`${where}.authorization.secretRef needs name, namespace and key`);
  }
  return problems;
}

/** Every reason Metacontroller would reject, ignore or misread this CompositeController; empty when fine. */
export function compositeControllerProblems(cc: unknown): string[] {
  if (!isObj(cc)) return ['not an object'];
  const problems: string[] = [];
  if (cc.apiVersion !== 'metacontroller.k8s.io/v1alpha1') problems.push(`apiVersion is ${String(cc.apiVersion)}`);
  if (cc.kind !== 'CompositeController') problems.push(`kind is ${String(cc.kind)}`);
  const meta = cc.metadata;
  if (!isObj(meta) || typeof meta.name !== 'string' || meta.name === '') problems.push('metadata.name is missing');
  if (isObj(meta) && meta.namespace !== undefined) problems.push('CompositeController is cluster-scoped: no metadata.namespace');
  const spec = cc.spec;
  if (!isObj(spec)) return [...problems, 'spec is missing'];
  problems.push(...unknownKeys(spec, SPEC_FIELDS, 'spec'));

  const parent = spec.parentResource;
  if (!isObj(parent) || typeof parent.apiVersion !== 'string' || typeof parent.resource !== 'string')
    problems.push('spec.parentResource needs apiVersion and resource');
  else if (parent.resource !== parent.resource.toLowerCase()) problems.push('spec.parentResource.resource must be the lowercase plural');

  if (spec.generateSelector !== undefined && typeof spec.generateSelector !== 'boolean')
    problems.push('spec.generateSelector must be a boolean');
  if (spec.resyncPeriodSeconds !== undefined && (!Number.isInteger(spec.resyncPeriodSeconds) || (spec.resyncPeriodSeconds as number) < 1))
    problems.push('spec.resyncPeriodSeconds must be a positive integer');

  const children = spec.childResources ?? [];
  if (!Array.isArray(children)) problems.push('spec.childResources must be a list');
  else {
    const seen = new Set<string>();
    children.forEach((child: unknown, i) => {
      const where = `spec.childResources[${i}]`;
      if (!isObj(child) || typeof child.apiVersion !== 'string' || typeof child.resource !== 'string') {
        problems.push(`${where} needs apiVersion and resource`);
        return;
      }
      const id = `${child.resource}.${child.apiVersion}`;
      if (seen.has(id)) problems.push(`${where} repeats ${id}`);
      seen.add(id);
      const method = isObj(child.updateStrategy) ? child.updateStrategy.method : undefined;
      if (!UPDATE_METHODS.includes(method as (typeof UPDATE_METHODS)[number]))
        problems.push(`${where}.updateStrategy.method must be one of ${UPDATE_METHODS.join('|')} (default OnDelete never updates), got ${String(method)}`);
    });
  }

  const hooks = spec.hooks;
  if (!isObj(hooks)) return [...problems, 'spec.hooks is missing (Metacontroller fails with "no hooks defined")'];
  problems.push(...unknownKeys(hooks, HOOK_NAMES, 'spec.hooks'));
  if (hooks.sync === undefined) problems.push('spec.hooks.sync is missing');
  for (const [name, hook] of Object.entries(hooks)) {
    const where = `spec.hooks.${name}`;
    if (!isObj(hook)) {
      problems.push(`${where} must be an object`);
      continue;
    }
    if (hook.version !== 'v2') problems.push(`${where}.version must be v2 (children keyed namespace/name, strict decoding)`);
    problems.push(...webhookProblems(hook.webhook, `${where}.webhook`));
  }
  return problems;
}

/** Metacontroller's base URL for a hook, as `pkg/hooks/webhook.go` builds it from `service` + `path`. */
export function webhookAddress(webhook: Obj): string {
  if (typeof webhook.url === 'string') return webhook.url;
  const svc = webhook.service as Obj;
  return `${(svc.protocol as string | undefined) ?? 'http'}://${String(svc.name)}.${String(svc.namespace)}:${String(svc.port ?? 80)}${String(webhook.path)}`;
}
