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

const security = [{ bearer: [] }];
const Warehouse = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  region: Type.String(),
  isDefault: Type.Boolean(),
});
const toWarehouse = (w: { id: number; name: string; region: string; is_default: boolean }) => ({
  id: w.id,
  name: w.name,
  region: w.region,
  isDefault: w.is_default,
});

export function inventoryRoutes(app: Http, ctx: AppContext): void {
  const inv = ctx.services.inventory;

  app.get(
    '/api/merchants/:merchantId/warehouses',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['inventory'],
        summary: 'Warehouses',
        security,
        params: MerchantParams,
        response: { 200: Type.Array(Warehouse), ...errorResponses },
      },
    },
    async (req) => (await inv.listWarehouses(req.actor!, req.params.merchantId)).map(toWarehouse),
  );

  app.post(
    '/api/merchants/:merchantId/warehouses',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['inventory'],
        summary: 'Add a warehouse',
        security,
        params: MerchantParams,
        body: Strict({
          name: Type.String({ minLength: 1, maxLength: 40 }),
          region: Type.Optional(Type.String({ maxLength: 60 })),
          isDefault: Type.Optional(Type.Boolean()),
        }),
        response: { 201: Warehouse, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(toWarehouse(await inv.createWarehouse(req.actor!, req.params.merchantId, req.body))),
  );

  app.get(
    '/api/merchants/:merchantId/stock',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['inventory'],
        summary: 'Stock per SKU and warehouse (lowOnly: at or below the low-stock threshold)',
        security,
        params: MerchantParams,
        querystring: Type.Object(
          {
            ...Pagination.properties,
            lowOnly: Type.Optional(Type.Boolean()),
            skuId: Type.Optional(IdParam),
            q: Type.Optional(Type.String({ maxLength: 60 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Page(
            Type.Object({
              skuId: Type.Integer(),
              skuName: Type.String(),
              code: Type.Union([Type.String(), Type.Null()]),
              productId: Type.Integer(),
              productTitle: Type.String(),
              warehouseId: Type.Integer(),
              warehouseName: Type.String(),
              isDefaultWarehouse: Type.Boolean(),
              onHand: Type.Integer(),
              reserved: Type.Integer(),
              available: Type.Integer(),
              lowStockThreshold: Type.Integer(),
              low: Type.Boolean(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      inv.listStock(req.actor!, req.params.merchantId, {
        ...req.query,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 50,
      }),
  );

  app.post(
    '/api/merchants/:merchantId/stock/adjust',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['inventory'],
        summary: 'Change (delta) or set (quantity) on-hand stock of a SKU; optionally its low-stock threshold',
        security,
        params: MerchantParams,
        description:
          'Send `delta` for goods in or out (+12 arrived, −2 damaged): it is applied atomically, so concurrent changes all ' +
          'count. Send `quantity` only for a stocktake count of what is on the shelf. Either way on-hand never goes below what open ' +
          'orders reserve (409 STOCK_BELOW_RESERVED), and the change is one ledger row with `note` as its reason. Not both (400 ADJUST_AMBIGUOUS).',
        body: Strict({
          skuId: IdParam,
          warehouseId: Type.Optional(IdParam),
          quantity: Type.Optional(
            Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'The on-hand count (a stocktake)' }),
          ),
          delta: Type.Optional(
            Type.Integer({ minimum: -10_000_000, maximum: 10_000_000, description: 'Units in (+) or out (−)' }),
          ),
          lowStockThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
          note: Type.Optional(
            Type.String({ maxLength: 200, description: 'Why: 到货 / 盘点 / 损耗 …, shown in the ledger' }),
          ),
        }),
        response: {
          200: Type.Object({
            skuId: Type.Integer(),
            warehouseId: Type.Integer(),
            onHand: Type.Integer(),
            reserved: Type.Integer(),
            available: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => inv.adjust(req.actor!, req.params.merchantId, req.body),
  );

  app.get(
    '/api/merchants/:merchantId/stock/ledger',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['inventory'],
        summary: 'Every stock change with its reason and order',
        security,
        params: MerchantParams,
        querystring: Type.Object(
          { ...Pagination.properties, skuId: Type.Optional(IdParam), orderId: Type.Optional(IdParam) },
          { additionalProperties: false },
        ),
        response: {
          200: Page(
            Type.Object({
              id: Type.Integer(),
              skuId: Type.Integer(),
              warehouseId: Type.Integer(),
              deltaOnHand: Type.Integer(),
              deltaReserved: Type.Integer(),
              onHandAfter: Type.Integer(),
              reservedAfter: Type.Integer(),
              reason: Type.String(),
              orderId: Type.Union([Type.Integer(), Type.Null()]),
              refundId: Type.Union([Type.Integer(), Type.Null()]),
              note: Type.Union([Type.String(), Type.Null()]),
              actorUserId: Type.Union([Type.Integer(), Type.Null()]),
              createdAt: DateTime,
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      inv.ledger(req.actor!, req.params.merchantId, {
        ...req.query,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 50,
      }),
  );
}
