import { describe, expect, it } from 'vitest';
import {
  formatConnectionOptions,
  goQueryEscape,
  metaStoreBackendName,
  metaStoreEnv,
} from '../../../src/builders/env/meta-store.js';
import { envMap, expectValid, rwWith, secretRef } from './fixtures.js';

const pg = {
  host: 'pg.db.svc',
  database: 'risingwave',
  credentials: { secretName: 'pg-creds' },
};
const pgCreds = {
  RW_POSTGRES_USERNAME: secretRef('pg-creds', 'username'),
  RW_POSTGRES_PASSWORD: secretRef('pg-creds', 'password'),
  RW_SQL_USERNAME: secretRef('pg-creds', 'username'),
  RW_SQL_PASSWORD: secretRef('pg-creds', 'password'),
};
const mysql = {
  host: 'mysql',
  port: 3307,
  database: 'rw',
  options: { tls: 'true', charset: 'utf8mb4' },
  credentials: { secretName: 'my', usernameKeyRef: 'u', passwordKeyRef: 'p' },
};
const mysqlCreds = {
  RW_MYSQL_USERNAME: secretRef('my', 'u'),
  RW_MYSQL_PASSWORD: secretRef('my', 'p'),
  RW_SQL_USERNAME: secretRef('my', 'u'),
  RW_SQL_PASSWORD: secretRef('my', 'p'),
};

interface Case {
  name: string;
  metaStore: Record<string, unknown>;
  tag: string;
  backend: string;
  env: Record<string, unknown>;
}

const cases: Case[] = [
  { name: 'memory', metaStore: { memory: true }, tag: 'v2.1.0', backend: 'Memory', env: { RW_BACKEND: 'mem' } },
  {
    name: 'etcd without credentials',
    metaStore: { etcd: { endpoint: 'etcd:2388' } },
    tag: 'v1.9.0',
    backend: 'Etcd',
    env: { RW_BACKEND: 'etcd', RW_ETCD_ENDPOINTS: 'etcd:2388' },
  },
  {
    name: 'etcd with credentials',
    metaStore: { etcd: { endpoint: 'etcd-0:2379,etcd-1:2379', credentials: { secretName: 'etcd' } } },
    tag: 'v1.9.0',
    backend: 'Etcd',
    env: {
      RW_BACKEND: 'etcd',
      RW_ETCD_ENDPOINTS: 'etcd-0:2379,etcd-1:2379',
      RW_ETCD_AUTH: 'true',
      ETCD_USERNAME: secretRef('etcd', 'username'),
      ETCD_PASSWORD: secretRef('etcd', 'password'),
      RW_ETCD_USERNAME: secretRef('etcd', 'username'),
      RW_ETCD_PASSWORD: secretRef('etcd', 'password'),
    },
  },
  {
    name: 'sqlite, modern',
    metaStore: { sqlite: { path: '/data/meta.db' } },
    tag: 'v1.10.1',
    backend: 'SQLite',
    env: { RW_BACKEND: 'sqlite', RW_SQL_ENDPOINT: '/data/meta.db' },
  },
  {
    name: 'sqlite, legacy (v1.9.0)',
    metaStore: { sqlite: { path: '/data/meta.db' } },
    tag: 'v1.9.0',
    backend: 'SQLite',
    env: { RW_BACKEND: 'sql', RW_SQL_ENDPOINT: 'sqlite:///data/meta.db?mode=rwc' },
  },
  {
    name: 'postgresql, modern, default port, no options',
    metaStore: { postgresql: pg },
    tag: 'v1.10.1',
    backend: 'PostgreSQL',
    env: { RW_BACKEND: 'postgres', RW_SQL_ENDPOINT: 'pg.db.svc:5432', RW_SQL_DATABASE: 'risingwave', ...pgCreds },
  },
  {
    name: 'postgresql, modern, options sorted and encoded',
    metaStore: { postgresql: { ...pg, options: { sslmode: 'verify-full', application_name: 'rw meta' } } },
    tag: 'v2.1.0',
    backend: 'PostgreSQL',
    env: {
      RW_BACKEND: 'postgres',
      RW_SQL_ENDPOINT: 'pg.db.svc:5432?application_name=rw+meta&sslmode=verify-full',
      RW_SQL_DATABASE: 'risingwave',
      ...pgCreds,
    },
  },
  {
    name: 'postgresql, legacy (v1.9.0)',
    metaStore: { postgresql: { ...pg, options: { sslmode: 'disable' } } },
    tag: 'v1.9.0',
    backend: 'PostgreSQL',
    env: {
      RW_BACKEND: 'sql',
      RW_SQL_ENDPOINT: 'postgres://$(RW_POSTGRES_USERNAME):$(RW_POSTGRES_PASSWORD)@pg.db.svc:5432/risingwave?sslmode=disable',
      ...pgCreds,
    },
  },
  {
    name: 'postgresql, legacy for latest',
    metaStore: { postgresql: pg },
    tag: 'latest',
    backend: 'PostgreSQL',
    env: {
      RW_BACKEND: 'sql',
      RW_SQL_ENDPOINT: 'postgres://$(RW_POSTGRES_USERNAME):$(RW_POSTGRES_PASSWORD)@pg.db.svc:5432/risingwave',
      ...pgCreds,
    },
  },
  {
    name: 'postgresql, modern for a nightly after 2023-07-14',
    metaStore: { postgresql: pg },
    tag: 'nightly-2023-07-15',
    backend: 'PostgreSQL',
    env: { RW_BACKEND: 'postgres', RW_SQL_ENDPOINT: 'pg.db.svc:5432', RW_SQL_DATABASE: 'risingwave', ...pgCreds },
  },
  {
    name: 'postgresql, legacy for the nightly of 2023-07-14',
    metaStore: { postgresql: pg },
    tag: 'nightly-2023-07-14',
    backend: 'PostgreSQL',
    env: {
      RW_BACKEND: 'sql',
      RW_SQL_ENDPOINT: 'postgres://$(RW_POSTGRES_USERNAME):$(RW_POSTGRES_PASSWORD)@pg.db.svc:5432/risingwave',
      ...pgCreds,
    },
  },
  {
    name: 'mysql, modern',
    metaStore: { mysql },
    tag: 'v1.10.1',
    backend: 'MySQL',
    env: {
      RW_BACKEND: 'mysql',
      RW_SQL_ENDPOINT: 'mysql:3307?charset=utf8mb4&tls=true',
      RW_SQL_DATABASE: 'rw',
      ...mysqlCreds,
    },
  },
  {
    name: 'mysql, legacy',
    metaStore: { mysql },
    tag: 'v1.10.0',
    backend: 'MySQL',
    env: {
      RW_BACKEND: 'sql',
      RW_SQL_ENDPOINT: 'mysql://$(RW_MYSQL_USERNAME):$(RW_MYSQL_PASSWORD)@mysql:3307/rw?charset=utf8mb4&tls=true',
      ...mysqlCreds,
    },
  },
];

