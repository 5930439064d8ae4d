import { isDeepStrictEqual } from 'node:util';

export type Obj = Record<string, unknown>;

export type Side = Obj[] | { rejected: string };

/** One case: a RisingWave and the objects each side would create (or why it refused). */
export interface Sides {
  readonly input: Obj;
  hook: Side;
  operator: Side;
  /** The operator's objects for the same input with every `@sha256:…` digest cut from the images (and the
   *  images put back as written): present only when the input pins an image by digest. */
  operatorIgnoringDigests?: Side;
}

/**
 * A difference the suite accepts. `apply` rewrites both sides of a case (in place) so that the
 * difference disappears; anything it does not cover still fails. docs/parity.md's table is checked
 * against `id`, `difference` and `reason` here, so the doc and the suite cannot drift apart.
 */
export interface AllowedDifference {
  readonly id: string;
  readonly difference: string;
  readonly reason: string;
  /** Rewrites both sides' objects when both accept. */
  readonly apply?: (hook: Obj[], operator: Obj[], sides: Sides) => void;
  /** A refusal by the hook of what the operator accepts: the hook's message consists of matches only. */
  readonly refusal?: RegExp;
}

const OPERATOR_VERSION_LABEL = 'risingwave/operator-version';

const COMPONENTS = ['meta', 'frontend', 'compute', 'compactor'] as const;

/** Names of the workloads of the node groups `pick` selects: N-<component>[-<group>]. */
function workloadNames(input: Obj, pick: (group: Obj) => boolean): string[] {
  const name = String((input.metadata as Obj).name);
  const components = ((input.spec as Obj | undefined)?.components ?? {}) as Record<string, { nodeGroups?: Obj[] } | undefined>;
  return COMPONENTS.flatMap((c) =>
    (components[c]?.nodeGroups ?? []).filter(pick).map((g) => `${name}-${c}${g.name ? `-${String(g.name)}` : ''}`),
  );
}

const DIGEST = /@sha256:[0-9a-f]{64}/;

/** utils.GetVersionFromImage: the text after the last ':' of the last path segment (a digest's hex too). */
function operatorVersionOf(image: string): string {
  if (image === '') return '';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return colon < 0 ? 'latest' : last.slice(colon + 1);
}

/** The operator's useLicenseFile for an image (it always passes spec.image). */
function operatorLicenseAsFile(image: string, passAsFile: unknown): boolean {
  if (typeof passAsFile === 'boolean') return passAsFile;
  const v = operatorVersionOf(image);
  return !v.startsWith('v0.') && !v.startsWith('v1.') && !v.startsWith('v2.0.');
}

function withoutLicense(o: Obj): void {
  for (const pod of podSpecs(o)) {
    pod.volumes = ((pod.volumes ?? []) as Obj[]).filter((v) => v.name !== 'license');
    if ((pod.volumes as Obj[]).length === 0) delete pod.volumes;
    const c = (pod.containers as Obj[])[0]!;
    c.env = ((c.env ?? []) as Obj[]).filter((e) => e.name !== 'RW_LICENSE_KEY' && e.name !== 'RW_LICENSE_KEY_PATH');
    c.volumeMounts = ((c.volumeMounts ?? []) as Obj[]).filter((m) => m.name !== 'license');
    if ((c.volumeMounts as Obj[]).length === 0) delete c.volumeMounts;
  }
}

function each(objs: Obj[], fn: (o: Obj) => void): void {
  for (const o of objs) fn(o);
}

function podSpecs(o: Obj): Obj[] {
  const spec = o.spec as Obj | undefined;
  const template = spec?.template as Obj | undefined;
  return template?.spec ? [template.spec as Obj] : [];
}

