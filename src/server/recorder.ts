import { mkdir, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What a recorder needs to know about a sync to name and write its pair. */
export interface RecordedSync {
  readonly namespace: string | undefined;
  readonly name: string;
  readonly generation: number | undefined;
  readonly request: unknown;
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

/** `<namespace>_<name>_g<generation>`: one pair per parent generation; later syncs of it overwrite. */
export function recordBaseName(namespace: string | undefined, name: string, generation: number | undefined): string {
  return `${safe(namespace ?? '_cluster')}_${safe(name)}_g${generation ?? 0}`;
}

/** Kubernetes names are already safe; the envelope schema only promises a string, so keep paths inside dir. */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9.-]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length));
}

/**
 * Writes after the response is sent and never fails a sync: a write error is only logged. Each file is
 * written to a temporary name and renamed, so a reader never sees half a file.
 */
export function createRecorder(dir: string, onError: (err: unknown, file: string) => void): Recorder {
  const pending = new Set<Promise<void>>();
  let made: Promise<unknown> | undefined;
  const write = async (sync: RecordedSync): Promise<void> => {
    made ??= mkdir(dir, { recursive: true });
    await made;
    const base = join(dir, recordBaseName(sync.namespace, sync.name, sync.generation));
    const response = `${JSON.stringify(sync.response, null, 2)}\n`;
    const request = `${JSON.stringify(sync.request, null, 2)}\n`;
    await Promise.all([atomicWrite(base + REQUEST_SUFFIX, request, sync.at), atomicWrite(base + RESPONSE_SUFFIX, response, sync.at)]);
  };
  return {
    record(sync) {
      const p = write(sync)
        .catch((err: unknown) => onError(err, join(dir, recordBaseName(sync.namespace, sync.name, sync.generation))))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

async function atomicWrite(file: string, text: string, at: Date): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await utimes(tmp, at, at);
  await rename(tmp, file);
}