describe.each(cases)('$name ($tag)', (c) => {
  const rw = rwWith({ metaStore: c.metaStore });
  it('builds the exact env', () => {
    const env = metaStoreEnv(rw, c.tag);
    expect(envMap(env)).toEqual(c.env);
    expect(env).toHaveLength(Object.keys(c.env).length);
    expectValid(env);
  });
  it('reports the backend', () => {
    expect(metaStoreBackendName(rw)).toBe(c.backend);
  });
});

describe('no backend', () => {
  it('is Unknown and refuses to build env', () => {
    const rw = rwWith({ metaStore: { memory: false } });
    expect(metaStoreBackendName(rw)).toBe('Unknown');
    expect(() => metaStoreEnv(rw, 'v2.1.0')).toThrow(/no meta store backend/);
  });
});

describe('Go url.Values.Encode parity', () => {
  it.each([
    ['a b', 'a+b'],
    ['x~y', 'x~y'], // unreserved in Go, escaped by URLSearchParams
    ["*!'()", '%2A%21%27%28%29'], // escaped in Go, literal in encodeURIComponent
    ['/:@&=+?#', '%2F%3A%40%26%3D%2B%3F%23'],
    ['é', '%C3%A9'],
  ])('QueryEscape(%j) = %s', (input, expected) => {
    expect(goQueryEscape(input)).toBe(expected);
  });

  it('sorts keys and omits the "?" without options', () => {
    expect(formatConnectionOptions({ b: '2', a: '1', C: '3' })).toBe('?C=3&a=1&b=2');
    expect(formatConnectionOptions({})).toBe('');
    expect(formatConnectionOptions(undefined)).toBe('');
  });
});
