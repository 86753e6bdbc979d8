import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS } from '../../../platform/auth/access.ts';
import type { AppContext, Http } from '../../../platform/context.ts';
import { DateTime, errorResponses, Fen, IdParam, MerchantParams, Strict } from '../../../platform/http/schemas.ts';

const security = [{ bearer: [] }];
const GroupT = Type.Object({
  id: Type.Integer(),
  dealId: Type.Integer(),
  title: Type.String(),
  groupPriceFen: Type.Integer(),
  status: Type.String(),
  expiresAt: DateTime,
  size: Type.Integer(),
  paid: Type.Integer(),
  missing: Type.Integer(),
  shareUrl: Type.String(),
  members: Type.Array(
    Type.Object({ userId: Type.Integer(), nickname: Type.String(), status: Type.String(), leader: Type.Boolean() }),
  ),
});
const DealT = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  productId: Type.Integer(),
  skuId: Type.Integer(),
  title: Type.String(),
  groupPriceFen: Type.Integer(),
  groupSize: Type.Integer(),
  expireMinutes: Type.Integer(),
  autoFill: Type.Boolean(),
  startsAt: DateTime,
  endsAt: DateTime,
  status: Type.String(),
  openGroups: Type.Array(GroupT),
  results: Type.Record(Type.String(), Type.Integer()),
});

export function groupBuyRoutes(app: Http, ctx: AppContext): void {
  const svc = ctx.services.groupBuys;
  app.get(
    '/api/group-buys',
    {
      config: { access: 'public' },
      schema: {
        tags: ['marketing'],
        summary: 'Running group-buy deals (拼团) with groups still forming',
        querystring: Strict({ merchantId: Type.Optional(IdParam) }),
        response: { 200: Type.Array(DealT), ...errorResponses },
      },
    },
    async (req) => svc.listDeals(req.query.merchantId),
  );
  app.get(
    '/api/group-buys/:dealId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['marketing'],
        summary: 'A group-buy deal',
        params: Strict({ dealId: IdParam }),
        response: { 200: DealT, ...errorResponses },
      },
    },
    async (req) => svc.deal(req.params.dealId),
  );
  app.get(
    '/api/group-buys/groups/:groupId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['marketing'],
        summary:
          'A group (the share link): members, seats missing, expiry. Join by placing an order with groupBuy { dealId, groupId }',
        params: Strict({ groupId: IdParam }),
        response: { 200: GroupT, ...errorResponses },
      },
    },
    async (req) => svc.group(req.params.groupId),
  );
  app.get(
    '/api/merchants/:merchantId/group-buys',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['marketing'],
        summary: "The shop's group-buy deals with results",
        security,
        params: MerchantParams,
        response: { 200: Type.Array(DealT), ...errorResponses },
      },
    },
    async (req) => {
      await ctx.services.merchants.requireRole(req.actor!, req.params.merchantId);
      return svc.listDeals(req.params.merchantId, 'shop');
    },
  );
  app.post(
    '/api/merchants/:merchantId/group-buys',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['marketing'],
        summary:
          'Create a group-buy deal: group price, group size, how long a group may take to fill, optional auto-fill',
        security,
        params: MerchantParams,
        body: Strict({
          skuId: IdParam,
          title: Type.String({ minLength: 1, maxLength: 40 }),
          groupPriceFen: Fen(),
          groupSize: Type.Integer({ minimum: 2, maximum: 100 }),
          expireMinutes: Type.Integer({ minimum: 1, maximum: 10080 }),
          autoFill: Type.Optional(Type.Boolean()),
          startsAt: Type.String({ format: 'date-time' }),
          endsAt: Type.String({ format: 'date-time' }),
        }),
        response: { 201: DealT, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createDeal(req.actor!, req.params.merchantId, req.body)),
  );
}
