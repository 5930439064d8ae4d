import { readFileSync, readdirSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SyncRequest } from '../../src/api/metacontroller.js';
import { strictResponseJson } from '../../src/server/response.js';
import { PieceMemo } from '../../src/cache/pieces.js';
import { createSyncBodyParser, parseJsonBody, type ParsedBody } from '../../src/server/sync-body.js';
import { runSync } from '../../src/controller/sync.js';
import { fixedClock } from '../../src/kube/time.js';
import { REPLAY_NOW } from '../fixtures/generate.js';

const fixturesDir = new URL('../fixtures/', import.meta.url);
const fixtureNames = readdirSync(fixturesDir).filter((f) => f.endsWith('.request.json'));
const compact = (name: string) => JSON.stringify(JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8')));

/**
 * What JSON.parse makes of `text`, as the parser reports it: a value, a `__proto__` key, or its error.
 * Written without the parser's own code: every parsed object is walked for an own `__proto__` key.
 */
function oracle(text: string): ParsedBody | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: (err as Error).message };
  }
  const hasProto = (v: unknown): boolean =>
    v !== null && typeof v === 'object' && (Object.hasOwn(v, '__proto__') || Object.values(v).some(hasProto));
  const hasInfinity = (v: unknown): boolean =>
    typeof v === 'number' ? !Number.isFinite(v) : v !== null && typeof v === 'object' && Object.values(v).some(hasInfinity);
  if (hasProto(value)) return { protoKey: true };
  return hasInfinity(value) ? { protoKey: false, nonFinite: true } : { protoKey: false, value };
}

