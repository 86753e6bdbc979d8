import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses, IdParam, Ok, Strict } from '../../platform/http/schemas.ts';

const security = [{ bearer: [] }];
const CartLineT = Type.Object({
  skuId: Type.Integer(),
  productId: Type.Integer(),
  productTitle: Type.String(),
  skuName: Type.String(),
  imageUrl: Type.Union([Type.String(), Type.Null()]),
  quantity: Type.Integer(),
  selected: Type.Boolean(),
  priceFen: Type.Integer(),
  priceFenAtAdd: Type.Integer(),
  lineTotalFen: Type.Integer(),
  available: Type.Integer(),
  flags: Type.Object({
    offShelf: Type.Boolean(),
    outOfStock: Type.Boolean(),
    insufficientStock: Type.Boolean(),
    repriced: Type.Boolean(),
  }),
});
const CartT = Type.Object({
  groups: Type.Array(
    Type.Object({
      merchantId: Type.Integer(),
      merchantName: Type.String(),
      lines: Type.Array(CartLineT),
      selectedTotalFen: Type.Integer(),
    }),
  ),
  selectedTotalFen: Type.Integer(),
  count: Type.Integer(),
});

export function cartRoutes(app: Http, ctx: AppContext): void {
  const cart = ctx.services.cart;
  app.get(
    '/api/cart',
    {
      config: { access: 'user' },
      schema: {
        tags: ['cart'],
        summary: 'My cart, grouped by shop; lines flagged when off-shelf, out of stock or repriced',
        security,
        response: { 200: CartT, ...errorResponses },
      },
    },
    async (req) => cart.view(req.actor!.userId),
  );

  app.post(
    '/api/cart/items',
    {
      config: { access: 'user' },
      schema: {
        tags: ['cart'],
        summary: 'Add a SKU (adds to the quantity already there)',
        security,
        body: Strict({ skuId: IdParam, quantity: Type.Integer({ minimum: 1, maximum: 999 }) }),
        response: { 200: CartT, ...errorResponses },
      },
    },
    async (req) => {
      await cart.add(req.actor!.userId, req.body.skuId, req.body.quantity);
      return cart.view(req.actor!.userId);
    },
  );

  app.patch(
    '/api/cart/items/:skuId',
    {
      config: { access: 'user' },
      schema: {
        tags: ['cart'],
        summary: 'Change quantity or selection',
        security,
        params: Strict({ skuId: IdParam }),
        body: Strict({
          quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
          selected: Type.Optional(Type.Boolean()),
        }),
        response: { 200: CartT, ...errorResponses },
      },
    },
    async (req) => {
      await cart.update(req.actor!.userId, req.params.skuId, req.body);
      return cart.view(req.actor!.userId);
    },
  );

  app.delete(
    '/api/cart/items/:skuId',
    {
      config: { access: 'user' },
      schema: {
        tags: ['cart'],
        summary: 'Remove a line',
        security,
        params: Strict({ skuId: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await cart.remove(req.actor!.userId, [req.params.skuId]);
      return { ok: true as const };
    },
  );
}
