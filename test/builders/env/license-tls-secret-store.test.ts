import { describe, expect, it } from 'vitest';
import { licenseParts } from '../../../src/builders/env/license.js';
import { tlsParts } from '../../../src/builders/env/tls.js';
import { secretStoreEnv } from '../../../src/builders/env/secret-store.js';
import { expectValid, rwWith } from './fixtures.js';

describe('licenseParts', () => {
  const fileForm = (secretName: string, key: string) => ({
    env: [{ name: 'RW_LICENSE_KEY_PATH', value: '/license/license.jwt' }],
    volumes: [{ name: 'license', secret: { secretName, items: [{ key, path: 'license.jwt' }], defaultMode: 420 } }],
    volumeMounts: [{ name: 'license', mountPath: '/license', readOnly: true }],
  });
  const envForm = (secretName: string, key: string) => ({
    env: [{ name: 'RW_LICENSE_KEY', valueFrom: { secretKeyRef: { name: secretName, key } } }],
    volumes: [],
    volumeMounts: [],
  });

  it.each([
    ['v2.0.3', {}, envForm('lic', 'licenseKey')],
    ['v1.10.1', { secretKey: 'k' }, envForm('lic', 'k')],
    ['v2.1.0', {}, fileForm('lic', 'licenseKey')],
    ['v3.0.3', { secretKey: 'jwt' }, fileForm('lic', 'jwt')],
    ['latest', {}, fileForm('lic', 'licenseKey')],
    ['v2.0.3', { passAsFile: true }, fileForm('lic', 'licenseKey')],
    ['v2.1.0', { passAsFile: false }, envForm('lic', 'licenseKey')],
  ])('%s %j', (tag, extra, expected) => {
    const parts = licenseParts(rwWith({ licenseKey: { secretName: 'lic', ...extra } }), tag);
    expect(parts).toStrictEqual(expected);
    expectValid(parts.env, parts.volumes, parts.volumeMounts);
  });

  it.each([[{}], [{ licenseKey: {} }], [{ licenseKey: { secretName: '', passAsFile: true } }]])(
    'adds nothing without a secret name: %j',
    (spec) => {
      expect(licenseParts(rwWith(spec), 'v2.1.0')).toStrictEqual({ env: [], volumes: [], volumeMounts: [] });
    },
  );
});

describe('tlsParts', () => {
  it('mounts the Secret and passes the file paths', () => {
    const parts = tlsParts(rwWith({ tls: { secretName: 'rw-tls' } }));
    expect(parts).toStrictEqual({
      env: [
        { name: 'RW_SSL_KEY', value: '/risingwave/tls/tls.key' },
        { name: 'RW_SSL_CERT', value: '/risingwave/tls/tls.crt' },
      ],
      volumes: [{ name: 'risingwave-tls', secret: { secretName: 'rw-tls', defaultMode: 420 } }],
      volumeMounts: [{ name: 'risingwave-tls', mountPath: '/risingwave/tls', readOnly: true }],
    });
    expectValid(parts.env, parts.volumes, parts.volumeMounts);
  });

  it.each([[{}], [{ tls: {} }], [{ tls: { secretName: '' } }]])('adds nothing when %j', (spec) => {
    expect(tlsParts(rwWith(spec))).toStrictEqual({ env: [], volumes: [], volumeMounts: [] });
  });
});

describe('secretStoreEnv', () => {
  it('takes the value', () => {
    const env = secretStoreEnv(rwWith({ secretStore: { privateKey: { value: '0123456789abcdef0123456789abcdef' } } }));
    expect(env).toStrictEqual([{ name: 'RW_SECRET_STORE_PRIVATE_KEY_HEX', value: '0123456789abcdef0123456789abcdef' }]);
    expectValid(env);
  });

  it('takes a Secret reference', () => {
    const env = secretStoreEnv(rwWith({ secretStore: { privateKey: { secretRef: { name: 'ss', key: 'hex' } } } }));
    expect(env).toStrictEqual([
      { name: 'RW_SECRET_STORE_PRIVATE_KEY_HEX', valueFrom: { secretKeyRef: { name: 'ss', key: 'hex' } } },
    ]);
    expectValid(env);
  });

  it.each([[{}], [{ secretStore: {} }], [{ secretStore: { privateKey: {} } }]])('adds nothing when %j', (spec) => {
    expect(secretStoreEnv(rwWith(spec))).toStrictEqual([]);
  });
});
