/**
 * Payloads for the hook fuzz suite: valid requests (the property generators and the recorded fixtures),
 * near-valid ones (one field changed at a random path) and hostile ones. Each case is the exact body text
 * sent, so cases that JSON cannot build from an object (`"__proto__"` keys, duplicate keys, `NaN`) are
 * expressed too.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { SyncRequest } from '../../src/api/metacontroller.js';
import { buildRequest, observedCase, previousStatus, specCase } from '../properties/arbitraries.js';

export type Family = 'valid' | 'near-valid' | 'hostile';

export interface FuzzCase {
  readonly family: Family;
  /** What was done to the request, for the failure message and the coverage counts. */
  readonly label: string;
  /** The body as sent. */
  readonly text: string;
}

const FIXTURES = ['new-v2', 'standalone-v1', 'typical-v1', 'typical-v2', 'upgrading-v2'].map(
  (name) => JSON.parse(readFileSync(new URL(`../fixtures/${name}.request.json`, import.meta.url), 'utf8')) as SyncRequest,
);

/** Valid envelopes around specs that are valid, invalid or paused, in hook v1 and v2 shapes. */
export const generatedRequest: fc.Arbitrary<SyncRequest> = fc
  .tuple(specCase, observedCase, fc.constantFrom<'v1' | 'v2'>('v1', 'v2'), fc.integer({ min: 1, max: 3 }), previousStatus)
  .map(([c, observed, hookVersion, generation, status]) => buildRequest(c, observed, hookVersion, generation, status));

export const fixtureRequest: fc.Arbitrary<SyncRequest> = fc.constantFrom(...FIXTURES).map((r) => structuredClone(r));

export const validRequest: fc.Arbitrary<SyncRequest> = fc.oneof({ weight: 4, arbitrary: generatedRequest }, { weight: 1, arbitrary: fixtureRequest });

export const validCase: fc.Arbitrary<FuzzCase> = validRequest.map((r) => ({ family: 'valid', label: 'valid', text: JSON.stringify(r) }));

// ---------------------------------------------------------------------------------------------------------
// Near-valid: exactly one field changed.

type Path = (string | number)[];

/** Every path into a JSON value, the root excluded; containers and leaves alike. */
function pathsOf(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (v !== null && typeof v === 'object') {
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    for (const [k, x] of entries) {
      const p = [...prefix, k];
      out.push(p);
      pathsOf(x, p, out);
    }
  }
  return out;
}

const MB = 2 ** 20;
const SENTINEL = '\u0000fuzz-raw\u0000';

/** A replacement value; `raw` ones are spliced into the text as written (JSON has no NaN). */
type Replacement = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'raw'; readonly text: string } | { readonly kind: 'delete' };

const edgeNumbers = [-0, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 53) - 1, 2 ** 31, 2 ** 32, -1, 0.5, 5e-324, Number.MAX_VALUE, 1e21, 1e-7];

const replacement: fc.Arbitrary<{ label: string; r: Replacement }> = fc.oneof(
  fc.constant({ label: 'delete', r: { kind: 'delete' } as Replacement }),
  fc.constant({ label: 'null', r: { kind: 'value', value: null } as Replacement }),
  fc.constantFrom(...edgeNumbers).map((n) => ({ label: `number ${Object.is(n, -0) ? '-0' : n}`, r: { kind: 'raw', text: Object.is(n, -0) ? '-0' : String(n) } as Replacement })),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '00', '+1', '0x10', '1.', 'undefined').map((t) => ({ label: `raw ${t}`, r: { kind: 'raw', text: t } as Replacement })),
  fc.constantFrom<unknown>(true, false, '', 'x', 0, 1, {}, [], [null], { a: 1 }, ['a'], '42', 'true').map((value) => ({ label: `wrong type ${JSON.stringify(value)}`, r: { kind: 'value', value } as Replacement })),
  fc.constantFrom(1024, 64 * 1024, MB).map((n) => ({ label: `string of ${n}`, r: { kind: 'value', value: 'x'.repeat(n) } as Replacement })),
  fc.string({ unit: 'binary', maxLength: 40 }).map((value) => ({ label: 'unicode string', r: { kind: 'value', value } as Replacement })),
  fc.constantFrom('\ud800', '\udfff', 'a\ud83d', '😀'.repeat(100), '\u0000', '\u202e', 'é'.normalize('NFD')).map((value) => ({ label: 'odd unicode', r: { kind: 'value', value } as Replacement })),
);

