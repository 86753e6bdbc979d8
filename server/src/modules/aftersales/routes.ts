import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import { DateTime, errorResponses, IdParam, MerchantParams, Strict } from '../../platform/http/schemas.ts';

const security = [{ bearer: [] }];
const StatusT = Type.Union(
  ['requested', 'awaiting_return', 'returned', 'refunding', 'refunded', 'rejected', 'cancelled'].map((s) =>
    Type.Literal(s),
  ),
);
const AftersaleT = Type.Object(
  {
    id: Type.Integer(),
    aftersaleNo: Type.String(),
    orderId: Type.Integer(),
    orderNo: Type.String({ description: 'The order number people read (orderId stays for API calls)' }),
    merchantId: Type.Integer(),
    userId: Type.Integer(),
    type: Type.String(),
    status: StatusT,
    reason: Type.String(),
    description: Type.String(),
    rejectReason: Type.Union([Type.String(), Type.Null()]),
    returnCarrier: Type.Union([Type.String(), Type.Null()]),
    returnTrackingNo: Type.Union([Type.String(), Type.Null()]),
    // An estimate while the request is open; decided against what is already refunded when the refund starts.
    amountFen: Type.Integer({
      description: 'Estimate while requested / awaiting return; the amount refunded once refunding',
    }),
    shippingFen: Type.Integer({ description: 'Share of the shipping fee (returned once, only before anything ships)' }),
    createdAt: DateTime,
    updatedAt: DateTime,
    lines: Type.Array(
      Type.Object({
        lineId: Type.Integer(),
        productTitle: Type.String(),
        skuName: Type.String(),
        quantity: Type.Integer(),
        amountFen: Type.Integer(),
      }),
    ),
  },
  { $id: 'Aftersale' },
);
const ShopAftersale = Strict({ merchantId: IdParam, aftersaleId: IdParam });
const AskedLines = Type.Array(Strict({ lineId: IdParam, quantity: Type.Integer({ minimum: 1, maximum: 999 }) }), {
  minItems: 1,
  maxItems: 100,
});
const Fen = (description: string) => Type.Integer({ description });
const RefundStateT = Type.Object({
  orderId: Type.Integer(),
  status: Type.String(),
  totalFen: Type.Integer(),
  refundedFen: Fen('Back with the buyer (shipping included when it went back)'),
  refundingFen: Fen('Refunds started whose money is on its way'),
  requestedFen: Fen('Estimates of the open requests (not yet started)'),
  canRequest: Type.Boolean({ description: 'A new request can be made now (order state, period, units left)' }),
  types: Type.Array(Type.Union([Type.Literal('refund_only'), Type.Literal('return_refund')])),
  lines: Type.Array(
    Type.Object({
      lineId: Type.Integer(),
      quantity: Type.Integer(),
      shippedQuantity: Type.Integer(),
      refundedQuantity: Type.Integer(),
      refundingQuantity: Type.Integer(),
      requestedQuantity: Type.Integer({ description: 'Held by open requests' }),
      refundableQuantity: Type.Integer({ description: 'What a new request may ask for' }),
      refundedFen: Type.Integer(),
      refundingFen: Type.Integer(),
      requestedFen: Type.Integer(),
    }),
  ),
});
const EstimateT = Type.Object({
  amountFen: Fen('What the request would return if its refund started now, after the open requests'),
  shippingFen: Fen('Of which the shipping fee (returned once, by the last refund, if nothing shipped)'),
  lines: Type.Array(Type.Object({ lineId: Type.Integer(), quantity: Type.Integer(), amountFen: Type.Integer() })),
});

