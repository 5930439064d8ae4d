import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Settings } from './config.js';
import { JSON_TYPE } from './errors.js';
import type { HookMetrics } from './metrics.js';
import type { PressureGauge } from './pressure.js';

/** Route hooks of /sync and /customize that shed load the way Metacontroller understands: 429 + Retry-After. */
export interface Admission {
  /** Route-level onRequest: sheds before the body is read when the hook is already past its limits. */
  screen(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  /** Route-level preValidation, the first hook that runs with the body in: counts the request while open. */
  admit(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  /**
   * Closes the connections of hook requests whose body is still coming. Node checks REQUEST_TIMEOUT_MS only
   * while the server accepts; once it closes, main.ts calls this REQUEST_TIMEOUT_MS later, so that a stalled
   * upload cannot hold the exit.
   */
  dropUploads(): void;
}

export function createAdmission(settings: Settings, metrics: HookMetrics, pressure: PressureGauge): Admission {
  /**
   * Hook requests whose body is in and not yet answered. A request is counted only once its body has been
   * received: one still uploading costs no CPU, and counting it let idle half-sent bodies hold every slot
   * (uploads are bounded in time instead, by REQUEST_TIMEOUT_MS: see serverTimeouts).
   */
  let inFlight = 0;
  /** Hook requests between onRequest and a received body (see dropUploads). */
  const uploading = new Set<FastifyRequest['raw']>();
  const shed = (request: FastifyRequest, reply: FastifyReply, why: string): FastifyReply => {
    metrics.rejections.inc({ code: '429' });
    // debug, not warn: under overload a line per shed request would add to the load; the counter is enough.
    request.log.debug({ why }, 'shedding hook request');
    return reply
      .code(429)
      .header('retry-after', String(settings.retryAfterSeconds))
      .type(JSON_TYPE)
      .send(JSON.stringify({ error: 'Too Many Requests', message: `overloaded (${why}); retry after ${settings.retryAfterSeconds}s` }));
  };
  return {
    async screen(request, reply) {
      const why = pressure.overloaded(inFlight + 1);
      if (why !== undefined) return shed(request, reply, why);
      const raw = request.raw;
      uploading.add(raw);
      reply.raw.once('close', () => uploading.delete(raw));
      return undefined;
    },
    async admit(request, reply) {
      uploading.delete(request.raw);
      inFlight++;
      metrics.inFlight.set(inFlight);
      reply.raw.once('close', () => {
        inFlight--;
        metrics.inFlight.set(inFlight);
      });
      metrics.loopDelay.touch();
      const why = pressure.overloaded(inFlight);
      return why === undefined ? undefined : shed(request, reply, why);
    },
    dropUploads() {
      for (const raw of uploading) raw.destroy();
    },
  };
}
