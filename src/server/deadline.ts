export class DeadlineError extends Error {
  readonly statusCode = 503;
}

/**
 * Fails a sync that runs past `ms`, well before Metacontroller's 10 s client timeout, so the parent gets a
 * clear error instead of a hung worker. Not fastify's `handlerTimeout`: with fastify 5.12 on Node 20 its
 * timer is cleared by the request's `close` event, which fires as soon as a POST body has been read.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`sync did not finish within HANDLER_TIMEOUT_MS (${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
