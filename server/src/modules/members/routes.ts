import { Type } from 'typebox';
import { OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import { DateTime, errorResponses, MerchantParams } from '../../platform/http/schemas.ts';
import { SEGMENTS } from './rfm.ts';

const security = [{ bearer: [] }];
const Customer = Type.Object({
  userId: Type.Integer(),
  nickname: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  orders: Type.Integer(),
  paidFen: Type.Integer(),
  lastPaidAt: DateTime,
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
          { segment: Type.Optional(Type.Union(SEGMENTS.map((x) => Type.Literal(x)))) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Customer), ...errorResponses },
      },
    },
    async (req) => members.customers(req.actor!, req.params.merchantId, req.query.segment as never),
  );
}
