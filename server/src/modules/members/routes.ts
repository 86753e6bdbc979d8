import { Type } from 'typebox';
import { OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import { DateTime, errorResponses, Fen, MerchantParams, Strict } from '../../platform/http/schemas.ts';
import { SEGMENTS } from './rfm.ts';

const security = [{ bearer: [] }];
const Customer = Type.Object({
  userId: Type.Integer(),
  nickname: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  orders: Type.Integer(),
  paidFen: Type.Integer(),
  lastPaidAt: DateTime,
  recencyDays: Type.Integer({ description: "Whole days since the last paid order, in the shop's time zone" }),
  points: Type.Integer(),
  coupons: Type.Integer({ description: 'unused coupons of this shop' }),
  rfm: Type.Object({ r: Type.Integer(), f: Type.Integer(), m: Type.Integer() }),
  segment: Type.String(),
});

export function memberRoutes(app: Http, ctx: AppContext): void {
  const { members } = ctx.services;
  // Under the orders tag as before: the SDK and the console know it there.
  app.get(
    '/api/merchants/:merchantId/customers',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['orders'],
        summary:
          'Customers (members) with orders, spend, RFM scores and segments (champions, loyal, new, at_risk, hibernating, others)',
        security,
        params: MerchantParams,
        querystring: Type.Object(
          {
            segment: Type.Optional(Type.Union(SEGMENTS.map((x) => Type.Literal(x)))),
            find: Type.Optional(
              Type.String({ minLength: 1, maxLength: 40, description: 'Part of a nickname, or a whole phone number' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Customer), ...errorResponses },
      },
    },
    async (req) => members.customers(req.actor!, req.params.merchantId, req.query.segment as never, req.query.find),
  );

  const rfm = ctx.services.rfmSettings;
  const Thresholds = {
    activeDays: Type.Integer({ minimum: 1, maximum: 3650, description: 'Bought within this many days: recent' }),
    lapsedDays: Type.Integer({ minimum: 2, maximum: 3650, description: 'Nothing bought for this many days: lapsed' }),
    loyalOrders: Type.Integer({ minimum: 2, maximum: 1000, description: 'This many paid orders or more: frequent' }),
    bigSpendFen: Fen({ minimum: 1, description: 'This much paid in all or more: a big spender' }),
  };
  const ThresholdsView = Type.Object({ ...Thresholds, timeZone: Type.String() });
  app.get(
    '/api/merchants/:merchantId/customers/rfm-settings',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['orders'],
        summary: "The shop's RFM thresholds (defaults: 30 days, 90 days, 3 orders, ¥500) and the time zone of its days",
        security,
        params: MerchantParams,
        response: { 200: ThresholdsView, ...errorResponses },
      },
    },
    async (req) => rfm.get(req.actor!, req.params.merchantId),
  );
  app.put(
    '/api/merchants/:merchantId/customers/rfm-settings',
    {
      config: { access: { merchant: ['merchant_owner'] } },
      schema: {
        tags: ['orders'],
        summary: 'Change the RFM thresholds (owner; RFM_LAPSED_BEFORE_ACTIVE when lapsedDays <= activeDays)',
        security,
        params: MerchantParams,
        body: Strict(Thresholds),
        response: { 200: ThresholdsView, ...errorResponses },
      },
    },
    async (req) => rfm.set(req.actor!, req.params.merchantId, req.body),
  );
}
