// GET a share poster as a PNG: for a product, a room, or the signed-in promoter's shop. The ETag is the
// content hash: a client that has it gets 304, and the same content is never drawn twice.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses, IdParam } from '../../platform/http/schemas.ts';
import type { PosterFile, PosterRequest } from './poster-service.ts';
import { checkedShare, productContent, promoterContent, promoterShare, roomContent } from './sources.ts';

const tags = ['posters'];
const PosterQuery = {
  code: Type.Optional(
    Type.Union([Type.Literal('qr'), Type.Literal('wxa')], {
      description: 'qr: a QR code of the H5 link (default); wxa: a mini-program code (wxacode.getUnlimited)',
    }),
  ),
  share: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{8,64}$',
      description: 'The share token (POST /api/shares) the code carries; of this shop (SHARE_TARGET_INVALID)',
    }),
  ),
  lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')], { description: 'Poster language (zh)' })),
};
type Query = { code?: 'qr' | 'wxa'; share?: string; lang?: 'zh' | 'en' };
// Drawing costs CPU: bounded per caller; a stored render is cheap but counts too.
const rateLimit = { bucket: 'posters', max: 60, windowSec: 60, by: 'ip' as const };
const png = { description: 'The poster, image/png (750 × 1200); 304 when If-None-Match has its ETag' };

function request(q: Query): PosterRequest {
  return { lang: q.lang ?? 'zh', code: q.code ?? 'qr', share: q.share ?? null };
}

async function send(req: FastifyRequest, reply: FastifyReply, file: () => Promise<PosterFile>) {
  const f = await file();
  const etag = `"${f.hash}"`;
  reply.header('etag', etag).header('cache-control', 'private, max-age=60');
  if (req.headers['if-none-match'] === etag) {
    f.stream.destroy();
    return reply.code(304).send();
  }
  return reply.header('content-type', 'image/png').header('content-length', f.size).send(f.stream);
}

export function posterRoutes(app: Http, ctx: AppContext): void {
  const posters = ctx.services.posters;
  app.get(
    '/api/posters/products/:productId',
    {
      config: { access: 'public', rateLimit },
      schema: {
        tags,
        summary: "A product's share poster: cover, title, lowest price, the shop and a code to open it",
        params: Type.Object({ productId: IdParam }),
        querystring: Type.Object(PosterQuery),
        response: { 200: png, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = request(req.query as Query);
      const content = await productContent(ctx, req.params.productId);
      const share = await checkedShare(ctx, q.share, content.merchantId);
      return send(req, reply, () => posters.poster(content, { ...q, share }));
    },
  );

  app.get(
    '/api/posters/rooms/:roomId',
    {
      config: { access: 'public', rateLimit },
      schema: {
        tags,
        summary:
          "A live room's share poster (live, upcoming with its time, or replay); private rooms for their viewers",
        params: Type.Object({ roomId: IdParam }),
        querystring: Type.Object(PosterQuery),
        response: { 200: png, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = request(req.query as Query);
      const content = await roomContent(ctx, req.params.roomId, req.actor, q.lang);
      const share = await checkedShare(ctx, q.share, content.merchantId);
      return send(req, reply, () => posters.poster(content, { ...q, share }));
    },
  );

  app.get(
    '/api/posters/promoter/:merchantId',
    {
      config: { access: 'user', rateLimit: { ...rateLimit, by: 'user' as const } },
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary:
          "My promoter poster for a shop: my name, the shop, and a code with my promoter link's share token " +
          '(made when not given; PROMOTER_NOT_FOUND, PROMOTER_STATE when not approved)',
        params: Type.Object({ merchantId: IdParam }),
        querystring: Type.Object(PosterQuery),
        response: { 200: png, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = request(req.query as Query);
      const content = await promoterContent(ctx, req.params.merchantId, req.actor!.userId, q.lang);
      const share = await promoterShare(ctx, req.actor!, req.params.merchantId, q.share);
      return send(req, reply, () => posters.poster(content, { ...q, share }));
    },
  );
}
