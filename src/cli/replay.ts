import { createCaches, type Caches } from '../cache/caches.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { SyncRequestSchema, type SyncRequest, type SyncResponse } from '../api/metacontroller.js';
import { loadSettings, SettingsError } from '../server/config.js';
import type { HookOptions } from '../reactions/context.js';
import { REQUEST_SUFFIX, RESPONSE_SUFFIX } from '../server/recorder.js';
import { strictResponse } from '../server/response.js';
import { unifiedDiff } from './diff.js';
import { parseFlags } from './flags.js';
import { CliError, UsageError, type CliIO } from './io.js';
import { isRecord } from '../kube/records.js';

export const REPLAY_HELP = `Usage: rw-hook replay PATH... [--url URL [--token TOKEN]] [--now TIME] [-v]

Sends recorded sync requests again and compares the answers with the recorded ones. PATH is a request file
(*${REQUEST_SUFFIX}, or any JSON with a "parent") or a folder, whose *.json files (not *${RESPONSE_SUFFIX})
are replayed in name order. When <name>${RESPONSE_SUFFIX} lies beside <name>${REQUEST_SUFFIX}, the answer is
compared with it. A summary goes to stderr: one line per request (ok, DIFF with a unified diff, FAIL, done
when there was nothing to compare with) and the counts; -v also prints each response as JSON on stdout.

Without --url the request runs in-process through the same core as the server, with ROLLOUT_DEADLINE_SECONDS
and OPERATOR_VERSION from the environment. The clock is --now if given, else the request file's modification
time: the recorder (RECORD_DIR) stamps each pair with the time its sync ran, so a condition that changed in
that sync gets the same lastTransitionTime again. Copy recordings with their times (cp -p, tar) or pass --now.
With --url the server's own clock applies.

Options:
  --url URL       POST to URL/sync instead of running in-process
  --token TOKEN   bearer token for --url (default: $AUTH_TOKEN)
  --now TIME      RFC 3339 time the in-process sync sees
  -v, --verbose   print each replayed response on stdout too
  -h, --help      this help

Exit 0 when every replayed response equals its recorded one, 1 on any difference or failure, 2 on wrong usage.
`;

export async function replayCommand(args: string[], io: CliIO): Promise<number> {
  const { values: flags, positionals } = parseFlags(args, REPLAY_FLAGS);
  const values = flags as { url?: string; token?: string; now?: string; verbose?: boolean; help?: boolean };
  if (values.help) {
    io.stdout.write(REPLAY_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('expects at least one PATH');
  let now: Date | undefined;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an RFC 3339 time, got ${JSON.stringify(values.now)}`);
  }
  const send = values.url !== undefined ? viaHttp(values.url, values.token ?? io.env.AUTH_TOKEN) : inProcess(io, now);

  const files = await requestFiles(positionals);
  let differ = 0;
  let failed = 0;
  let matched = 0;
  let uncompared = 0;
  for (const { path, explicit } of files) {
    let request: unknown;
    try {
      request = await readJson(path);
    } catch (err) {
      io.stderr.write(`FAIL ${(err as Error).message}\n`);
      failed++;
      continue;
    }
    if (!isRecord(request) || !isRecord(request.parent)) {
      if (explicit) {
        io.stderr.write(`FAIL ${path}: not a sync request (no "parent" object)\n`);
        failed++;
      }
      continue;
    }
    let response: SyncResponse;
    try {
      response = await send(request, path);
    } catch (err) {
      io.stderr.write(`FAIL ${path}: ${(err as Error).message}\n`);
      failed++;
      continue;
    }
    const replayed = pretty(response);
    if (values.verbose) io.stdout.write(replayed);
    const recordedPath = path.endsWith(REQUEST_SUFFIX) ? path.slice(0, -REQUEST_SUFFIX.length) + RESPONSE_SUFFIX : undefined;
    const recorded = recordedPath ? await readJson(recordedPath, true) : undefined;
    if (recorded === undefined) {
      io.stderr.write(`done ${path} (no recorded response to compare)\n`);
      uncompared++;
      continue;
    }
    const diff = unifiedDiff(pretty(recorded), replayed, { before: `${recordedPath} (recorded)`, after: `${basename(path)} (replayed)` });
    if (diff === '') {
      matched++;
      io.stderr.write(`ok   ${path}\n`);
    } else {
      differ++;
      io.stderr.write(`DIFF ${path}\n${diff}`);
    }
  }
  const total = matched + differ + failed + uncompared;
  if (total === 0) throw new CliError(`no sync requests found in ${positionals.join(', ')}`);
  const notCompared = uncompared > 0 ? `, ${uncompared} not compared` : '';
  io.stderr.write(`replay: ${matched} matched, ${differ} differ, ${failed} failed${notCompared}\n`);
  return differ + failed > 0 ? 1 : 0;
}

type Send = (request: Record<string, unknown>, path: string) => Promise<SyncResponse>;

function inProcess(io: CliIO, now: Date | undefined): Send {
  let options: HookOptions;
  let caches: Caches;
  try {
    const s = loadSettings(io.env);
    options = { rolloutDeadlineSeconds: s.rolloutDeadlineSeconds, operatorVersion: s.operatorVersion, maxUnavailableStatefulSet: s.maxUnavailableStatefulSet };
    // One set for the whole run, as the server has: later requests share what earlier ones built (CACHE=off: nothing).
    caches = createCaches({ enabled: s.cache });
  } catch (err) {
    throw err instanceof SettingsError ? new UsageError(err.message) : err;
  }
  return async (request, path) => {
    const error = Value.Errors(SyncRequestSchema, request).First();
    if (error) throw new Error(`the server would answer 400: body${error.path} ${error.message}`);
    const at = now ?? (await stat(path)).mtime;
    const { runSync } = await import('../controller/sync.js');
    const result = await runSync(request as SyncRequest, { clock: { now: () => new Date(at.getTime()) }, options, caches });
    // The server's body is JSON text; a round trip drops what JSON cannot carry (undefined fields), as it does.
    return JSON.parse(JSON.stringify(strictResponse(result.response))) as SyncResponse;
  };
}

function viaHttp(url: string, token: string | undefined): Send {
  const target = `${url.replace(/\/+$/, '')}/sync`;
  return async (request) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(target, { method: 'POST', headers, body: JSON.stringify(request) });
    } catch (err) {
      throw new Error(`POST ${target}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
    }
    const text = await res.text();
    if (res.status !== 200) throw new Error(`POST ${target} answered ${res.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as SyncResponse;
  };
}

async function requestFiles(paths: string[]): Promise<Array<{ path: string; explicit: boolean }>> {
  const out: Array<{ path: string; explicit: boolean }> = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch {
      throw new CliError(`cannot read ${p}: no such file or directory`);
    }
    if (!isDir) {
      out.push({ path: p, explicit: true });
      continue;
    }
    const names = (await readdir(p)).filter((n) => n.endsWith('.json') && !n.endsWith(RESPONSE_SUFFIX)).sort();
    out.push(...names.map((n) => ({ path: join(p, n), explicit: false })));
  }
  return out;
}

async function readJson(path: string, optional = false): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

function pretty(v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}

const REPLAY_FLAGS = {
  url: { type: 'string' },
  token: { type: 'string' },
  now: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;
