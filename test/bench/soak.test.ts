import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../support/built.js';

/**
 * A short run of the soak (bench/soak.mjs) against the built server, so the script cannot rot between the
 * full runs that fill BENCHMARKS.md. It writes to a temporary report, never BENCHMARKS.md.
 */
const SOAK = join(ROOT, 'bench/soak.mjs');

beforeAll(ensureBuilt, 180_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  report: string;
}

function soak(env: Record<string, string>): Promise<Run> {
  const report = join(mkdtempSync(join(tmpdir(), 'rw-soak-')), 'BENCHMARKS.md');
  writeFileSync(report, '# Benchmarks\n\nabove\n\n<!-- soak:start -->\nan older soak\n<!-- soak:end -->\n\nbelow\n');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SOAK],
      { cwd: ROOT, env: { ...process.env, SOAK_REPORT: report, SOAK_SAMPLE_SECONDS: '0.5', ...env }, maxBuffer: 16 * 2 ** 20 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr, report: readFileSync(report, 'utf8') }),
    );
  });
}

function verdict(stdout: string): Record<string, unknown> {
  const line = stdout.split('\n').find((l) => l.startsWith('soak: '));
  expect(line, stdout).toBeDefined();
  return JSON.parse(line!.slice('soak: '.length)) as Record<string, unknown>;
}

describe('bench/soak.mjs', () => {
  it('runs a short soak: every answer as expected, zero 5xx, its section replaced and the rest of the report kept', async () => {
    const run = await soak({ SOAK_REQUESTS: '2000', SOAK_CONCURRENCY: '5' });
    expect(run.code, run.stderr).toBe(0);
    expect(verdict(run.stdout)).toMatchObject({
      requests: 2000,
      fiveXX: 0,
      connectionErrors: 0,
      mismatches: 0,
      errorLogLines: 0,
      cleanShutdown: true,
      ok: true,
    });
    expect(run.report.startsWith('# Benchmarks\n\nabove\n\n<!-- soak:start -->\n## Soak\n')).toBe(true);
    expect(run.report.endsWith('<!-- soak:end -->\n\nbelow\n')).toBe(true);
    expect(run.report).not.toContain('an older soak');
    expect(run.report).toContain('| zero 5xx | yes | 0 |');
    // Every kind of request has its latency row, and 2000 requests are all accounted for.
    const rows = run.report.split('\n').filter((l) => /^\| (sync|customize|finalize|invalid|malformed|wrong|oversized|unknown|GET)/.test(l));
    expect(rows).toHaveLength(15);
    const counted = rows.reduce((s, l) => s + Number(l.split('|')[3]!.trim()), 0);
    expect(counted).toBe(2000);
    // A short run is mostly warm-up: memory growth is shown but not judged.
    expect(run.report).toMatch(/RSS: not judged: \d+ samples/);
  }, 90_000);

  it('fails when the hook answers otherwise than expected (here: every sync body over a 1 KiB BODY_LIMIT)', async () => {
    const run = await soak({ SOAK_REQUESTS: '100', BODY_LIMIT: '1024' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('preflight: sync typical (unique): status 413, expected 200');
    expect(run.report).toContain('an older soak');
  }, 60_000);
});
