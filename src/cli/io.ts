import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { isRecord } from '../kube/records.js';

/** Where a command reads and writes; tests pass buffers, `main` passes the process streams. */
export interface CliIO {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  readonly stdin: AsyncIterable<Buffer | string>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A failure the user can act on: printed as `rw-hook <cmd>: <message>`, exit 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Wrong invocation: printed with a pointer to --help, exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

export async function readInput(path: string, io: CliIO): Promise<string> {
  if (path === '-') {
    let text = '';
    for await (const chunk of io.stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    return text;
  }
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new CliError(`cannot read ${path}: ${why}`);
  }
}

/**
 * Every object in a YAML or JSON stream (JSON is YAML), with kubectl `List`s flattened. Empty documents are
 * skipped; a syntax error names the document and line.
 */
export function parseObjects(text: string, source: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if ('errors' in doc && doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const line = e.linePos?.[0] ? ` (line ${e.linePos[0].line})` : '';
      throw new CliError(`${source}: document ${i + 1}${line}: ${e.message.split('\n', 1)[0]}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    if (!isRecord(value)) throw new CliError(`${source}: document ${i + 1} is not an object`);
    if (value.kind === 'List' && Array.isArray(value.items)) {
      for (const item of value.items) {
        if (!isRecord(item)) throw new CliError(`${source}: document ${i + 1}: a List item is not an object`);
        out.push(item);
      }
    } else {
      out.push(value);
    }
  });
  return out;
}

