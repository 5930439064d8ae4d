import { readFileSync } from 'node:fs';

/**
 * The package version, read from package.json beside dist/ (the image ships it there too, for "type": "module").
 * Read on use, so the bins' other commands never touch the file.
 */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
