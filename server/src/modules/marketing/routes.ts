import { Type } from 'typebox';
import { OPERATORS, ANY_MEMBER } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import {
  DateTime,
  errorResponses,
  Fen,
  IdParam,
  MerchantParams,
  Nullable,
  Ok,
  Strict,
} from '../../platform/http/schemas.ts';
import { transact } from '../../platform/db/transact.ts';

const security = [{ bearer: [] }];
const Channel = Type.Union(
  ['claim_centre', 'room_drop', 'new_user', 'staff_issue', 'lucky_bag', 'invite'].map((c) => Type.Literal(c)),
);
const Scope = Type.Union([
  Strict({ type: Type.Literal('all') }),
  Strict({ type: Type.Literal('merchant'), merchantId: IdParam }),
  Strict({ type: Type.Literal('categories'), categoryIds: Type.Array(IdParam, { minItems: 1, maxItems: 50 }) }),
  Strict({ type: Type.Literal('products'), productIds: Type.Array(IdParam, { minItems: 1, maxItems: 200 }) }),
]);
const TemplateBody = Strict({
  title: Type.String({ minLength: 1, maxLength: 40 }),
  kind: Type.Union(['fixed', 'percent', 'threshold', 'free_shipping'].map((k) => Type.Literal(k))),
  amountFen: Type.Optional(Fen({ minimum: 1 })),
  percentOffBp: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 9999, description: 'basis points off: 1500 = 15% off (85折)' }),
  ),
  capFen: Type.Optional(Fen({ minimum: 1 })),
  thresholdFen: Type.Optional(Fen()),
  scope: Type.Optional(Scope),
  validFrom: Type.Optional(Type.String({ format: 'date-time' })),
  validUntil: Type.Optional(Type.String({ format: 'date-time' })),
  validDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  claimStartsAt: Type.Optional(Type.String({ format: 'date-time' })),
  claimEndsAt: Type.Optional(Type.String({ format: 'date-time' })),
  totalQuantity: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
  perUserLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  channels: Type.Optional(Type.Array(Channel, { minItems: 1, maxItems: 5 })),
});
const TemplateT = Type.Object({
  id: Type.Integer(),
  merchantId: Nullable(Type.Integer()),
  title: Type.String(),
  kind: Type.String(),
  description: Type.String(),
  amountFen: Nullable(Type.Integer()),
  percentOffBp: Nullable(Type.Integer()),
  capFen: Nullable(Type.Integer()),
  thresholdFen: Type.Integer(),
  scope: Type.Unknown(),
  funding: Type.String(),
  validFrom: Nullable(DateTime),
  validUntil: Nullable(DateTime),
  validDays: Nullable(Type.Integer()),
  claimStartsAt: DateTime,
  claimEndsAt: Nullable(DateTime),
  totalQuantity: Type.Integer(),
  claimed: Type.Integer(),
  remaining: Type.Integer(),
  perUserLimit: Type.Integer(),
  channels: Type.Array(Type.String()),
  status: Type.String(),
  used: Type.Optional(Type.Integer()),
  held: Type.Optional(Type.Integer()),
  canClaim: Type.Optional(Type.Boolean()),
});
const ClaimResult = Type.Object({
  couponId: Type.Integer(),
  templateId: Type.Integer(),
  validFrom: DateTime,
  validUntil: DateTime,
});
const MyCoupon = Type.Object({
  id: Type.Integer(),
  templateId: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  kind: Type.String(),
  funding: Type.String(),
  merchantId: Nullable(Type.Integer()),
  status: Type.String(),
  channel: Type.String(),
  validFrom: DateTime,
  validUntil: DateTime,
  orderId: Nullable(Type.Integer()),
});
const StatusBody = Strict({
  status: Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal('ended')]),
});
const PromotionBody = Strict({
  kind: Type.Union([Type.Literal('full_reduction'), Type.Literal('limited_discount'), Type.Literal('new_user_price')]),
  title: Type.String({ minLength: 1, maxLength: 40 }),
  terms: Type.Object(
    {
      tiers: Type.Optional(
        Type.Array(
          Strict({
            thresholdFen: Fen({ minimum: 1 }),
            amountOffFen: Type.Optional(Fen({ minimum: 1 })),
            percentOffBp: Type.Optional(Type.Integer({ minimum: 1, maximum: 9999 })),
          }),
          { minItems: 1, maxItems: 10 },
        ),
      ),
      repeat: Type.Optional(Type.Boolean()),
      capFen: Type.Optional(Fen()),
      productIds: Type.Optional(Type.Array(IdParam, { maxItems: 500 })),
      items: Type.Optional(
        Type.Array(Strict({ skuId: Type.Optional(IdParam), productId: Type.Optional(IdParam), priceFen: Fen() }), {
          maxItems: 500,
        }),
      ),
      percentOffBp: Type.Optional(Type.Integer({ minimum: 1, maximum: 9999 })),
    },
    {
      additionalProperties: false,
      description:
        'full_reduction: tiers (+repeat for 每满X减Y); limited_discount / new_user_price: items with priceFen, or percentOffBp (optionally for productIds)',
    },
  ),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
});
const PromotionT = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  kind: Type.String(),
  title: Type.String(),
  terms: Type.Unknown(),
  startsAt: DateTime,
  endsAt: DateTime,
  status: Type.String(),
  paidOrders: Type.Optional(Type.Integer()),
  discountFen: Type.Optional(Type.Integer()),
});