function attempt(parse: (t: string) => ParsedBody, text: string): ParsedBody | { error: string } {
  try {
    return parse(text);
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Equal values with equal key order everywhere (isDeepStrictEqual ignores key order). */
function same(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b) && orderOf(a) === orderOf(b);
}

function orderOf(v: unknown): string {
  if (v === null || typeof v !== 'object') return '';
  if (Array.isArray(v)) return `[${v.map(orderOf).join(',')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${orderOf(x)}`).join(',')}}`;
}

function expectLikeJsonParse(parser: ReturnType<typeof createSyncBodyParser>, text: string): void {
  const want = oracle(text);
  const got = attempt((t) => parser.parse(t), text);
  expect(same(got, want), `${text.slice(0, 300)}\n got ${JSON.stringify(got).slice(0, 300)}\nwant ${JSON.stringify(want).slice(0, 300)}`).toBe(true);
}

const child = (name: string, status: unknown = { replicas: 1 }) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name, namespace: 'ns', resourceVersion: '1' },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
  status,
});
const envelope = (children: unknown, parent: unknown = { metadata: { name: 'rw', namespace: 'ns' }, spec: {} }) =>
  JSON.stringify({ controller: { metadata: { name: 'cc' } }, parent, children, related: {}, finalizing: false });

describe('sync body parser: what JSON.parse answers, for every text', () => {
  const typical = compact('typical-v2.request.json');
  const cases: Array<[string, string]> = [
    ['a recorded Metacontroller request', typical],
    ['the same request again (every piece reused)', typical],
    ['whitespace between every token', JSON.stringify(JSON.parse(typical), null, 2).replaceAll('\n', '\r\n\t ')],
    ['no children', envelope({})],
    ['an empty group', envelope({ 'StatefulSet.apps/v1': {} })],
    ['a group that is not an object', envelope({ 'StatefulSet.apps/v1': [1, 2] })],
    ['children that is not an object', envelope(null)],
    ['a child that is not an object', envelope({ 'StatefulSet.apps/v1': { 'ns/a': null, 'ns/b': 'x', 'ns/c': [1] } })],
    ['a child with fields of every type', envelope({ 'StatefulSet.apps/v1': { 'ns/a': { n: 1.5e3, t: true, f: false, z: null, s: 'é\u2028', a: [] } } })],
    ['an empty object', '{}'],
    ['extra top-level keys', '{"x":1,"parent":{},"y":[{"a":"b"}]}'],
    ['a duplicate envelope key (the later wins)', '{"parent":{"a":1},"children":{},"parent":{"a":2}}'],
    ['a duplicate child key', '{"children":{"G":{"k":{"a":1},"k":{"a":2}}}}'],
    ['a duplicate field in a child', '{"children":{"G":{"k":{"a":1,"a":2}}}}'],
    ['an escaped envelope key', '{"par\\u0065nt":{"a":1}}'],
    ['an escaped child key', '{"children":{"G":{"k\\"q":{"a":1}}}}'],
    ['escaped quotes and backslashes in strings', envelope({ G: { k: { s: 'a"b\\', t: '\\"}{][' } } })],
    ['numbers that look like keys', '{"children":{"G":{"2":{"1":1,"0":0}}}}'],
    ['a body that is an array', '[{"parent":{}}]'],
    ['a body that is a string', '"parent"'],
    ['a body that is a number', '42'],
    ['"__proto__" as an envelope key', '{"__proto__":{"x":1}}'],
    ['"__proto__" inside the parent', '{"parent":{"__proto__":{"x":1}}}'],
    ['"__proto__" as a child key', '{"children":{"G":{"__proto__":{"x":1}}}}'],
    ['"__proto__" inside a child', '{"children":{"G":{"k":{"spec":{"__proto__":1}}}}}'],
    ['"__proto__" written with escapes', '{"children":{"G":{"k":{"spec":{"\\u005f_proto__":1}}}}}'],
    ['"__proto__" with an upper-case escape', '{"children":{"G":{"k":{"spec":{"_\\u005Fproto__":1}}}}}'],
    ['"__proto__" with its letters escaped', '{"parent":{"__\\u0070\\u0072\\u006F\\u0074\\u006f__":1}}'],
    ['escapes that do not spell "__proto__"', '{"children":{"G":{"k":{"spec":{"a\\u0026b":"\\u003c\\u005f"}}}}}'],
    ['"__proto__" as a value', '{"parent":{"name":"__proto__"}}'],
    ['empty text', ''],
    ['only whitespace', ' \n'],
    ['trailing garbage', `${typical}x`],
    ['trailing comma in the envelope', '{"parent":{},}'],
    ['trailing comma in a child', '{"children":{"G":{"k":{"a":1,}}}}'],
    ['a missing colon', '{"children":{"G":{"k" {"a":1}}}}'],
    ['an unterminated string', '{"children":{"G":{"k":{"a":"1}}}}'],
    ['an unterminated body', typical.slice(0, -1)],
    ['a truncated body', typical.slice(0, typical.length / 2)],
    ['a control character in a key', '{"chi\u0001ldren":{}}'],
    ['a control character in a string', '{"children":{"G":{"k":{"a":"\u0001"}}}}'],
    ['a lone surrogate', '{"children":{"G":{"k":{"a":"\ud800"}}}}'],
    ['NaN', '{"children":{"G":{"k":{"a":NaN}}}}'],
    ['a number past a double in a child (refused)', '{"children":{"G":{"k":{"spec":{"replicas":1e400}}}}}'],
    ['a negative one in the parent (refused)', '{"parent":{"spec":{"x":[1,-2.5E+999]}}}'],
    ['a 400-digit number (refused)', `{"children":{"G":{"k":{"a":${'9'.repeat(400)}}}}}`],
    ['a body that is 1e400 (refused)', '1e400'],
    ['1e400 inside a string', '{"children":{"G":{"k":{"a":"1e400","b":"x:1e400"}}}}'],
    ['the largest double and an underflow', '{"children":{"G":{"k":{"a":1.7976931348623157e308,"b":1e-400}}}}'],
    ['a leading zero', '{"finalizing":01}'],
    ['a bare word', '{"finalizing":tru}'],
  ];

  it.each(cases)('%s', (_name, text) => {
    // The plain parser of every other route first, then the /sync one.
    expect(same(attempt(parseJsonBody, text), oracle(text))).toBe(true);
    const parser = createSyncBodyParser();
    expectLikeJsonParse(parser, text);
    // Again on a parser that has seen it: the answer from remembered pieces is the same.
    expectLikeJsonParse(parser, text);
  });

  it('one parser through all of them in turn, twice', () => {
    const parser = createSyncBodyParser();
    for (let round = 0; round < 2; round++) for (const [, text] of cases) expectLikeJsonParse(parser, text);
  });

  it('a remembered piece that is a prefix of the new text is not taken for it', () => {
    const parser = createSyncBodyParser();
    const before = '{"children":{"G":{"k":{"a":"x"}}}}';
    for (const after of ['{"children":{"G":{"k":{"a":"x"}x}}}', '{"children":{"G":{"k":{"a":"x"},"b":2}}}', '{"children":{"G":{"k":{"a":"x"}}}}}']) {
      expectLikeJsonParse(parser, before);
      expectLikeJsonParse(parser, after);
    }
    // A field equal to the remembered one, followed by more: `"spec":1` then `"spec":12`.
    expectLikeJsonParse(parser, '{"children":{"G":{"k":{"spec":1,"status":"a"}}}}');
    expectLikeJsonParse(parser, '{"children":{"G":{"k":{"spec":12,"status":"a"}}}}');
    expectLikeJsonParse(parser, '{"children":{"G":{"k":{"spec":"1","status":"b"}}}}');
    expectLikeJsonParse(parser, '{"children":{"G":{"k":{"spec":"1"x,"status":"b"}}}}');
  });
});

describe('sync body parser: reuse', () => {
  it('an unchanged child, parent and controller come back as the same frozen objects', () => {
    const parser = createSyncBodyParser();
    const text = compact('typical-v2.request.json');
    type Children = Record<string, Record<string, { metadata: object; spec: object }>>;
    parser.parse(text); // the parent's first body: JSON.parse (see the next test)
    const a = parser.parse(text) as { value: SyncRequest & { children: Children } };
    const b = parser.parse(text) as typeof a;
    expect(b.value.parent).toBe(a.value.parent);
    expect(b.value.controller).toBe(a.value.controller);
    for (const [group, byKey] of Object.entries(b.value.children)) {
      for (const [key, obj] of Object.entries(byKey)) {
        expect(obj, `${group} ${key}`).toBe(a.value.children[group]![key]);
        expect(Object.isFrozen(obj)).toBe(true);
        expect(Object.isFrozen(obj.metadata)).toBe(true);
        expect(Object.isFrozen(obj.spec)).toBe(true);
      }
    }
    expect(Object.isFrozen(a.value.parent.metadata)).toBe(true);
  });

  it("a parent's first body is left to JSON.parse; from its second on, its children are remembered", () => {
    const parser = createSyncBodyParser();
    const body = (rv: string) =>
      envelope({ 'StatefulSet.apps/v1': { 'ns/a': { ...child('a'), metadata: { name: 'a', resourceVersion: rv } } } }, { metadata: { name: 'rw', uid: 'u-1' } });
    type Parsed = { value: { children: Record<string, Record<string, unknown>> } };
    const childOf = (p: Parsed) => p.value.children['StatefulSet.apps/v1']!['ns/a'];
    const first = parser.parse(body('1')) as Parsed;
    const second = parser.parse(body('1')) as Parsed;
    const third = parser.parse(body('1')) as Parsed;
    expect(childOf(second)).not.toBe(childOf(first));
    expect(childOf(third)).toBe(childOf(second));
    expect(Object.isFrozen(childOf(first))).toBe(false);
  });

  it('parents that come round after more parents than the memory holds are parsed plainly each time', () => {
    const parser = createSyncBodyParser(new PieceMemo(true, 8000));
    const body = (i: number) => envelope({ G: { [`ns/c${i}`]: { pad: 'x'.repeat(200), i } } }, { metadata: { name: `rw${i}`, uid: `u-${i}` } });
    const childOf = (i: number) => (parser.parse(body(i)) as { value: { children: { G: Record<string, unknown> } } }).value.children.G[`ns/c${i}`];
    // 30 parents in turn, room for about 8000 / 300 = 26 of them: every body is its parent's first or cold.
    const seen = new Map<number, unknown>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 30; i++) {
        const c = childOf(i);
        expect(c).toEqual({ pad: 'x'.repeat(200), i });
        if (round > 0) expect(c).not.toBe(seen.get(i));
        seen.set(i, c);
      }
    }
    // One parent sent again at once is warm: its child comes back as the same object.
    childOf(3);
    expect(childOf(3)).toBe(childOf(3));
  });

  it('a child whose status changed is new, with its unchanged spec and metadata reused', () => {
    const parser = createSyncBodyParser();
    const first = parser.parse(envelope({ 'StatefulSet.apps/v1': { 'ns/a': child('a', { replicas: 1 }), 'ns/b': child('b') } })) as {
      value: { children: Record<string, Record<string, ReturnType<typeof child>>> };
    };
    const second = parser.parse(envelope({ 'StatefulSet.apps/v1': { 'ns/a': child('a', { replicas: 2 }), 'ns/b': child('b') } })) as typeof first;
    const [a1, a2] = [first.value.children['StatefulSet.apps/v1']!['ns/a']!, second.value.children['StatefulSet.apps/v1']!['ns/a']!];
    expect(a2).not.toBe(a1);
    expect(a2.status).toEqual({ replicas: 2 });
    expect(a2.spec).toBe(a1.spec);
    expect(a2.metadata).toBe(a1.metadata);
    expect(second.value.children['StatefulSet.apps/v1']!['ns/b']).toBe(first.value.children['StatefulSet.apps/v1']!['ns/b']);
    expect(Object.isFrozen(a1.spec)).toBe(true); // shared from the second sync on
    expect(Object.isFrozen(a2)).toBe(false); // first seen in this body: not shared yet
    const third = parser.parse(envelope({ 'StatefulSet.apps/v1': { 'ns/a': child('a', { replicas: 2 }), 'ns/b': child('b') } })) as typeof first;
    expect(third.value.children['StatefulSet.apps/v1']!['ns/a']).toBe(a2);
    expect(Object.isFrozen(a2)).toBe(true);
  });

  it('a child whose resourceVersion changed keeps its spec and its unchanged metadata fields', () => {
    const parser = createSyncBodyParser();
    type Parsed = { value: { children: Record<string, Record<string, { metadata: Record<string, unknown>; spec: unknown; status: unknown }>> } };
    const withVersion = (rv: string, status: unknown) => {
      const c = child('a', status) as { metadata: Record<string, unknown> };
      c.metadata = { annotations: { big: 'x'.repeat(100) }, name: 'a', resourceVersion: rv, labels: { l: 'v' } };
      return envelope({ G: { 'ns/a': c } });
    };
    const first = parser.parse(withVersion('1', { replicas: 1 })) as Parsed;
    const second = parser.parse(withVersion('22', { replicas: 1 })) as Parsed;
    const third = parser.parse(withVersion('333', { replicas: 2 })) as Parsed;
    const [a, b, c] = [first, second, third].map((p) => p.value.children.G!['ns/a']!);
    expect(b!.metadata.resourceVersion).toBe('22');
    expect(c!.metadata.resourceVersion).toBe('333');
    expect(b!.metadata).not.toBe(a!.metadata);
    expect(b!.metadata.annotations).toBe(a!.metadata.annotations);
    expect(c!.metadata.annotations).toBe(a!.metadata.annotations);
    expect(c!.metadata.labels).toBe(a!.metadata.labels);
    expect(c!.spec).toBe(a!.spec);
    expect(c!.status).toEqual({ replicas: 2 });
    expect(Object.isFrozen(c!.metadata.annotations)).toBe(true);
  });

  it('children are remembered by their key: the same text under another key is parsed anew', () => {
    const parser = createSyncBodyParser();
    const a = parser.parse(envelope({ G: { 'ns/a': { x: [1] } } })) as { value: { children: Record<string, Record<string, unknown>> } };
    const b = parser.parse(envelope({ G: { 'ns/b': { x: [1] } } })) as typeof a;
    expect(b.value.children.G!['ns/b']).toEqual(a.value.children.G!['ns/a']);
    expect(b.value.children.G!['ns/b']).not.toBe(a.value.children.G!['ns/a']);
  });

  it('keeps no more text than its bound, least recently used out; oversized pieces are never kept', () => {
    const parser = createSyncBodyParser(new PieceMemo(true, 4000, 1500));
    for (let i = 0; i < 50; i++) {
      const text = envelope({ G: { [`ns/c${i}`]: { pad: 'x'.repeat(300), i } } }, { metadata: { name: `rw${i}` } });
      expectLikeJsonParse(parser, text);
      expect(parser.bytes).toBeLessThanOrEqual(4000);
    }
    const sizeBefore = parser.size;
    const big = envelope({ G: { 'ns/big': { pad: 'x'.repeat(2000) } } });
    parser.parse(big);
    parser.parse(big);
    expect(parser.bytes).toBeLessThanOrEqual(4000);
    expect(parser.size).toBeLessThanOrEqual(sizeBefore + 2);
    const kept = parser.parse(envelope({ G: { 'ns/c49': { pad: 'x'.repeat(300), i: 49 } } }, { metadata: { name: 'rw49' } })) as {
      value: { children: { G: Record<string, unknown> } };
    };
    expect(kept.value.children.G['ns/c49']).toEqual({ pad: 'x'.repeat(300), i: 49 });
  });

  it('a body refused for "__proto__" leaves nothing of its own behind to reuse', () => {
    const parser = createSyncBodyParser();
    expect(parser.parse('{"children":{"G":{"k":{"spec":{"__proto__":{"polluted":1}}}}}}').protoKey).toBe(true);
    expect(parser.size).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the sync core on shared request pieces', () => {
  it.each(fixtureNames)('%s: the answer is byte-identical to the one for a JSON.parse of the body', async (name) => {
    const text = compact(name);
    const clock = fixedClock(REPLAY_NOW);
    const want = strictResponseJson((await runSync(JSON.parse(text) as SyncRequest, { clock })).response);
    const parser = createSyncBodyParser();
    // First the pieces as parsed (shared from then on, not frozen yet: the sync must leave them as they
    // were), then reused and frozen (a write would throw).
    for (let i = 0; i < 3; i++) {
      const parsed = parser.parse(text);
      if (parsed.protoKey || parsed.nonFinite) throw new Error('unexpected __proto__ or number out of range');
      const result = await runSync(parsed.value as SyncRequest, { clock });
      expect(result.outcome).not.toBe('error');
      expect(strictResponseJson(result.response)).toBe(want);
      expect(same(parsed.value, JSON.parse(text))).toBe(true);
    }
  });
});

describe('sync body parser: property', () => {
  /** A Metacontroller-shaped body whose children are drawn from a few keys, so keys repeat between bodies. */
  const value = fc.jsonValue({ maxDepth: 3 });
  const objectValue = fc.dictionary(fc.constantFrom('metadata', 'spec', 'status', 'kind', 'x'), value, { maxKeys: 4 });
  const body = fc.record({
    controller: fc.constantFrom({ metadata: { name: 'cc' } }, { metadata: { name: 'other' } }),
    parent: fc.oneof(objectValue, value),
    children: fc.dictionary(fc.constantFrom('StatefulSet.apps/v1', 'Service.v1', 'G'), fc.dictionary(fc.constantFrom('ns/a', 'ns/b', 'a', 'c'), fc.oneof(objectValue, objectValue, value), { maxKeys: 3 }), { maxKeys: 3 }),
    finalizing: fc.boolean(),
  });
  /** The text, sometimes spaced out, sometimes with one character inserted, deleted or replaced. */
  const text = fc.tuple(body, fc.nat(3), fc.nat(), fc.constantFrom('{', '}', '"', ',', ':', ' ', '\\', '1', 'x', '[', ']', 'e999')).map(([b, how, at, ch]) => {
    const t = how === 3 ? JSON.stringify(b, null, 1) : JSON.stringify(b);
    const i = at % (t.length + 1);
    if (how === 0) return t.slice(0, i) + ch + t.slice(i);
    if (how === 1) return t.slice(0, i) + t.slice(i + 1);
    if (how === 2) return t;
    return t;
  });

  it('a sequence of bodies through one parser: every answer is JSON.parse\'s', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 12 }), (texts) => {
        const parser = createSyncBodyParser(new PieceMemo(true, 2000));
        for (const t of texts) {
          const want = oracle(t);
          const got = attempt((x) => parser.parse(x), t);
          if (!same(got, want)) throw new Error(`differs for ${t}\n got ${JSON.stringify(got)}\nwant ${JSON.stringify(want)}`);
        }
      }),
      { numRuns: 400 },
    );
  });
});