export function aftersaleRoutes(app: Http, ctx: AppContext): void {
  const svc = ctx.services.aftersales;
  app.addSchema(AftersaleT);
  const ref = Type.Ref('Aftersale');

  app.post(
    '/api/orders/:orderId/aftersales',
    {
      config: { access: 'user' },
      schema: {
        tags: ['aftersales'],
        summary: 'Ask for a refund (refund only, or return and refund) on some lines and quantities',
        security,
        params: Strict({ orderId: IdParam }),
        body: Strict({
          type: Type.Union([Type.Literal('refund_only'), Type.Literal('return_refund')]),
          reason: Type.String({ minLength: 1, maxLength: 100 }),
          description: Type.Optional(Type.String({ maxLength: 500 })),
          lines: Type.Array(Strict({ lineId: IdParam, quantity: Type.Integer({ minimum: 1 }) }), { minItems: 1 }),
        }),
        response: { 201: ref, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.request(req.actor!.userId, req.params.orderId, req.body)),
  );

  app.get(
    '/api/aftersales',
    {
      config: { access: 'user' },
      schema: {
        tags: ['aftersales'],
        summary: 'My after-sales requests, or those of one of my orders',
        security,
        querystring: Strict({ orderId: Type.Optional(IdParam) }),
        response: { 200: Type.Array(ref), ...errorResponses },
      },
    },
    async (req) => svc.listForShopper(req.actor!.userId, req.query.orderId),
  );

  app.get(
    '/api/orders/:orderId/refundable',
    {
      config: { access: 'user' },
      schema: {
        tags: ['aftersales'],
        security,
        params: Strict({ orderId: IdParam }),
        summary:
          'Where my order stands for refunds: per line refunded, being refunded, held by open requests, refundable',
        response: { 200: RefundStateT, ...errorResponses },
      },
    },
    async (req) => svc.refundState(req.actor!.userId, req.params.orderId),
  );

  app.post(
    '/api/orders/:orderId/aftersales/estimate',
    {
      config: { access: 'user' },
      schema: {
        tags: ['aftersales'],
        security,
        params: Strict({ orderId: IdParam }),
        body: Strict({ lines: AskedLines }),
        summary:
          'What a request for these units would return now (the estimate it would be stored with); writes nothing',
        response: { 200: EstimateT, ...errorResponses },
      },
    },
    async (req) => svc.estimateFor(req.actor!.userId, req.params.orderId, req.body.lines),
  );
  app.post(
    '/api/aftersales/:aftersaleId/return',
    {
      config: { access: 'user' },
      schema: {
        tags: ['aftersales'],
        summary: 'Tell the shop how the goods are coming back',
        security,
        params: Strict({ aftersaleId: IdParam }),
        body: Strict({
          carrier: Type.String({ minLength: 1, maxLength: 40 }),
          trackingNo: Type.String({ minLength: 4, maxLength: 40 }),
        }),
        response: { 200: ref, ...errorResponses },
      },
    },
    async (req) => svc.submitReturn(req.actor!.userId, req.params.aftersaleId, req.body),
  );
  app.post(
    '/api/aftersales/:aftersaleId/cancel',
    {
      config: { access: 'user' },
      schema: {
        tags: ['aftersales'],
        summary: 'Withdraw my request',
        security,
        params: Strict({ aftersaleId: IdParam }),
        response: { 200: ref, ...errorResponses },
      },
    },
    async (req) => svc.cancel(req.actor!.userId, req.params.aftersaleId),
  );

  app.get(
    '/api/merchants/:merchantId/aftersales',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['aftersales'],
        summary: "The shop's after-sales queue",
        security,
        params: MerchantParams,
        querystring: Type.Object({ status: Type.Optional(StatusT) }, { additionalProperties: false }),
        response: { 200: Type.Array(ref), ...errorResponses },
      },
    },
    async (req) => svc.listForMerchant(req.actor!, req.params.merchantId, req.query.status as never),
  );
  app.post(
    '/api/merchants/:merchantId/aftersales/:aftersaleId/approve',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['aftersales'],
        summary: 'Approve: refund now (refund only) or wait for the goods (return and refund)',
        security,
        params: ShopAftersale,
        response: { 200: ref, ...errorResponses },
      },
    },
    async (req) => svc.approve(req.actor!, req.params.merchantId, req.params.aftersaleId),
  );
  app.post(
    '/api/merchants/:merchantId/aftersales/:aftersaleId/reject',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['aftersales'],
        summary: 'Reject with a reason',
        security,
        params: ShopAftersale,
        body: Strict({ reason: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: ref, ...errorResponses },
      },
    },
    async (req) => svc.reject(req.actor!, req.params.merchantId, req.params.aftersaleId, req.body.reason),
  );
  app.post(
    '/api/merchants/:merchantId/aftersales/:aftersaleId/receive',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['aftersales'],
        summary: 'Returned goods received: restock and refund',
        security,
        params: ShopAftersale,
        response: { 200: ref, ...errorResponses },
      },
    },
    async (req) => svc.receiveReturn(req.actor!, req.params.merchantId, req.params.aftersaleId),
  );
}
