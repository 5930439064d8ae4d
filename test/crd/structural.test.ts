import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { StructuralSchemaError, toStructural } from '../../src/crd/structural.js';

describe('toStructural rewrites', () => {
  it.each([
    ['object: drops $id and additionalProperties:false, keeps required', Type.Object({ a: Type.String(), b: Type.Optional(Type.Integer()) }, { $id: 'X', additionalProperties: false }), { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a'] }],
    ['literal union -> enum', Type.Union([Type.Literal('a'), Type.Literal('b')], { default: 'a' }), { type: 'string', enum: ['a', 'b'], default: 'a' }],
    ['lone literal -> single enum', Type.Literal('v1'), { type: 'string', enum: ['v1'] }],
    ['integer literal union', Type.Union([Type.Literal(1), Type.Literal(2)]), { type: 'integer', enum: [1, 2] }],
    ['nullable', Type.Union([Type.String({ maxLength: 3 }), Type.Null()]), { type: 'string', maxLength: 3, nullable: true }],
    ['nullable literal union', Type.Union([Type.Literal('a'), Type.Null()]), { type: 'string', enum: ['a'], nullable: true }],
    ['record -> additionalProperties', Type.Record(Type.String(), Type.Integer()), { type: 'object', additionalProperties: { type: 'integer' } }],
    ['unknown -> preserve', Type.Unknown(), { 'x-kubernetes-preserve-unknown-fields': true }],
    ['any -> preserve', Type.Any(), { 'x-kubernetes-preserve-unknown-fields': true }],
    ['preserved object', Type.Object({}, { additionalProperties: true, 'x-kubernetes-preserve-unknown-fields': true }), { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }],
    ['open object without properties -> map of anything', Type.Object({}, { additionalProperties: true }), { type: 'object', additionalProperties: { 'x-kubernetes-preserve-unknown-fields': true } }],
    ['int-or-string', Type.Union([Type.Integer(), Type.String()], { 'x-kubernetes-int-or-string': true, default: '25%' }), { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], default: '25%' }],
    ['array with list-map markers', Type.Array(Type.Object({ k: Type.String() }), { maxItems: 5, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'] }), { type: 'array', maxItems: 5, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: { type: 'object', properties: { k: { type: 'string' } }, required: ['k'] } }],
    ['CEL rules pass through', Type.Object({ a: Type.Boolean() }, { 'x-kubernetes-validations': [{ rule: 'self.a', message: 'm' }] }), { type: 'object', properties: { a: { type: 'boolean' } }, required: ['a'], 'x-kubernetes-validations': [{ rule: 'self.a', message: 'm' }] }],
  ])('%s', (_name, schema, expected) => {
    expect(toStructural(schema)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const schema = Type.Object({ a: Type.Union([Type.Literal('x'), Type.Literal('y')]) }, { additionalProperties: false });
    const before = JSON.stringify(schema);
    toStructural(schema);
    expect(JSON.stringify(schema)).toBe(before);
  });
});

describe('toStructural refuses what Kubernetes cannot express, naming the path', () => {
  it.each([
    ['$ref', Type.Object({ a: Type.Ref('X') }), '.a: unsupported keyword "$ref"'],
    ['a free union', Type.Object({ a: Type.Union([Type.String(), Type.Integer()]) }), '.a: unions other than literals, int-or-string or T|null have no structural form'],
    ['a mixed literal union', Type.Union([Type.Literal('a'), Type.Literal(1)]), '<root>: literal union mixes types'],
    ['a non-catch-all pattern', Type.Record(Type.TemplateLiteral('a${string}'), Type.String()), '<root>: patternProperties other than one catch-all (a Record with string keys)'],
    ['properties plus additionalProperties:true', Type.Object({ a: Type.String() }, { additionalProperties: true }), '<root>: additionalProperties: true next to properties (mark the node x-kubernetes-preserve-unknown-fields instead)'],
    ['properties plus a value schema', Type.Object({ a: Type.String() }, { additionalProperties: Type.String() }), '<root>: additionalProperties cannot be combined with properties'],
    ['allOf (Intersect)', Type.Intersect([Type.Object({ a: Type.String() }), Type.Object({ b: Type.String() })]), '<root>: unsupported keyword "allOf"'],
    ['not', Type.Not(Type.String()), '<root>: unsupported keyword "not"'],
    ['uniqueItems', Type.Array(Type.String(), { uniqueItems: true }), '<root>: unsupported keyword "uniqueItems"'],
    ['a malformed int-or-string', Type.Union([Type.Number(), Type.String()], { 'x-kubernetes-int-or-string': true }), '<root>: x-kubernetes-int-or-string must be exactly a union of Integer and String'],
    ['numeric exclusiveMinimum', Type.Integer({ exclusiveMinimum: 0 }), '<root>: numeric exclusiveMaximum/exclusiveMinimum (use the boolean OpenAPI v3 form)'],
    ['a null type', Type.Null(), '<root>: unsupported type "null"'],
    ['a tuple', Type.Tuple([Type.String(), Type.Integer()]), '<root>: unsupported keyword "additionalItems"'],
  ])('%s', (_name, schema, message) => {
    expect(() => toStructural(schema)).toThrow(StructuralSchemaError);
    expect(() => toStructural(schema)).toThrow(message);
  });
});
