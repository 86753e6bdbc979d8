import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import {
  DateTime,
  errorResponses,
  IdParam,
  MerchantParams,
  Page,
  Pagination,
  Strict,
} from '../../platform/http/schemas.ts';
import { OrderDetailT, OrderStatusT, OrderSummaryT, PlaceResultT } from './schemas.ts';
import { CheckoutRequestFields } from '../checkout/request.ts';

const security = [{ bearer: [] }];
const MerchantOrderQuery = Type.Object(
  {
    ...Pagination.properties,
    status: Type.Optional(OrderStatusT),
    q: Type.Optional(Type.String({ maxLength: 60 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    roomId: Type.Optional(IdParam),
  },
  { additionalProperties: false },
);
const OrderParams = Strict({ merchantId: IdParam, orderId: IdParam });

export function orderRoutes(app: Http, ctx: AppContext): void {
  const { orderPlacement, orders, orderQueries } = ctx.services;
  for (const s of [OrderSummaryT, OrderDetailT]) app.addSchema(s);

  app.post(
    '/api/orders',
    {
      config: { access: 'user', rateLimit: { bucket: 'orders.place', max: 30, windowSec: 60, by: 'user' } },
      schema: {
        tags: ['orders'],
        summary:
          'Place orders (one per shop) and get the payment to make. Prices are computed on the server; the idempotency key makes retries safe.',
        security,
        body: Strict({
          ...CheckoutRequestFields,
          addressId: IdParam,
          idempotencyKey: Type.String({ minLength: 8, maxLength: 80 }),
          buyerNote: Type.Optional(Type.String({ maxLength: 200 })),
          fromCart: Type.Optional(
            Type.Boolean({ description: 'Checked out from the cart: the ordered SKUs leave it' }),
          ),
          quoteToken: Type.Optional(
            Type.String({
              maxLength: 2000,
              description:
                'From the quote of this same request: the coupons and points it applied are used, and a changed total is refused (PRICE_CHANGED)',
            }),
          ),
        }),
        response: { 201: PlaceResultT, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await orderPlacement.place(req.actor!.userId, req.body)),
  );

  app.get(
    '/api/orders',
    {
      config: { access: 'user' },
      schema: {
        tags: ['orders'],
        summary: 'My orders',
        security,
        querystring: Type.Object(
          { ...Pagination.properties, status: Type.Optional(OrderStatusT) },
          { additionalProperties: false },
        ),
        response: { 200: Page(Type.Ref('OrderSummary')), ...errorResponses },
      },
    },
    async (req) =>
      orderQueries.listForShopper(req.actor!.userId, {
        status: req.query.status as never,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  app.get(
    '/api/orders/:orderId',
    {
      config: { access: 'user' },
      schema: {
        tags: ['orders'],
        summary: 'One of my orders with its price breakdown, parcels and history',
        security,
        params: Strict({ orderId: IdParam }),
        response: { 200: Type.Ref('OrderDetail'), ...errorResponses },
      },
    },
    async (req) => orderQueries.detail(req.params.orderId, { userId: req.actor!.userId }),
  );

  app.post(
    '/api/orders/:orderId/cancel',
    {
      config: { access: 'user' },
      schema: {
        tags: ['orders'],
        summary: 'Cancel an unpaid order (orders paid together are cancelled together)',
        security,
        params: Strict({ orderId: IdParam }),
        response: { 200: Type.Object({ cancelledOrderIds: Type.Array(Type.Integer()) }), ...errorResponses },
      },
    },
    async (req) => ({ cancelledOrderIds: await orders.cancelByShopper(req.actor!.userId, req.params.orderId) }),
  );

  app.post(
    '/api/orders/:orderId/confirm-receipt',
    {
      config: { access: 'user' },
      schema: {
        tags: ['orders'],
        summary: 'Confirm I received the goods',
        security,
        params: Strict({ orderId: IdParam }),
        response: { 200: Type.Ref('OrderDetail'), ...errorResponses },
      },
    },
    async (req) => {
      await orders.confirmByShopper(req.actor!.userId, req.params.orderId);
      return orderQueries.detail(req.params.orderId, { userId: req.actor!.userId });
    },
  );

  // ---- merchants ----
  app.get(
    '/api/merchants/:merchantId/orders',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['orders'],
        summary: "The shop's orders: search (order no, buyer name/phone, product), status, date range, live room",
        security,
        params: MerchantParams,
        querystring: MerchantOrderQuery,
        response: { 200: Page(Type.Ref('OrderSummary')), ...errorResponses },
      },
    },
    async (req) =>
      orderQueries.listForMerchant(req.actor!, req.params.merchantId, {
        ...req.query,
        status: req.query.status as never,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  app.get(
    '/api/merchants/:merchantId/orders/summary',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['orders'],
        summary: 'Paid orders and GMV: per day (dashboard) or, with roomId, per minute (go-live console)',
        security,
        params: MerchantParams,
        querystring: Type.Object(
          {
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
            roomId: Type.Optional(IdParam),
            minutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 1440 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            unit: Type.String(),
            timeZone: Type.String({ description: "The shop's time zone: days are its calendar days" }),
            today: Type.String({ description: "Today's date there, YYYY-MM-DD" }),
            todayStart: DateTime,
            paidOrders: Type.Integer(),
            gmvFen: Type.Integer(),
            series: Type.Array(
              Type.Object({ at: DateTime, day: Type.String(), orders: Type.Integer(), gmvFen: Type.Integer() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => orderQueries.salesSummary(req.actor!, req.params.merchantId, req.query),
  );

  app.get(
    '/api/merchants/:merchantId/orders/export.csv',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['orders'],
        summary: 'Export the filtered orders as CSV (one row per line)',
        security,
        params: MerchantParams,
        querystring: MerchantOrderQuery,
      },
    },
    async (req, reply) => {
      const csv = await orderQueries.exportCsv(req.actor!, req.params.merchantId, {
        ...req.query,
        status: req.query.status as never,
        page: 1,
        pageSize: 50_000,
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="orders-${req.params.merchantId}.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/api/merchants/:merchantId/orders/:orderId',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['orders'],
        summary: 'An order with its price breakdown',
        security,
        params: OrderParams,
        response: { 200: Type.Ref('OrderDetail'), ...errorResponses },
      },
    },
    async (req) => orderQueries.detail(req.params.orderId, { actor: req.actor!, merchantId: req.params.merchantId }),
  );

  app.post(
    '/api/merchants/:merchantId/orders/:orderId/ship',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['orders'],
        summary: 'Ship a parcel (all remaining items unless listed); several parcels allowed',
        security,
        params: OrderParams,
        body: Strict({
          carrier: Type.String({ minLength: 1, maxLength: 40 }),
          trackingNo: Type.String({ minLength: 4, maxLength: 40 }),
          items: Type.Optional(
            Type.Array(Strict({ lineId: IdParam, quantity: Type.Integer({ minimum: 1 }) }), { minItems: 1 }),
          ),
        }),
        response: { 200: Type.Object({ shipmentId: Type.Integer(), status: Type.String() }), ...errorResponses },
      },
    },
    async (req) => orders.ship(req.actor!, req.params.merchantId, req.params.orderId, req.body),
  );
}
