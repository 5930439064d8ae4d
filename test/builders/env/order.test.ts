import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { mergeEnv, referencesVar, sortByName, sortEnv } from '../../../src/builders/env/order.js';
import { stateStoreEnv } from '../../../src/builders/env/state-store.js';
import { metaStoreEnv } from '../../../src/builders/env/meta-store.js';
import { baseEnv } from '../../../src/builders/env/base.js';
import { rwWith } from './fixtures.js';

const v = (name: string, value = ''): IEnvVar => ({ name, value });
const names = (env: readonly IEnvVar[]) => env.map((e) => e.name);

describe('sortEnv', () => {
  it('sorts by name when nothing references anything', () => {
    expect(names(sortEnv([v('RW_B'), v('A'), v('RW_A'), v('_X'), v('a')]))).toEqual(['A', 'RW_A', 'RW_B', '_X', 'a']);
  });

  it('puts a variable before the alphabetically earlier variable that references it', () => {
    const env = sortEnv([v('OSS_REGION', 'cn-hangzhou'), v('OSS_ENDPOINT', 'https://oss-$(OSS_REGION).aliyuncs.com'), v('AWS_X')]);
    expect(names(env)).toEqual(['AWS_X', 'OSS_REGION', 'OSS_ENDPOINT']);
  });

  it('keeps alphabetical order when the reference already points backwards', () => {
    const env = sortEnv([v('RW_S3_ENDPOINT', 'https://s3.$(AWS_REGION).x'), v('AWS_REGION', 'r'), v('AWS_S3_BUCKET', 'b')]);
    expect(names(env)).toEqual(['AWS_REGION', 'AWS_S3_BUCKET', 'RW_S3_ENDPOINT']);
  });

  it('orders chains transitively and otherwise by name', () => {
    const env = sortEnv([v('A', '$(B)'), v('B', '$(C)'), v('C'), v('D'), v('AA')]);
    expect(names(env)).toEqual(['AA', 'C', 'B', 'A', 'D']);
  });

  it('ignores escaped references, self references and unknown names', () => {
    expect(names(sortEnv([v('A', '$$(B)'), v('B')]))).toEqual(['A', 'B']);
    expect(names(sortEnv([v('A', '$$$(B)'), v('B')]))).toEqual(['B', 'A']);
    expect(names(sortEnv([v('A', '$$(B) and $(B)'), v('B')]))).toEqual(['B', 'A']);
    expect(names(sortEnv([v('B', '$(B)'), v('A')]))).toEqual(['A', 'B']);
    expect(names(sortEnv([v('B', '$(NOPE)'), v('A')]))).toEqual(['A', 'B']);
  });

  it('falls back to name order inside a cycle, without losing or duplicating anything', () => {
    const env = sortEnv([v('C', '$(A)'), v('B', '$(C)'), v('A', '$(B)'), v('D', '$(A)'), v('0')]);
    expect(names(env)).toEqual(['0', 'A', 'B', 'C', 'D']);
  });

  it('still places a variable after a cycle it depends on, even if its name is smaller', () => {
    expect(names(sortEnv([v('A', '$(X)'), v('X', '$(Y)'), v('Y', '$(X)')]))).toEqual(['X', 'Y', 'A']);
  });

  it('only reads values: a valueFrom entry never depends on anything', () => {
    const env = sortEnv([{ name: 'A', valueFrom: { fieldRef: { fieldPath: '$(B)' } } }, v('B')]);
    expect(names(env)).toEqual(['A', 'B']);
  });

  it('does not modify its input', () => {
    const input = [v('B'), v('A')];
    sortEnv(input);
    expect(names(input)).toEqual(['B', 'A']);
  });

  it('orders a MinIO meta container so every reference is defined first', () => {
    const rw = rwWith({ stateStore: { minio: { endpoint: 'minio:9000', bucket: 'b', credentials: { secretName: 's' } } } });
    const env = sortEnv([...stateStoreEnv(rw, { includeStoreUrl: true }), ...baseEnv('INFO', false, undefined)]);
    expect(names(env)).toEqual([
      'MINIO_BUCKET',
      'MINIO_ENDPOINT',
      'MINIO_PASSWORD',
      'MINIO_USERNAME',
      'POD_IP',
      'POD_NAME',
      'POD_NAMESPACE',
      'RUST_BACKTRACE',
      'RUST_LOG',
      'RUST_MIN_STACK',
      'RW_DATA_DIRECTORY',
      'RW_STATE_STORE',
    ]);
  });

  it('orders S3-compatible and legacy SQL env so expansions resolve', () => {
    const rw = rwWith({
      stateStore: { s3: { bucket: 'b', endpoint: '${BUCKET}.s3.${REGION}.example.com', credentials: { secretName: 's' } } },
      metaStore: { postgresql: { host: 'pg', database: 'd', credentials: { secretName: 'pg' } } },
    });
    const env = sortEnv([...stateStoreEnv(rw, { includeStoreUrl: true }), ...metaStoreEnv(rw, 'v1.9.0')]);
    expect(names(env)).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_EC2_METADATA_DISABLED',
      'AWS_REGION',
      'AWS_S3_BUCKET',
      'AWS_SECRET_ACCESS_KEY',
      'RW_BACKEND',
      'RW_DATA_DIRECTORY',
      'RW_POSTGRES_PASSWORD',
      'RW_POSTGRES_USERNAME',
      'RW_S3_ENDPOINT',
      'RW_SQL_ENDPOINT',
      'RW_SQL_PASSWORD',
      'RW_SQL_USERNAME',
      'RW_STATE_STORE',
    ]);
  });
});

