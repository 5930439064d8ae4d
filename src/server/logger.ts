import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogFormat, LogLevel } from './config.js';

/**
 * The server's logger: pino's JSON lines for collectors, or with LOG_FORMAT=pretty one line a person can read.
 * pretty is a few lines here rather than pino-pretty, which would pull a dozen runtime packages into the image
 * for a format meant for a terminal.
 *
 * Both write to stdout synchronously. pino's default destination writes asynchronously and flushes what is
 * left on exit with a loop (sonic-boom 4) that retries every failed write, not only EAGAIN: with stdout a pipe
 * whose reader is gone (`rw-hook serve | head -3`), a line still buffered at exit made process.exit write, get
 * EPIPE and sleep 100 ms forever, deaf to a second signal. A synchronous destination leaves nothing to flush at
 * exit, and its first EPIPE turns it off (pino's broken-pipe handler).
 */
export function createLogger(
  settings: { readonly logLevel: LogLevel; readonly logFormat?: LogFormat },
  out: { write(s: string): unknown } = pino.destination({ dest: 1, sync: true }),
): Logger {
  const options = { level: settings.logLevel, redact: ['req.headers.authorization'] };
  return pino(options, settings.logFormat === 'pretty' ? prettyStream(out) : (out as DestinationStream));
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** pino's own fields, shown in the line's head or not at all. */
const HEAD = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** `12:34:56.789 INFO  msg key=value ...`, then an error's stack on the lines below. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '--:--:--.---';
  const level = (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5);
  const fields: string[] = [];
  let stack = '';
  for (const [key, value] of Object.entries(entry)) {
    if (HEAD.has(key)) continue;
    if (key === 'err' && value !== null && typeof value === 'object' && typeof (value as { stack?: unknown }).stack === 'string') {
      const err = value as { message?: string; stack: string };
      fields.push(`err=${JSON.stringify(err.message ?? '')}`);
      stack = `\n    ${err.stack.split('\n').join('\n    ')}`;
      continue;
    }
    fields.push(`${key}=${typeof value === 'string' && /^[\w./:@-]+$/.test(value) ? value : JSON.stringify(value)}`);
  }
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  return `${time} ${level} ${[msg, ...fields].filter((s) => s !== '').join(' ')}${stack}\n`;
}

function prettyStream(out: { write(s: string): unknown }): DestinationStream {
  return { write: (line: string) => void out.write(prettyLine(line)) };
}
