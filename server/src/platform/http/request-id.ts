// Request ids: always our own (a UUID per request, in logs and the X-Request-Id answer). A client's
// X-Request-Id is not trusted as ours (it could be anything, or reuse another request's id): when it
// looks like an id it is kept beside ours in the logs as clientRequestId, so traces still join up.
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const newRequestId = () => crypto.randomUUID();

export function installRequestIds(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    const sent = req.headers['x-request-id'];
    if (typeof sent === 'string' && CLIENT_ID.test(sent)) req.log = req.log.child({ clientRequestId: sent });
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
}
