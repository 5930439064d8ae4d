import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { CUSTOMIZE_REQUEST_JSON_SCHEMA, SYNC_REQUEST_JSON_SCHEMA } from '../../src/api/envelope.js';
import { CustomizeRequestSchema, SyncRequestSchema } from '../../src/api/metacontroller.js';

/** The server validates with the plain copies; the TypeBox definitions are the source. */
describe('plain JSON envelope schemas', () => {
  it('equal the TypeBox definitions', () => {
    const plain = (s: unknown) => JSON.parse(JSON.stringify(s));
    expect(SYNC_REQUEST_JSON_SCHEMA).toEqual(plain(SyncRequestSchema));
    expect(CUSTOMIZE_REQUEST_JSON_SCHEMA).toEqual(plain(CustomizeRequestSchema));
    // toEqual ignores key order; the check must not depend on it either, but the schemas are tiny: compare text too.
    expect(JSON.stringify(SYNC_REQUEST_JSON_SCHEMA)).toBe(JSON.stringify(plain(SyncRequestSchema)));
    expect(Value.Check(SyncRequestSchema, { parent: { apiVersion: 'v1', kind: 'K', metadata: { name: 'n' } } })).toBe(true);
  });
});
