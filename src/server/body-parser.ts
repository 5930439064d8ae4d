import type { FastifyInstance } from 'fastify';
import { BadBodyError } from './errors.js';
import { nonFinitePath } from './json-numbers.js';
import { parseJsonBody, type ParsedBody, type SyncBodyParser } from './sync-body.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The /sync body as received, kept by the parser for the answer cache's key and for RECORD_DIR. */
    syncText: string | null;
  }
}

/**
 * Replaces fastify's JSON parser, whose error hides where the JSON broke. Like fastify's (secure-json-parse),
 * it refuses `__proto__` keys, which no Kubernetes object has and which would be a hazard for any later merge.
 * /sync bodies go through `syncBody` when the core is the real one, which never writes to its request
 * (src/server/sync-body.ts: unchanged children are not parsed again); `keepText` keeps their text.
 */
export function installJsonParser(app: FastifyInstance, syncBody: SyncBodyParser | undefined, keepText: boolean): void {
  app.decorateRequest('syncText', null);
  // Also drops text/plain: any other content-type is a 415, answered as 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(new BadBodyError('body is empty; expected a JSON object'), undefined);
    const isSync = request.routeOptions.url === '/sync';
    let parsed: ParsedBody;
    try {
      parsed = syncBody !== undefined && isSync ? syncBody.parse(text) : parseJsonBody(text);
    } catch (err) {
      return done(new BadBodyError(`body is not valid JSON: ${(err as Error).message}`), undefined);
    }
    if (parsed.protoKey) return done(new BadBodyError('body has a "__proto__" key'), undefined);
    if (parsed.nonFinite) {
      const at = nonFinitePath(JSON.parse(text)) ?? '(unknown)';
      return done(new BadBodyError(`${at}: number out of range (a JSON number must be finite as a double)`), undefined);
    }
    if (keepText && isSync) request.syncText = text;
    done(null, parsed.value);
  });
}
