import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS } from '../../../platform/auth/access.ts';
import type { AppContext, Http } from '../../../platform/context.ts';
import { DateTime, errorResponses, Fen, IdParam, MerchantParams, Strict } from '../../../platform/http/schemas.ts';

const security = [{ bearer: [] }];
const SessionT = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  title: Type.String(),
  startsAt: DateTime,
  endsAt: DateTime,
  roomId: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.Union([
    Type.Literal('upcoming'),
    Type.Literal('running'),
    Type.Literal('ended'),
    Type.Literal('cancelled'),
  ]),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      skuId: Type.Integer(),
      productId: Type.Integer(),
      title: Type.String(),
      coverUrl: Type.Union([Type.String(), Type.Null()]),
      originalPriceFen: Type.Integer(),
      flashPriceFen: Type.Integer(),
      stock: Type.Integer(),
      sold: Type.Integer(),
      remaining: Type.Integer(),
      perUserLimit: Type.Integer(),
    }),
  ),
});

export function flashSaleRoutes(app: Http, ctx: AppContext): void {
  const flash = ctx.services.flashSales;
  app.get(
    '/api/flash-sales',
    {
      config: { access: 'public' },
      schema: {
        tags: ['marketing'],
        summary: 'Flash-sale sessions running now and coming up, with units left',
        querystring: Strict({ merchantId: Type.Optional(IdParam) }),
        response: { 200: Type.Array(SessionT), ...errorResponses },
      },
    },
    async (req) => flash.list(req.query.merchantId),
  );

  app.get(
    '/api/flash-sales/:sessionId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['marketing'],
        summary: 'One flash-sale session',
        params: Strict({ sessionId: IdParam }),
        response: { 200: SessionT, ...errorResponses },
      },
    },
    async (req) => flash.session(req.params.sessionId),
  );

  app.post(
    '/api/flash-sales/items/:itemId/token',
    {
      config: { access: 'user' },
      schema: {
        tags: ['marketing'],
        summary:
          'A purchase token for a flash-sale item: only once the session has started (FLASH_NOT_STARTED), rate-limited, captcha when configured',
        security,
        params: Strict({ itemId: IdParam }),
        body: Strict({ captcha: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: {
          200: Type.Object({
            token: Type.String(),
            itemId: Type.Integer(),
            flashPriceFen: Type.Integer(),
            expiresAt: DateTime,
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => flash.token(req.actor!.userId, req.params.itemId, req.body.captcha),
  );

  app.get(
    '/api/merchants/:merchantId/flash-sales',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['marketing'],
        summary: "The shop's flash-sale sessions with sold units",
        security,
        params: MerchantParams,
        response: { 200: Type.Array(SessionT), ...errorResponses },
      },
    },
    async (req) => {
      await ctx.services.merchants.requireRole(req.actor!, req.params.merchantId);
      return flash.list(req.params.merchantId, 'shop');
    },
  );

  app.post(
    '/api/merchants/:merchantId/flash-sales',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['marketing'],
        summary:
          'Create a flash-sale session (time slot) with per-SKU flash price, stock allotment and per-user limit; tie it to a room for countdown frames',
        security,
        params: MerchantParams,
        body: Strict({
          title: Type.String({ minLength: 1, maxLength: 40 }),
          startsAt: Type.String({ format: 'date-time' }),
          endsAt: Type.String({ format: 'date-time' }),
          roomId: Type.Optional(Type.Union([IdParam, Type.Null()])),
          items: Type.Array(
            Strict({
              skuId: IdParam,
              flashPriceFen: Fen(),
              stock: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
              perUserLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            }),
            { minItems: 1, maxItems: 50 },
          ),
        }),
        response: { 201: SessionT, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await flash.createSession(req.actor!, req.params.merchantId, req.body)),
  );
}
