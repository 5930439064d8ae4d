import { readFileSync } from 'node:fs';
import { DEFAULT_HOOK_OPTIONS } from '../reactions/context.js';

/**
 * Server settings, read once from the environment at start. Every setting is listed in `SETTINGS` so the
 * README table, `rw-hook serve --help` and the validation below cannot drift apart.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export type LogFormat = 'json' | 'pretty';
const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

export interface Settings {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  /** json: one pino object per line (for collectors); pretty: one readable line per entry (for a terminal). */
  readonly logFormat: LogFormat;
  readonly bodyLimit: number;
  /** When set, every sync request and its response are written here for `rw-hook replay`. */
  readonly recordDir: string | undefined;
  readonly maxInFlight: number;
  /** 0 disables the event-loop check. */
  readonly maxEventLoopDelayMs: number;
  readonly retryAfterSeconds: number;
  /** The bearer token (already read from AUTH_TOKEN_FILE when that was given); undefined = no auth. */
  readonly authToken: string | undefined;
  readonly authExemptPaths: readonly string[];
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  /** undefined (or equal to `port`) = `/metrics` on the main server. */
  readonly metricsPort: number | undefined;
  readonly shutdownDelayMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly handlerTimeoutMs: number;
  readonly rolloutDeadlineSeconds: number;
  readonly operatorVersion: string;
  readonly maxUnavailableStatefulSet: boolean;
  /** Whether work is shared between syncs (src/cache/caches.ts); off, every sync is computed from scratch. */
  readonly cache: boolean;
}

export interface SettingDoc {
  readonly name: string;
  /** As written in the environment; empty = unset. */
  readonly default: string;
  readonly description: string;
}

