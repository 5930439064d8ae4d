import type { FastifyInstance } from 'fastify';
import type { CustomizeRequest, CustomizeResponse } from '../api/metacontroller.js';
import { CUSTOMIZE_REQUEST_JSON_SCHEMA } from '../api/envelope.js';
import type { Admission } from './admission.js';
import type { Cores } from './core.js';
import { JSON_TYPE, tooDeepIsBadBody } from './errors.js';

/** POST /customize: the related resources (ConfigMaps, Secrets) Metacontroller should fetch for a parent. */
export function registerCustomizeRoute(app: FastifyInstance, admission: Admission, cores: Cores): void {
  app.post('/customize', { schema: { body: CUSTOMIZE_REQUEST_JSON_SCHEMA }, onRequest: admission.screen, preValidation: admission.admit }, async (rawRequest, reply) => {
    const request = rawRequest as typeof rawRequest & { body: CustomizeRequest };
    if (cores.customize === undefined) await cores.load();
    const response: CustomizeResponse = { relatedResources: await tooDeepIsBadBody(async () => cores.customize!(request.body.parent)) };
    request.log.debug({ parent: `${request.body.parent.metadata.namespace ?? ''}/${request.body.parent.metadata.name}` }, 'customize');
    return reply.code(200).type(JSON_TYPE).send(JSON.stringify(response));
  });
}
