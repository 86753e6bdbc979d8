// Serves stored files (product images, videos, cover art). Keys are random, so files are
// immutable: cache them for a long time. They are user content on our own origin, so each answer
// says exactly what it is (nosniff), is a sandboxed document with no rights if opened directly
// (CSP sandbox), and anything that is not a plain image or video is a download.
import { Type } from 'typebox';
import type { AppContext, Http } from '../context.ts';
import { notFound } from '../errors.ts';
import { servingOf } from '../storage/storage.ts';
import { errorResponses } from './schemas.ts';

export const USER_FILE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'cross-origin-resource-policy': 'cross-origin',
} as const;

export function fileRoutes(app: Http, ctx: AppContext): void {
  app.get(
    '/files/*',
    {
      config: { access: 'public' },
      schema: {
        tags: ['files'],
        summary: 'A stored file (images, videos)',
        params: Type.Object({ '*': Type.String({ maxLength: 300 }) }),
        response: { ...errorResponses },
      },
    },
    async (req, reply) => {
      const key = req.params['*'];
      const file = await ctx.storage.open(key);
      if (!file) throw notFound('File');
      const served = servingOf(key);
      reply.headers(USER_FILE_HEADERS);
      reply.header('content-type', served.contentType);
      reply.header('content-disposition', served.disposition);
      reply.header('content-length', file.size);
      reply.header('cache-control', 'public, max-age=31536000, immutable');
      reply.header('access-control-allow-origin', '*');
      return reply.send(file.stream);
    },
  );
}