/** Applies one change at `path` to a copy; returns the body text. */
export function mutate(request: unknown, path: Path, r: Replacement): string {
  const copy = structuredClone(request) as Record<string | number, unknown>;
  let parent: any = copy;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const last = path.at(-1)!;
  if (r.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
    return JSON.stringify(copy);
  }
  parent[last] = r.kind === 'value' ? r.value : SENTINEL;
  const text = JSON.stringify(copy);
  return r.kind === 'raw' ? text.replace(JSON.stringify(SENTINEL), r.text) : text;
}

export const nearValidCase: fc.Arbitrary<FuzzCase> = fc.tuple(validRequest, fc.nat(), replacement).map(([request, n, { label, r }]) => {
  const paths = pathsOf(request);
  const path = paths[n % paths.length]!;
  return { family: 'near-valid', label: `${label} at ${path.join('.')}`, text: mutate(request, path, r) };
});

// ---------------------------------------------------------------------------------------------------------
// Hostile.

/** Keys that mean something to JavaScript objects. `__proto__` is written into the text (see protoText). */
const SPECIAL_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', 'length'] as const;
const PROTO_PLACEHOLDER = 'fuzz-proto-placeholder';
const POISON = { polluted: 'yes', toString: 'owned', isAdmin: true, constructor: { prototype: { polluted: 'yes' } } };

/** JSON.stringify drops a `__proto__` own key and `{__proto__: x}` sets a prototype: write it as text. */
function protoText(v: unknown): string {
  return JSON.stringify(v).replaceAll(`"${PROTO_PLACEHOLDER}"`, '"__proto__"');
}
const keyName = (k: string) => (k === '__proto__' ? PROTO_PLACEHOLDER : k);

/**
 * `depth` levels of `{"a":…}` or `[…]` around `leaf`, spliced into `text` in place of the sentinel string.
 * Written as text: JSON.stringify recurses and overflows the stack long before 10k levels.
 */
function spliceNested(text: string, depth: number, leaf: string, array: boolean): string {
  const [open, close] = array ? ['[', ']'] : ['{"a":', '}'];
  return text.replace(JSON.stringify(SENTINEL), open.repeat(depth) + leaf + close.repeat(depth));
}

/** Every object in a request (spec, metadata, labels, children maps, children) gets a special key. */
function specialKeyEverywhere(request: any, key: string, value: unknown): void {
  const objects: Record<string, unknown>[] = [];
  const stack: unknown[] = [request];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) stack.push(...v);
    else {
      stack.push(...Object.values(v));
      objects.push(v as Record<string, unknown>);
    }
  }
  // Collected first: a value put in must not be walked (and keyed) itself.
  for (const o of objects) o[keyName(key)] = structuredClone(value);
}

function anyChild(request: SyncRequest): { group: string; key: string; obj: any } | undefined {
  for (const [group, byName] of Object.entries(request.children ?? {})) {
    for (const [key, obj] of Object.entries(byName)) return { group, key, obj };
  }
  return undefined;
}

/**
 * Nesting depths of the hostile cases: deep but answered (950), and deep enough to overflow a recursive walk
 * (10k levels: a 400 where the hook walks them, see src/server/json-depth.ts).
 */
const DEPTHS = [50, 950, 10_000];

type Hostile = (request: SyncRequest, pick: number) => { label: string; text: string };