export const SETTINGS: readonly SettingDoc[] = [
  { name: 'PORT', default: '8080', description: 'Port of the hook server (0 picks a free port).' },
  { name: 'HOST', default: '0.0.0.0', description: 'Address to listen on; probes reach the pod IP, so not 127.0.0.1.' },
  { name: 'LOG_LEVEL', default: 'info', description: `pino level: ${LOG_LEVELS.join(', ')}. info logs one line per sync.` },
  { name: 'LOG_FORMAT', default: 'json', description: 'json (one pino object per line, for log collectors) or pretty (readable lines, for a terminal).' },
  {
    name: 'BODY_LIMIT',
    default: '8388608',
    description: 'Largest request body in bytes. Metacontroller sends every child in full and retries a 413 forever.',
  },
  {
    name: 'RECORD_DIR',
    default: '',
    description: 'When set, writes each sync as `<ns>_<name>_g<generation>.request.json` (the body as received) / `.response.json` for `rw-hook replay`.',
  },
  { name: 'MAX_IN_FLIGHT', default: '64', description: 'Hook requests handled at once; past it the server answers 429 with Retry-After.' },
  {
    name: 'MAX_EVENT_LOOP_DELAY_MS',
    default: '1000',
    description: 'Event-loop delay above which hook requests are shed with 429 (0 disables the check).',
  },
  { name: 'RETRY_AFTER_SECONDS', default: '1', description: 'Retry-After of a 429; Metacontroller requeues the parent after it.' },
  { name: 'AUTH_TOKEN', default: '', description: 'When set, hook requests need `Authorization: Bearer <token>` (401 otherwise).' },
  {
    name: 'AUTH_TOKEN_FILE',
    default: '',
    description: 'File holding the bearer token (read once at start; restart to rotate). Exclusive with AUTH_TOKEN.',
  },
  {
    name: 'AUTH_EXEMPT_PATHS',
    default: '/healthz,/readyz,/metrics',
    description: 'Comma-separated paths that need no token.',
  },
  { name: 'TLS_CERT_FILE', default: '', description: 'PEM certificate; with TLS_KEY_FILE the server speaks HTTPS.' },
  { name: 'TLS_KEY_FILE', default: '', description: 'PEM private key for TLS_CERT_FILE.' },
  { name: 'METRICS_PORT', default: '', description: 'Serve `/metrics` on this port instead of the hook port (plain HTTP, no auth).' },
  {
    name: 'SHUTDOWN_DELAY_MS',
    default: '1000',
    description: 'After SIGTERM, keep serving this long with /readyz at 503 before closing; connections already in the listen backlog are answered meanwhile (0 resets them).',
  },
  {
    name: 'KEEP_ALIVE_TIMEOUT_MS',
    default: '95000',
    description: "Idle keep-alive timeout; above the 90 s idle timeout of Metacontroller's Go client.",
  },
  {
    name: 'REQUEST_TIMEOUT_MS',
    default: '2000',
    description: "Longest time to receive one whole request (headers and body); a slower one is answered 408 and its connection closed. Well under the CompositeController's 5 s webhook timeout.",
  },
  {
    name: 'HANDLER_TIMEOUT_MS',
    default: '9000',
    description: "A sync still running after this fails (503) before Metacontroller's 10 s timeout.",
  },
  {
    name: 'ROLLOUT_DEADLINE_SECONDS',
    default: '600',
    description: 'A rollout not finished this long after it started is reported as stuck.',
  },
  {
    name: 'OPERATOR_VERSION',
    default: DEFAULT_HOOK_OPTIONS.operatorVersion,
    description: 'Value of the `risingwave/operator-version` label on every child.',
  },
  {
    name: 'MAX_UNAVAILABLE_STATEFULSET',
    default: 'false',
    description:
      'true when the API server has the MaxUnavailableStatefulSet gate (off by default through Kubernetes 1.36). Decides only until a StatefulSet of the parent exists: then what the server stored decides.',
  },
  {
    name: 'CACHE',
    default: 'on',
    description:
      'on or off. off turns every cache that shares work between syncs off at once (parsed bodies, prepared parents, built children, answers): the answers are the same, each computed from scratch.',
  },
];

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SettingsError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks every setting; all problems are reported at once. */
export function loadSettings(env: Env = process.env): Settings {
  const problems: string[] = [];
  const defaults = new Map(SETTINGS.map((s) => [s.name, s.default]));
  const raw = (name: string): string => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? (defaults.get(name) ?? '') : v.trim();
  };
  const optional = (name: string): string | undefined => raw(name) || undefined;
  const int = (name: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = raw(name);
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(v)} must be an integer from ${min} to ${max}`);
      return Number(defaults.get(name) ?? min);
    }
    return n;
  };

  const bool = (name: string): boolean => {
    const v = raw(name);
    if (v !== 'true' && v !== 'false') problems.push(`${name}=${JSON.stringify(v)} must be true or false`);
    return v === 'true';
  };

  const cache = raw('CACHE');
  if (cache !== 'on' && cache !== 'off') problems.push(`CACHE=${JSON.stringify(cache)} must be on or off`);

  const logLevel = raw('LOG_LEVEL') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL=${JSON.stringify(logLevel)} must be one of ${LOG_LEVELS.join(', ')}`);
  const logFormat = raw('LOG_FORMAT') as LogFormat;
  if (!LOG_FORMATS.includes(logFormat)) problems.push(`LOG_FORMAT=${JSON.stringify(logFormat)} must be one of ${LOG_FORMATS.join(', ')}`);

  const metricsPort = optional('METRICS_PORT') === undefined ? undefined : int('METRICS_PORT', 0, 65535);
  const authToken = readAuthToken(optional('AUTH_TOKEN'), optional('AUTH_TOKEN_FILE'), problems);
  const tlsCertFile = optional('TLS_CERT_FILE');
  const tlsKeyFile = optional('TLS_KEY_FILE');
  if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined)) problems.push('TLS_CERT_FILE and TLS_KEY_FILE must be set together');

  const settings: Settings = {
    port: int('PORT', 0, 65535),
    host: raw('HOST'),
    logLevel,
    logFormat,
    bodyLimit: int('BODY_LIMIT', 1024),
    recordDir: optional('RECORD_DIR'),
    maxInFlight: int('MAX_IN_FLIGHT', 1),
    maxEventLoopDelayMs: int('MAX_EVENT_LOOP_DELAY_MS', 0),
    retryAfterSeconds: int('RETRY_AFTER_SECONDS', 1, 3600),
    authToken,
    authExemptPaths: raw('AUTH_EXEMPT_PATHS')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
    tlsCertFile,
    tlsKeyFile,
    metricsPort,
    shutdownDelayMs: int('SHUTDOWN_DELAY_MS', 0, 600_000),
    keepAliveTimeoutMs: int('KEEP_ALIVE_TIMEOUT_MS', 1000),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 100),
    handlerTimeoutMs: int('HANDLER_TIMEOUT_MS', 100),
    rolloutDeadlineSeconds: int('ROLLOUT_DEADLINE_SECONDS', 1),
    operatorVersion: raw('OPERATOR_VERSION'),
    maxUnavailableStatefulSet: bool('MAX_UNAVAILABLE_STATEFULSET'),
    cache: cache !== 'off',
  };
  if (problems.length > 0) throw new SettingsError(problems);
  return settings;
}

function readAuthToken(token: string | undefined, file: string | undefined, problems: string[]): string | undefined {
  if (token !== undefined && file !== undefined) {
    problems.push('set AUTH_TOKEN or AUTH_TOKEN_FILE, not both');
    return undefined;
  }
  if (file === undefined) return token;
  try {
    const fromFile = readFileSync(file, 'utf8').trim();
    if (fromFile === '') problems.push(`AUTH_TOKEN_FILE ${file} is empty`);
    return fromFile || undefined;
  } catch (err) {
    problems.push(`AUTH_TOKEN_FILE ${file} cannot be read: ${(err as Error).message}`);
    return undefined;
  }
}

/** The settings a test or the CLI starts from: every default, nothing read from the environment. */
export function defaultSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...loadSettings({}), ...overrides };
}
