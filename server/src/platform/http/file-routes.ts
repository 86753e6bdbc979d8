// Serves stored files (product images, videos, cover art). Keys are random, so files are
// immutable: cache them for a long time.
import { Type } from 'typebox';
import type { AppContext, Http } from '../context.ts';
import { notFound } from '../errors.ts';
import { contentTypeFor } from '../storage/storage.ts';
import { errorResponses } from './schemas.ts';

export function fileRoutes(app: Http, ctx: AppContext): void {
  app.get('/files/*', {
    config: { access: 'public' },
    schema: { tags: ['files'], summary: 'A stored file (images, videos)', params: Type.Object({ '*': Type.String({ maxLength: 300 }) }), response: { ...errorResponses } },
  }, async (req, reply) => {
    const key = req.params['*'];
    const file = await ctx.storage.open(key);
    if (!file) throw notFound('File');
    reply.header('content-type', contentTypeFor(key));
    reply.header('content-length', file.size);
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    reply.header('access-control-allow-origin', '*');
    return reply.send(file.stream);
  });
}