export const ALLOWED_DIFFERENCES: readonly AllowedDifference[] = [
  {
    id: 'digest-is-not-a-version',
    difference:
      'An image pinned by digest (`repo:v2.5.0@sha256:…`, `repo@sha256:…`): the operator reads the digest as the version, the hook reads the tag (or `latest` without one). The operator then falls back to the legacy SQL meta-store env (`RW_BACKEND=sql`, credentials inside `RW_SQL_ENDPOINT`), to `single-node` for a v1.3–v1.7 standalone, and to the license file for v2.0 images.',
    reason:
      "The hook chooses for the image that actually runs. The operator's choice can break it (`single-node` does not exist before v1.8; a v2.0 image cannot read the license file). Checked by rendering the operator again with the digests cut off: the hook must then match it exactly. Switching over rolls the meta and standalone pods of such RisingWaves once.",
    apply: (_hook, operator, sides) => {
      const ignoring = sides.operatorIgnoringDigests;
      if (Array.isArray(ignoring)) operator.splice(0, operator.length, ...structuredClone(ignoring));
    },
  },
  {
    id: 'license-form-from-group-image',
    difference:
      "A meta or standalone group that runs its own image (`template.spec.image`): the hook passes the license as a file or as `RW_LICENSE_KEY` according to that image, the operator according to `spec.image`.",
    reason:
      'Images before v2.1 only read `RW_LICENSE_KEY`; the group runs its own image, so its form must follow that image, or a v2.0 group under a v2.1 `spec.image` gets no license. Switching over rolls only such groups whose image and `spec.image` fall on different sides of v2.1.',
    apply: (hook, operator, { input }) => {
      const spec = (input.spec ?? {}) as Obj;
      const license = spec.licenseKey as Obj | undefined;
      if (!license?.secretName) return;
      const specImage = String(spec.image ?? '').replace(DIGEST, '');
      const hookByKey = new Map(hook.map((o) => [objectKey(o), o]));
      for (const o of operator) {
        for (const pod of podSpecs(o)) {
          const c = (pod.containers as Obj[])[0]!;
          if (c.name !== 'meta' && c.name !== 'standalone') continue;
          const image = String(c.image).replace(DIGEST, '');
          if (operatorLicenseAsFile(image, license.passAsFile) === operatorLicenseAsFile(specImage, license.passAsFile)) continue;
          withoutLicense(o);
          const h = hookByKey.get(objectKey(o));
          if (h) withoutLicense(h);
        }
      }
    },
  },
  {
    id: 'operator-version-label',
    difference: 'The value of the `risingwave/operator-version` label on every child.',
    reason: "Each side stamps its own build's version; the label is informational and nothing selects on it.",
    apply: (hook, operator) => {
      for (const o of [...hook, ...operator]) {
        const labels = (o.metadata as Obj).labels as Record<string, string> | undefined;
        if (labels?.[OPERATOR_VERSION_LABEL] !== undefined) labels[OPERATOR_VERSION_LABEL] = '*';
      }
    },
  },
  {
    id: 'owner-references',
    difference: 'The operator puts a controller `ownerReference` on each child; the hook returns children without one.',
    reason: 'Metacontroller adds the same controller ownerReference (the RisingWave, controller and blockOwnerDeletion true) when it creates the child.',
    apply: (_hook, operator) => each(operator, (o) => delete (o.metadata as Obj).ownerReferences),
  },
  {
    id: 'statefulset-name-over-52',
    difference: 'A StatefulSet name longer than 52 characters: the hook refuses the RisingWave (Valid=False, no children); the operator creates the StatefulSet.',
    reason:
      "Each pod of a StatefulSet carries `controller-revision-hash: <name>-<hash>`, a label value limited to 63 characters, so the StatefulSet controller can never create its pods. The operator's example `risingwave-postgresql-s3-with-iceberg-compaction` is one: its meta StatefulSet stays at 0 pods. Rename the RisingWave (or the group) when switching over.",
    refusal: /StatefulSet name "[^"]+" is longer than 52 characters; its pods' controller-revision-hash label would exceed 63/g,
  },
  {
    id: 'autoscaling-hpa',
    difference: "A node group with `autoscaling` gets an autoscaling/v2 HorizontalPodAutoscaler from the hook, and its workload's `replicas` is the HPA's; the operator creates no HPA.",
    reason: "`autoscaling` is the hook's own feature. The operator's CRD has no such field and prunes it, so a YAML written for the operator never has it.",
    apply: (hook, operator, { input }) => {
      for (let i = hook.length - 1; i >= 0; i--) if (hook[i]!.kind === 'HorizontalPodAutoscaler') hook.splice(i, 1);
      // The HPA owns such a group's replica count; the hook only sets a first size inside its bounds.
      const autoscaled = new Set(workloadNames(input, (g) => g.autoscaling !== undefined));
      for (const o of [...hook, ...operator]) if (autoscaled.has(String((o.metadata as Obj).name))) delete (o.spec as Obj).replicas;
    },
  },
];

/** Lists whose order is part of the meaning: env ($(VAR) expands only earlier names), containers (the first is RisingWave's). */
const ORDERED_LISTS = new Set(['env', 'containers', 'initContainers', 'args', 'command']);

