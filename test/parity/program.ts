import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The parity program built by build.sh (operator v0.17.2's own code, kube-apiserver v1.36.3's defaulting). */
export interface ParityProgram {
  readonly dir: string;
  readonly bin: string;
  readonly crd: string;
  readonly manifests: string;
}

export function buildProgram(): ParityProgram {
  const out = execFileSync('bash', [resolve(import.meta.dirname, 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const dir = out.trim().split('\n').at(-1)!;
  return { dir, bin: `${dir}/bin/parity`, crd: `${dir}/crd/risingwaves.yaml`, manifests: `${dir}/manifests` };
}

function run(program: ParityProgram, args: string[], input: unknown[]): unknown[] {
  const r = spawnSync(program.bin, args, { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`parity ${args[0]} exited ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as unknown[];
  if (out.length !== input.length) throw new Error(`parity ${args[0]}: ${out.length} results for ${input.length} inputs`);
  return out;
}

export type OperatorResult = { objects: Record<string, unknown>[]; rejected?: undefined } | { rejected: string; stage: string; objects?: undefined };

/** What the operator creates for each RisingWave, or why the API server / its webhook refuses it. One process for all. */
export function operatorRender(program: ParityProgram, parents: readonly unknown[]): OperatorResult[] {
  return run(program, ['operator', program.crd], [...parents]) as OperatorResult[];
}

export interface Stored {
  readonly object: Record<string, unknown>;
  /** Why kube-apiserver would refuse to create it (its create strategy's validation), if it would. */
  readonly invalid?: string;
}

/** Each object as kube-apiserver v1.36.3 would store it (defaults, disabled-gate fields dropped). */
export function apiServerStore(program: ParityProgram, objects: readonly unknown[]): Stored[] {
  return run(program, ['default'], [...objects]) as Stored[];
}
