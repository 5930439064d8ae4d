import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compareSemver,
  imageTag,
  isNightlyAfter,
  parseSemver,
  passesLicenseAsFile,
  standaloneUsesSingleNode,
  usesLegacyMetaStoreEnv,
} from '../../src/builders/image.js';

describe('imageTag', () => {
  it.each([
    ['risingwavelabs/risingwave:v2.1.0', 'v2.1.0'],
    ['risingwave:v1.9.0', 'v1.9.0'],
    ['risingwavelabs/risingwave', 'latest'],
    ['localhost:5000/risingwave', 'latest'],
    ['localhost:5000/rw/risingwave:nightly-2024-01-02', 'nightly-2024-01-02'],
    ['ghcr.io/risingwavelabs/risingwave:v2.0.3@sha256:0123abcd', 'v2.0.3'],
    ['ghcr.io/risingwavelabs/risingwave@sha256:0123abcd', 'latest'],
    ['risingwave:', ''],
    ['', ''],
  ])('%s -> %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });
});

describe('parseSemver (golang.org/x/mod/semver rules)', () => {
  it.each([
    ['v1.10.1', { major: '1', minor: '10', patch: '1', prerelease: [], build: '' }],
    ['v2.0.0-rc.1+build.5', { major: '2', minor: '0', patch: '0', prerelease: ['rc', '1'], build: 'build.5' }],
    ['v1', { major: '1', minor: '0', patch: '0', prerelease: [], build: '' }],
    ['v1.2', { major: '1', minor: '2', patch: '0', prerelease: [], build: '' }],
  ])('parses %s', (tag, parsed) => {
    expect(parseSemver(tag)).toEqual(parsed);
  });

  it.each(['1.10.1', 'latest', 'v01.1.1', 'v1.01.1', 'v1.2-rc1', 'v1.2.3-01', 'v1.2.3-', 'v1.2.3+', 'v1.2.3.4', 'v1.2.3-a..b', 'nightly-2023-08-01', ''])(
    'rejects %s',
    (tag) => {
      expect(parseSemver(tag)).toBeUndefined();
    },
  );

  it.each([
    ['v1.10.1', 'v1.9.9', 1],
    ['v1.10.0', 'v1.10.1', -1],
    ['v1.10.1-rc.1', 'v1.10.1', -1],
    ['v1.10.1-alpha', 'v1.10.1-alpha.1', -1],
    ['v1.10.1-alpha.2', 'v1.10.1-alpha.10', -1],
    ['v1.10.1-1', 'v1.10.1-alpha', -1],
    ['v1.10.1+a', 'v1.10.1+b', 0],
    ['v1', 'v1.0.0', 0],
    ['v10.0.0', 'v9.99.99', 1],
    ['latest', 'v0.0.1', -1],
    ['latest', 'nightly', 0],
  ])('compare(%s, %s) = %d', (a, b, c) => {
    expect(compareSemver(a, b)).toBe(c);
    expect(compareSemver(b, a)).toBe(-c || 0);
  });
});

describe('nightly dates', () => {
  it.each([
    ['nightly-2023-07-15', true],
    ['nightly-2023-07-14', false],
    ['nightly-2023-07-13', false],
    ['nightly-2024-02-29', true],
    ['nightly-2023-02-29', false], // not a calendar day: Go's time.Parse fails
    ['nightly-2023-13-01', false],
    ['nightly-2023-7-15', false], // Go's "01" layout needs two digits
    ['nightly-20230715', false],
    ['nightly-2023-07-15-amd64', false],
    ['v2.0.0', false],
  ])('%s after 2023-07-14: %s', (tag, after) => {
    expect(isNightlyAfter(tag, 2023, 7, 14)).toBe(after);
  });
});

describe('usesLegacyMetaStoreEnv', () => {
  it.each([
    ['v1.9.0', true],
    ['v1.10.0', true],
    ['v1.10.1-rc.1', true],
    ['v1.10.1', false],
    ['v1.11.0', false],
    ['v2.1.0', false],
    ['v1.10', true], // shorthand for v1.10.0
    ['latest', true],
    ['1.10.1', true], // no leading v: not semver for Go
    ['nightly-2023-07-14', true],
    ['nightly-2023-07-15', false],
    ['nightly-2024-06-01', false],
  ])('%s -> %s', (tag, legacy) => {
    expect(usesLegacyMetaStoreEnv(tag)).toBe(legacy);
  });
});

describe('passesLicenseAsFile', () => {
  it.each([
    ['v2.0.3', undefined, false],
    ['v2.0.0-rc.1', undefined, false],
    ['v1.10.1', undefined, false],
    ['v0.19.0', undefined, false],
    ['v2.1.0', undefined, true],
    ['v2.10.0', undefined, true],
    ['v3.0.3', undefined, true],
    ['latest', undefined, true],
    ['nightly-2024-06-01', undefined, true],
    ['v2.0.3', true, true],
    ['v2.0.3', false, false],
    // An explicit false wins over the tag too, as in the operator: RW_LICENSE_KEY on a v2.1 image.
    ['v2.1.0', false, false],
    ['latest', false, false],
  ])('%s passAsFile=%s -> %s', (tag, passAsFile, file) => {
    expect(passesLicenseAsFile(tag, passAsFile)).toBe(file);
  });
});

describe('standaloneUsesSingleNode', () => {
  it.each([
    ['v1.3.0', 0, false],
    ['v1.7.2', 0, false],
    ['v1.8.0', 0, true],
    ['v1.2.0', 0, true],
    ['v1.30.0', 0, true],
    ['v2.1.0', 0, true],
    ['latest', 0, true],
    ['v2.1.0', 1, false],
    ['v1.5.0', 2, true],
    ['v2.1.0', 7, false],
  ])('%s mode %d -> %s', (tag, mode, singleNode) => {
    expect(standaloneUsesSingleNode(tag, mode)).toBe(singleNode);
  });
});

describe('properties', () => {
  const semverArb = fc
    .tuple(fc.nat(30), fc.nat(30), fc.nat(30), fc.option(fc.constantFrom('rc.1', 'rc.2', 'alpha', '1'), { nil: undefined }))
    .map(([a, b, c, pre]) => `v${a}.${b}.${c}${pre ? `-${pre}` : ''}`);

  it('compareSemver is antisymmetric and agrees with numeric order on releases', () => {
    fc.assert(
      fc.property(semverArb, semverArb, (a, b) => {
        expect(compareSemver(a, b)).toBe(-compareSemver(b, a) || 0);
        if (!a.includes('-') && !b.includes('-')) {
          const na = a.slice(1).split('.').map(Number);
          const nb = b.slice(1).split('.').map(Number);
          const expected = Math.sign(na[0]! - nb[0]! || na[1]! - nb[1]! || na[2]! - nb[2]!);
          expect(compareSemver(a, b)).toBe(expected);
        }
      }),
    );
  });

  it('imageTag never contains a slash or an @', () => {
    fc.assert(
      fc.property(fc.string(), (image) => {
        const tag = imageTag(image);
        expect(tag.includes('/') || tag.includes('@')).toBe(false);
      }),
    );
  });
});
