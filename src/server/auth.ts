import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <token>`. Both sides are hashed first so the comparison takes the same
 * time whatever the length or content of the presented value (timingSafeEqual needs equal lengths).
 */
export function bearerChecker(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token);
  return (authorization) => {
    const presented = parseBearer(authorization);
    if (presented === undefined) return false;
    return timingSafeEqual(digest(presented), expected);
  };
}

function parseBearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