const hostile: Hostile[] = [
  (r, n) => {
    const depth = DEPTHS[n % DEPTHS.length]!;
    (r.parent.spec as any).deep = SENTINEL;
    return { label: `spec nested ${depth}`, text: spliceNested(JSON.stringify(r), depth, '"leaf"', n % 2 === 0) };
  },
  (r, n) => {
    const depth = DEPTHS[n % DEPTHS.length]!;
    const c = anyChild(r);
    if (c) c.obj.spec = { ...(c.obj.spec ?? {}), deep: SENTINEL };
    else (r.children ??= {})['ConfigMap.v1'] = { deep: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep' }, data: { x: SENTINEL } } as any };
    return { label: `child nested ${depth}`, text: spliceNested(JSON.stringify(r), depth, '1', n % 2 === 1) };
  },
  (r, n) => {
    const depth = DEPTHS[n % DEPTHS.length]!;
    (r as any).controller = SENTINEL;
    return { label: `controller nested ${depth}`, text: spliceNested(JSON.stringify(r), depth, 'null', n % 4 < 2) };
  },
  (r, n) => {
    const key = SPECIAL_KEYS[n % SPECIAL_KEYS.length]!;
    specialKeyEverywhere(r, key, POISON);
    return { label: `key ${key} in every object`, text: protoText(r) };
  },
  (r, n) => {
    // One level only, so the rest of the request stays sound and the key is what is judged.
    const key = SPECIAL_KEYS[n % SPECIAL_KEYS.length]!;
    const where = n % 6;
    const k = keyName(key);
    if (where === 0) (r.parent.metadata.labels ??= {})[k] = 'x';
    else if (where === 1) (r.parent.metadata.annotations ??= {})[k] = 'x';
    else if (where === 2) (r.children ??= {})[k] = {};
    else if (where === 3) ((r.parent.spec as any).components ??= {})[k] = POISON;
    else if (where === 4) (r.related ??= {})['ConfigMap.v1'] = { [k]: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } } as any };
    else (r.parent as any)[k] = POISON;
    return { label: `key ${key} at ${['labels', 'annotations', 'children', 'components', 'related', 'parent'][where]}`, text: protoText(r) };
  },
  (r, n) => {
    // Special words as values: names of children, groups, labels of the parent.
    const word = SPECIAL_KEYS[n % SPECIAL_KEYS.length]!;
    const group = ['ConfigMap.v1', 'Service.v1', 'StatefulSet.apps/v1', 'Deployment.apps/v1'][n % 4]!;
    const [apiVersion, kind] = group === 'ConfigMap.v1' ? ['v1', 'ConfigMap'] : group === 'Service.v1' ? ['v1', 'Service'] : ['apps/v1', group.split('.')[0]!];
    (r.children ??= {})[group] = {
      ...(r.children[group] ?? {}),
      [keyName(word)]: { apiVersion, kind, metadata: { name: word, namespace: 'ns', labels: { [keyName(word)]: word } } } as any,
    };
    const groups = (r.parent.spec as any)?.components?.compute?.nodeGroups;
    if (Array.isArray(groups) && n % 2 === 0) groups.push({ name: word === '__proto__' ? 'proto' : word.toLowerCase(), replicas: 1 });
    return { label: `child named ${word}`, text: protoText(r) };
  },
  (r, n) => {
    // The same child under its v1 and its v2 key, with different contents, plus a third copy.
    const c = anyChild(r);
    if (!c) return { label: 'duplicate names (no child)', text: JSON.stringify(r) };
    const name = c.obj.metadata.name as string;
    const other = structuredClone(c.obj);
    other.metadata.labels = { ...(other.metadata.labels ?? {}), duplicate: String(n) };
    r.children![c.group]![name] = c.obj;
    r.children![c.group]![`ns/${name}`] = other;
    r.children![c.group]![`other/${name}`] = { ...structuredClone(other), metadata: { ...other.metadata, namespace: 'other' } };
    return { label: 'duplicate child names', text: JSON.stringify(r) };
  },
  (r) => {
    // Duplicate keys in the text: JSON.parse keeps the last.
    const text = JSON.stringify(r).replace('"metadata":{', '"metadata":{"name":"first",');
    return { label: 'duplicate JSON keys', text };
  },
  (r, n) => {
    const names = ['😀', '\ud800', 'a\udfffb', 'ä', 'ﬀ', '\u0000', ' ', 'a/b', '..', 'x'.repeat(300), 'Ǆ', '\u200b'];
    const name = names[n % names.length]!;
    const where = n % 3;
    if (where === 0) r.parent.metadata.name = name;
    else if (where === 1) (r.children ??= {})['Service.v1'] = { ...(r.children['Service.v1'] ?? {}), [name]: { apiVersion: 'v1', kind: 'Service', metadata: { name } } as any };
    else {
      const groups = (r.parent.spec as any)?.components?.meta?.nodeGroups;
      if (Array.isArray(groups)) groups.push({ name, replicas: 1 });
    }
    return { label: `unicode name ${JSON.stringify(name).slice(0, 20)} at ${['parent', 'child', 'group'][where]}`, text: JSON.stringify(r) };
  },
  (r, n) => {
    const big = 'y'.repeat(MB);
    const where = n % 4;
    if (where === 0) (r.parent.metadata.annotations ??= {}).big = big;
    else if (where === 1) (r.parent.spec as any).image = big;
    else if (where === 2) (r.children ??= {})['ConfigMap.v1'] = { ...(r.children['ConfigMap.v1'] ?? {}), big: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { big } } as any };
    else r.parent.metadata.name = big;
    return { label: `1 MB string at ${['annotation', 'image', 'child', 'name'][where]}`, text: JSON.stringify(r) };
  },
  (r, n) => {
    const edges = ['1e308', '-0', '9007199254740993', '-1', '1.5', '1e-400', '18446744073709551616'];
    const e = edges[n % edges.length]!;
    const where = n % 3;
    if (where === 0) (r.parent.metadata as any).generation = SENTINEL;
    else if (where === 1) {
      const g = (r.parent.spec as any)?.components?.compute?.nodeGroups?.[0];
      if (g) g.replicas = SENTINEL;
    } else (r.parent.spec as any).terminationGracePeriodSeconds = SENTINEL;
    return { label: `number ${e} at ${['generation', 'replicas', 'spec'][where]}`, text: JSON.stringify(r).replace(JSON.stringify(SENTINEL), e) };
  },
  (r, n) => {
    const wrong: [string, unknown][] = [
      ['parent', []],
      ['parent', 'x'],
      ['children', []],
      ['children', { 'Service.v1': [] }],
      ['children', { 'Service.v1': { a: 'x' } }],
      ['children', { 'Service.v1': { a: { apiVersion: 'v1', kind: 'Service', metadata: { name: 7 } } } }],
      ['related', null],
      ['finalizing', 'true'],
      ['controller', 5],
      ['parent.metadata', null],
      ['parent.spec', []],
      ['parent.status', 'Running'],
    ];
    const [where, value] = wrong[n % wrong.length]!;
    const parts = where.split('.');
    let o: any = r;
    for (const p of parts.slice(0, -1)) o = o[p];
    o[parts.at(-1)!] = value;
    return { label: `wrong type at ${where}`, text: JSON.stringify(r) };
  },
  (_r, n) => {
    const texts = ['null', '[]', '1', '"s"', 'true', '{}', '{"parent":null}', '{"parent":{}}', '', ' ', '\ufeff{}', '{"a":1}garbage', '{"a":'.repeat(5000)];
    const text = texts[n % texts.length]!;
    return { label: `body ${JSON.stringify(text).slice(0, 20)}`, text };
  },
];

