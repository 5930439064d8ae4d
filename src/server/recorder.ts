import { createHash } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** What a recorder needs to know about a sync to name and write its pair. */
export interface RecordedSync {
  readonly namespace: string | undefined;
  readonly name: string;
  readonly generation: number | undefined;
  /** The request body exactly as received: re-serialising the parsed body would lose what JSON.stringify cannot say (-0). */
  readonly request: string;
  /** The response object exactly as sent. */
  readonly response: unknown;
  /** The clock the sync ran with; stamped as both files' mtime so `rw-hook replay` can reuse it. */
  readonly at: Date;
}

export interface Recorder {
  record(sync: RecordedSync): void;
  /** Resolves when every write started so far has finished (or failed and was logged). */
  idle(): Promise<void>;
}

export const REQUEST_SUFFIX = '.request.json';
export const RESPONSE_SUFFIX = '.response.json';

/**
 * Longest base name: with RESPONSE_SUFFIX and a temporary suffix (`.<pid>-<n>.tmp`, at most 26 bytes) a
 * file name stays within the 255 bytes most file systems allow (NAME_MAX).
 */
export const MAX_BASE_NAME = 200;

/**
 * `<namespace>_<name>_g<generation>`: one pair per parent generation; later syncs of it overwrite. Kubernetes
 * allows 63-character namespaces and 253-character names, and the envelope schema promises only strings:
 * a part that is not a plain name (letters, digits, `.`, `-`, not starting with `.`) is made one, and a base
 * that was changed so or is too long is cut and ends in a hash of the parent's namespace, name and
 * generation, so that two parents never share a file and every name fits.
 */
export function recordBaseName(namespace: string | undefined, name: string, generation: number | undefined): string {
  const g = `_g${generation ?? 0}`;
  const plain = namespace !== undefined && PLAIN.test(namespace) && PLAIN.test(name);
  const base = `${namespace === undefined ? '_cluster' : safe(namespace)}_${safe(name)}`;
  if (plain && base.length + g.length <= MAX_BASE_NAME) return base + g;
  const digest = createHash('sha256')
    .update(JSON.stringify([namespace ?? null, name, generation ?? null]))
    .digest('hex')
    .slice(0, 16);
  return `${base.slice(0, MAX_BASE_NAME - g.length - digest.length - 1)}~${digest}${g}`;
}

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

/** Only characters that are safe in a file name, not starting with a dot (ASCII: one byte each). */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9.-]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length));
}

/**
 * Writes after the response is sent and never fails a sync: a write error is only logged. Each file is
 * written to a temporary name of its own and renamed, so a reader never sees half a file. The syncs of one
 * parent generation are written one after the other, each pair whole (both temporary files, then both
 * renames): concurrent syncs of it all succeed and the pair left is the last sync's request and response.
 */
export function createRecorder(dir: string, onError: (err: unknown, file: string) => void): Recorder {
  const pending = new Set<Promise<void>>();
  /** The last write queued per base name; a base's entry goes once its queue is empty. */
  const queues = new Map<string, Promise<void>>();
  let made: Promise<unknown> | undefined;
  let serial = 0;
  const write = async (base: string, sync: RecordedSync): Promise<void> => {
    made ??= mkdir(dir, { recursive: true });
    await made;
    const file = join(dir, base);
    const response = `${JSON.stringify(sync.response, null, 2)}\n`;
    const request = `${sync.request}\n`;
    const tmp = `.${process.pid}-${++serial}.tmp`;
    const [requestTmp, responseTmp] = [file + REQUEST_SUFFIX + tmp, file + RESPONSE_SUFFIX + tmp];
    try {
      await Promise.all([writeStamped(requestTmp, request, sync.at), writeStamped(responseTmp, response, sync.at)]);
      await rename(requestTmp, file + REQUEST_SUFFIX);
      await rename(responseTmp, file + RESPONSE_SUFFIX);
    } catch (err) {
      await Promise.all([unlink(requestTmp).catch(() => undefined), unlink(responseTmp).catch(() => undefined)]);
      throw err;
    }
  };
  return {
    record(sync) {
      const base = recordBaseName(sync.namespace, sync.name, sync.generation);
      const p = (queues.get(base) ?? Promise.resolve())
        .then(() => write(base, sync))
        .catch((err: unknown) => onError(err, join(dir, base)))
        .finally(() => {
          pending.delete(p);
          if (queues.get(base) === p) queues.delete(base);
        });
      queues.set(base, p);
      pending.add(p);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** Creates `file` (never an existing one: temporary names are unique), writes `text`, stamps its times. */
async function writeStamped(file: string, text: string, at: Date): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(text);
    await handle.utimes(at, at);
  } finally {
    await handle.close();
  }
}
