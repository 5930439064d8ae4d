// One version everywhere a release names it: package.json, the image tag kustomize installs, the chart's version
// and appVersion (its default image tag), the label the hook stamps on children, and the image name the release
// workflow pushes.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_HOOK_OPTIONS } from '../../src/reactions/context.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
type Obj = Record<string, any>;
const yaml = (path: string) => parse(readFileSync(join(ROOT, path), 'utf8')) as Obj;

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const kustomizeImage = (yaml('metacontroller/base/kustomization.yaml').images as Obj[])[0]!;
const chart = yaml('charts/risingwave-hook/Chart.yaml');
const values = yaml('charts/risingwave-hook/values.yaml');
const releaseImage = yaml('.github/workflows/release.yml').env.IMAGE as string;

describe('versions agree', () => {
  it.each([
    ['kustomize image tag (metacontroller/base/kustomization.yaml)', kustomizeImage.newTag],
    ['chart appVersion', chart.appVersion],
    ['chart version', chart.version],
    ['chart default image tag (empty = appVersion)', values.image.tag || chart.appVersion],
    ['OPERATOR_VERSION default', DEFAULT_HOOK_OPTIONS.operatorVersion.replace(/^metacontroller-hook-v/, '')],
  ])('%s = package.json version', (_what, v) => expect(v).toBe(version));

  it('one image name: kustomize, the chart and the release workflow', () => {
    expect(kustomizeImage.name).toBe(releaseImage);
    expect(values.image.repository).toBe(releaseImage);
    expect(values.image.digest).toBe('');
  });
});
