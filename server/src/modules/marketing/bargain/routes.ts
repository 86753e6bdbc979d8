import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS } from '../../../platform/auth/access.ts';
import type { AppContext, Http } from '../../../platform/context.ts';
import { DateTime, errorResponses, Fen, IdParam, MerchantParams, Strict } from '../../../platform/http/schemas.ts';

const security = [{ bearer: [] }];
const CampaignT = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  productId: Type.Integer(),
  skuId: Type.Integer(),
  title: Type.String(),
  floorPriceFen: Type.Integer(),
  helpsNeeded: Type.Integer(),
  expireHours: Type.Integer(),
  startsAt: DateTime,
  endsAt: DateTime,
  status: Type.String(),
  results: Type.Optional(Type.Record(Type.String(), Type.Integer())),
});
const BargainT = Type.Object({
  id: Type.Integer(),
  campaignId: Type.Integer(),
  userId: Type.Integer(),
  title: Type.String(),
  skuId: Type.Integer(),
  productId: Type.Integer(),
  startPriceFen: Type.Integer(),
  currentPriceFen: Type.Integer(),
  floorPriceFen: Type.Integer(),
  helps: Type.Integer(),
  helpsNeeded: Type.Integer(),
  status: Type.String(),
  expiresAt: DateTime,
  orderId: Type.Union([Type.Integer(), Type.Null()]),
  shareUrl: Type.String(),
  cuts: Type.Array(Type.Object({ seq: Type.Integer(), cutFen: Type.Integer(), nickname: Type.String() })),
});

export function bargainRoutes(app: Http, ctx: AppContext): void {
  const svc = ctx.services.bargains;
  app.get(
    '/api/bargains/campaigns',
    {
      config: { access: 'public' },
      schema: {
        tags: ['marketing'],
        summary: 'Running bargain campaigns (砍价)',
        querystring: Strict({ merchantId: Type.Optional(IdParam) }),
        response: { 200: Type.Array(CampaignT), ...errorResponses },
      },
    },
    async (req) => svc.campaigns(req.query.merchantId),
  );
  app.post(
    '/api/bargains/campaigns/:campaignId/start',
    {
      config: { access: 'user' },
      schema: {
        tags: ['marketing'],
        summary: 'Start my bargain (or get the one I started)',
        security,
        params: Strict({ campaignId: IdParam }),
        response: { 200: BargainT, ...errorResponses },
      },
    },
    async (req) => svc.start(req.actor!.userId, req.params.campaignId),
  );
  app.get(
    '/api/bargains/:bargainId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['marketing'],
        summary: 'A bargain (the share link): price now, cuts so far',
        params: Strict({ bargainId: IdParam }),
        response: { 200: BargainT, ...errorResponses },
      },
    },
    async (req) => svc.view(req.params.bargainId),
  );
  app.post(
    '/api/bargains/:bargainId/help',
    {
      config: { access: 'user' },
      schema: {
        tags: ['marketing'],
        summary: "Cut a friend's price once (BARGAIN_ALREADY_HELPED, BARGAIN_SELF_HELP, BARGAIN_EXPIRED, BARGAIN_DONE)",
        security,
        params: Strict({ bargainId: IdParam }),
        response: {
          200: Type.Object({ cutFen: Type.Integer(), currentPriceFen: Type.Integer(), reached: Type.Boolean() }),
          ...errorResponses,
        },
      },
    },
    async (req) => svc.help(req.actor!.userId, req.params.bargainId),
  );
  app.get(
    '/api/merchants/:merchantId/bargains',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['marketing'],
        summary: "The shop's bargain campaigns with results",
        security,
        params: MerchantParams,
        response: { 200: Type.Array(CampaignT), ...errorResponses },
      },
    },
    async (req) => {
      await ctx.services.merchants.requireRole(req.actor!, req.params.merchantId);
      return svc.campaigns(req.params.merchantId, 'shop');
    },
  );
  app.post(
    '/api/merchants/:merchantId/bargains',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['marketing'],
        summary: 'Create a bargain campaign: floor price reached exactly after helpsNeeded friends cut',
        security,
        params: MerchantParams,
        body: Strict({
          skuId: IdParam,
          title: Type.String({ minLength: 1, maxLength: 40 }),
          floorPriceFen: Fen(),
          helpsNeeded: Type.Integer({ minimum: 1, maximum: 500 }),
          expireHours: Type.Integer({ minimum: 1, maximum: 720 }),
          startsAt: Type.String({ format: 'date-time' }),
          endsAt: Type.String({ format: 'date-time' }),
        }),
        response: { 201: CampaignT, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createCampaign(req.actor!, req.params.merchantId, req.body)),
  );
}