/** Sorts lists of objects keyed by `name` (ports, volumes, volumeMounts, ...) except the ordered ones. */
export function sortNamedLists(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => sortNamedLists(v));
    const named = items.length > 1 && items.every((v) => v !== null && typeof v === 'object' && typeof (v as Obj).name === 'string');
    if (named && !ORDERED_LISTS.has(key)) items.sort((a, b) => ((a as Obj).name as string).localeCompare((b as Obj).name as string));
    return items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Obj = {};
    for (const k of Object.keys(value).sort()) out[k] = sortNamedLists((value as Obj)[k], k);
    return out;
  }
  return value;
}

export function objectKey(o: Obj): string {
  return `${String(o.kind)} ${String((o.metadata as Obj).name)}`;
}

/** Leaf paths where a and b differ, as `path: hook=... operator=...`. */
export function diffPaths(a: unknown, b: unknown, path = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) return [`${path || '/'}: hook=${JSON.stringify(a)} operator=${JSON.stringify(b)}`];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (isNamedList(a) && isNamedList(b)) return diffNamedLists(a, b, path);
    if (a.length !== b.length) return [`${path}: hook=${JSON.stringify(a)} operator=${JSON.stringify(b)}`];
  }
  const keys = [...new Set([...Object.keys(a as Obj), ...Object.keys(b as Obj)])].sort();
  return keys.flatMap((k) => diffPaths((a as Obj)[k], (b as Obj)[k], `${path}/${k}`));
}

function isNamedList(list: unknown[]): list is Obj[] {
  return list.length > 0 && list.every((v) => v !== null && typeof v === 'object' && typeof (v as Obj).name === 'string');
}

/** Named lists (env, ports, volumes) compared entry by entry, so a missing variable reads as one line. */
function diffNamedLists(a: Obj[], b: Obj[], path: string): string[] {
  const byName = (list: Obj[]) => new Map(list.map((v) => [v.name as string, v]));
  const am = byName(a);
  const bm = byName(b);
  const out: string[] = [];
  for (const name of new Set([...am.keys(), ...bm.keys()])) out.push(...diffPaths(am.get(name), bm.get(name), `${path}[${name}]`));
  const common = (x: Obj[], other: Map<string, Obj>) => x.map((v) => v.name as string).filter((n) => other.has(n));
  const ao = common(a, bm);
  const bo = common(b, am);
  if (!isDeepStrictEqual(ao, bo)) out.push(`${path} order: hook=${JSON.stringify(ao)} operator=${JSON.stringify(bo)}`);
  return out;
}

/** Every difference between the two sides that no allowed difference explains. */
export function unexplained(sides: Sides): string[] {
  const { hook, operator } = sides;
  if (!Array.isArray(hook) || !Array.isArray(operator)) {
    if (!Array.isArray(hook) && !Array.isArray(operator)) return [];
    if (Array.isArray(operator)) {
      const message = (hook as { rejected: string }).rejected;
      let rest = message;
      for (const a of ALLOWED_DIFFERENCES) if (a.refusal) rest = rest.replace(a.refusal, '');
      if (rest.replace(/[;\s]/g, '') === '') return [];
      return [`hook rejects what the operator accepts: ${message}`];
    }
    return [`operator rejects what the hook accepts: ${operator.rejected}`];
  }
  const h = structuredClone(hook);
  const o = structuredClone(operator);
  for (const allowed of ALLOWED_DIFFERENCES) allowed.apply?.(h, o, sides);
  const hookByKey = new Map(h.map((x) => [objectKey(x), sortNamedLists(x)]));
  const opByKey = new Map(o.map((x) => [objectKey(x), sortNamedLists(x)]));
  const out: string[] = [];
  for (const k of hookByKey.keys()) if (!opByKey.has(k)) out.push(`${k}: only the hook creates it`);
  for (const k of opByKey.keys()) if (!hookByKey.has(k)) out.push(`${k}: only the operator creates it`);
  for (const [k, hv] of hookByKey) {
    const ov = opByKey.get(k);
    if (ov !== undefined) out.push(...diffPaths(hv, ov).map((d) => `${k} ${d}`));
  }
  return out;
}

/** The allowed differences as the Markdown table docs/parity.md carries between its table markers. */
export function allowedDifferencesTable(): string {
  const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [
    '| id | difference | reason, and what it means when switching from the operator |',
    '|---|---|---|',
    ...ALLOWED_DIFFERENCES.map((a) => `| \`${a.id}\` | ${cell(a.difference)} | ${cell(a.reason)} |`),
  ].join('\n');
}