export function marketingRoutes(app: Http, ctx: AppContext): void {
  const { coupons, promotions, points } = ctx.services;

  // ---- shoppers ----
  app.get(
    '/api/coupons',
    {
      config: { access: 'public' },
      schema: {
        tags: ['marketing'],
        summary: 'Claim centre (领券中心): coupons claimable now, with how many I hold',
        querystring: Strict({ merchantId: Type.Optional(IdParam) }),
        response: { 200: Type.Array(TemplateT), ...errorResponses },
      },
    },
    async (req) => coupons.claimable(req.actor?.userId ?? null, req.query.merchantId),
  );

  app.post(
    '/api/coupons/:templateId/claim',
    {
      config: { access: 'user' },
      schema: {
        tags: ['marketing'],
        summary: 'Claim a coupon (COUPON_SOLD_OUT, COUPON_LIMIT_REACHED, COUPON_NOT_CLAIMABLE)',
        security,
        params: Strict({ templateId: IdParam }),
        response: { 201: ClaimResult, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await coupons.claim(ctx.db, req.actor!.userId, req.params.templateId, { channel: 'claim_centre' })),
  );

  app.get(
    '/api/me/coupons',
    {
      config: { access: 'user' },
      schema: {
        tags: ['marketing'],
        summary: 'My coupons',
        security,
        querystring: Strict({
          status: Type.Optional(Type.Union([Type.Literal('unused'), Type.Literal('used'), Type.Literal('expired')])),
        }),
        response: { 200: Type.Array(MyCoupon), ...errorResponses },
      },
    },
    async (req) => coupons.mine(req.actor!.userId, req.query.status ?? 'unused'),
  );

  app.get(
    '/api/me/points',
    {
      config: { access: 'user' },
      schema: {
        tags: ['marketing'],
        summary: 'My points balance, the rules, and the ledger',
        security,
        response: {
          200: Type.Object({
            balance: Type.Integer(),
            policy: Type.Object({
              earnPerYuan: Type.Integer(),
              pointsPerYuan: Type.Integer(),
              maxShareBp: Type.Integer(),
            }),
            entries: Type.Array(
              Type.Object({
                id: Type.Integer(),
                delta: Type.Integer(),
                balanceAfter: Type.Integer(),
                reason: Type.String(),
                ref: Type.String(),
                at: DateTime,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => points.ledger(req.actor!.userId),
  );

  app.get(
    '/api/merchants/:merchantId/promotions/running',
    {
      config: { access: 'public' },
      schema: {
        tags: ['marketing'],
        summary: "A shop's running promotions (for product pages and rooms)",
        params: MerchantParams,
        response: { 200: Type.Array(PromotionT), ...errorResponses },
      },
    },
    async (req) => promotions.running(req.params.merchantId),
  );

  // ---- merchants ----
  app.get(
    '/api/merchants/:merchantId/coupons',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['marketing'],
        summary: "The shop's coupon templates with claimed and used counts",
        security,
        params: MerchantParams,
        response: { 200: Type.Array(TemplateT), ...errorResponses },
      },
    },
    async (req) => coupons.listTemplates(req.actor!, req.params.merchantId),
  );

  app.post(
    '/api/merchants/:merchantId/coupons',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['marketing'],
        summary: 'Create a shop coupon (fixed, percent with cap, 满X减Y, free shipping)',
        security,
        params: MerchantParams,
        body: TemplateBody,
        response: { 201: TemplateT, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await coupons.createTemplate(req.actor!, req.params.merchantId, req.body as never)),
  );

  app.post(
    '/api/merchants/:merchantId/coupons/:templateId/status',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['marketing'],
        summary: 'Pause, resume or end a coupon',
        security,
        params: Strict({ merchantId: IdParam, templateId: IdParam }),
        body: StatusBody,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await coupons.setTemplateStatus(req.actor!, req.params.merchantId, req.params.templateId, req.body.status);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/merchants/:merchantId/coupons/:templateId/issue',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['marketing'],
        summary: 'Issue a coupon to customers (e.g. a segment); limits still apply',
        security,
        params: Strict({ merchantId: IdParam, templateId: IdParam }),
        body: Strict({ userIds: Type.Array(IdParam, { minItems: 1, maxItems: 10_000 }) }),
        response: {
          200: Type.Object({
            issued: Type.Integer(),
            skipped: Type.Array(Type.Object({ userId: Type.Integer(), code: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => coupons.issue(req.actor!, req.params.merchantId, req.params.templateId, req.body.userIds),
  );

  app.get(
    '/api/merchants/:merchantId/promotions',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['marketing'],
        summary: "The shop's promotions with their results (paid orders, discount given)",
        security,
        params: MerchantParams,
        response: { 200: Type.Array(PromotionT), ...errorResponses },
      },
    },
    async (req) => promotions.list(req.actor!, req.params.merchantId),
  );

  app.post(
    '/api/merchants/:merchantId/promotions',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['marketing'],
        summary: 'Create a full-reduction (满减/满折), limited-time discount (限时折扣) or new-user price (新人价)',
        security,
        params: MerchantParams,
        body: PromotionBody,
        response: { 201: PromotionT, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await promotions.create(req.actor!, req.params.merchantId, req.body as never)),
  );

  app.post(
    '/api/merchants/:merchantId/promotions/:promotionId/status',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['marketing'],
        summary: 'Pause, resume or end a promotion',
        security,
        params: Strict({ merchantId: IdParam, promotionId: IdParam }),
        body: StatusBody,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await promotions.setStatus(req.actor!, req.params.merchantId, req.params.promotionId, req.body.status);
      return { ok: true as const };
    },
  );

  // ---- platform ----
  app.post(
    '/api/platform/users/:userId/points',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: ['marketing'],
        summary: "Grant (or take back) a shopper's points: a goodwill gesture or a correction, applied once per ref",
        security,
        params: Strict({ userId: IdParam }),
        body: Strict({
          delta: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }),
          ref: Type.String({ minLength: 1, maxLength: 80, description: 'e.g. a ticket number' }),
        }),
        response: {
          200: Type.Object({
            applied: Type.Boolean({ description: 'false: this ref was already applied' }),
            balance: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      await ctx.services.auth.getUser(req.params.userId);
      const applied = await transact(ctx.db, (trx) =>
        points.adjust(trx, req.params.userId, req.body.delta, `platform:${req.body.ref}`),
      );
      return { applied, balance: await points.balance(ctx.db, req.params.userId) };
    },
  );

  app.get(
    '/api/platform/coupons',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: ['marketing'],
        summary: 'Platform-funded coupon templates',
        security,
        response: { 200: Type.Array(TemplateT), ...errorResponses },
      },
    },
    async (req) => coupons.listTemplates(req.actor!, null),
  );

  app.post(
    '/api/platform/coupons',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: ['marketing'],
        summary: 'Create a platform-funded coupon (stacks with one shop coupon)',
        security,
        body: TemplateBody,
        response: { 201: TemplateT, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await coupons.createTemplate(req.actor!, null, req.body as never)),
  );
}