/** A body nested `depth` levels (objects or arrays) in the spec, a child or the controller. */
export function deepCase(request: SyncRequest, depth: number, where: 'spec' | 'child' | 'controller', array: boolean): FuzzCase {
  const r = structuredClone(request);
  if (where === 'spec') (r.parent.spec as any).deep = SENTINEL;
  else if (where === 'controller') (r as any).controller = SENTINEL;
  else (r.children ??= {})['ConfigMap.v1'] = { deep: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep' }, data: { x: SENTINEL } } as any };
  return { family: 'hostile', label: `${where} nested ${depth}${array ? ' (arrays)' : ''}`, text: spliceNested(JSON.stringify(r), depth, '1', array) };
}

export const hostileCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(validRequest, fc.nat({ max: hostile.length - 1 }), fc.nat())
  .map(([request, which, n]) => ({ family: 'hostile', ...hostile[which]!(request, n) }));

/** A parent that Metacontroller would send for /customize, from any case (the parent is what matters). */
export function customizeText(c: FuzzCase): string {
  try {
    const body = JSON.parse(c.text) as Record<string, unknown>;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return c.text;
    // Only the parent is read; the rest is left as the case made it (extra keys are allowed).
    return c.text.includes('"__proto__"') ? c.text : JSON.stringify({ controller: body.controller, parent: body.parent });
  } catch {
    return c.text;
  }
}