describe('sortEnv properties', () => {
  // Few names, so references mostly hit defined variables and cycles are common.
  const nameArb = fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G');
  const refArb = fc.record({ name: nameArb, escaped: fc.integer({ min: 0, max: 9 }).map((n) => n < 2) });
  const envArb = fc
    .uniqueArray(fc.record({ name: nameArb, refs: fc.array(refArb, { maxLength: 2 }) }), {
      selector: (e) => e.name,
      maxLength: 7,
    })
    .map((items) => items.map((i) => v(i.name, i.refs.map((r) => `${r.escaped ? '$' : ''}$(${r.name})`).join('/'))));

  it('is a permutation, deterministic under input order, and defines every reference outside a cycle first', () => {
    fc.assert(
      fc.property(envArb, fc.integer(), (env, seed) => {
        const sorted = sortEnv(env);
        expect([...names(sorted)].sort()).toEqual([...names(env)].sort());

        const shuffled = [...env].sort((a, b) => ((a.name.charCodeAt(0) * seed) % 7) - ((b.name.charCodeAt(0) * seed) % 7));
        expect(sortEnv(shuffled)).toEqual(sorted);

        const position = new Map(sorted.map((e, i) => [e.name, i]));
        const edges = env.flatMap((e) =>
          env.filter((d) => d.name !== e.name && referencesVar(e.value, d.name)).map((d) => [d.name, e.name] as const),
        );
        const reachable = (from: string, to: string): boolean => {
          const seen = new Set<string>();
          const stack = [from];
          while (stack.length) {
            const cur = stack.pop()!;
            for (const [a, b] of edges) {
              if (a !== cur || seen.has(b)) continue;
              if (b === to) return true;
              seen.add(b);
              stack.push(b);
            }
          }
          return false;
        };
        for (const [dep, user] of edges) {
          const inCycle = reachable(user, dep);
          if (!inCycle) expect(position.get(dep)!).toBeLessThan(position.get(user)!);
        }
        if (edges.length === 0) expect(names(sorted)).toEqual([...names(env)].sort());
      }),
      { numRuns: 500 },
    );
  });
});

describe('mergeEnv', () => {
  it('lets later layers replace earlier ones by name and keeps everything else', () => {
    const defaults = [v('RW_LISTEN_ADDR', '0.0.0.0:5688'), v('RW_PARALLELISM', '8'), v('RUST_LOG', 'x')];
    const user = [v('RW_PARALLELISM', '4'), v('MY_VAR', '1'), v('RUST_LOG', 'user'), v('AWS_REGION', 'user')];
    const store = [v('AWS_REGION', 'us-east-1')];
    const base = [v('RUST_LOG', 'INFO')];
    const merged = mergeEnv(defaults, user, store, base);
    expect(Object.fromEntries(merged.map((e) => [e.name, e.value]))).toEqual({
      RW_LISTEN_ADDR: '0.0.0.0:5688',
      RW_PARALLELISM: '4',
      RUST_LOG: 'INFO',
      MY_VAR: '1',
      AWS_REGION: 'us-east-1',
    });
    expect(merged).toHaveLength(5);
  });

  it('replaces a value entry with a valueFrom entry whole', () => {
    const merged = mergeEnv([v('X', '1')], [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]);
    expect(merged).toStrictEqual([{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]);
  });

  it('merges nothing to nothing', () => {
    expect(mergeEnv()).toEqual([]);
    expect(mergeEnv([], [])).toEqual([]);
  });
});

describe('sortByName', () => {
  it('sorts volumes, mounts and devices by name without touching the input', () => {
    const volumes = [{ name: 'risingwave-config' }, { name: 'license' }, { name: 'data' }, { name: 'risingwave-tls' }];
    expect(sortByName(volumes).map((x) => x.name)).toEqual(['data', 'license', 'risingwave-config', 'risingwave-tls']);
    expect(volumes[0]!.name).toBe('risingwave-config');
  });
});
