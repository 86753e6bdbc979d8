import { Type } from 'typebox';
import { DateTime, Fen, IdParam, Nullable, Strict } from '../../platform/http/schemas.ts';

export const ProductStatusT = Type.Union([Type.Literal('draft'), Type.Literal('on_shelf'), Type.Literal('off_shelf')]);
export const SpecDefT = Strict({
  name: Type.String({ minLength: 1, maxLength: 20 }),
  values: Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { minItems: 1, maxItems: 50 }),
});
export const MediaItemT = Strict({
  type: Type.Union([Type.Literal('image'), Type.Literal('video')]),
  url: Type.String({ minLength: 1, maxLength: 500 }),
});

export const SkuInputT = Strict({
  specValues: Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 5 }),
  priceFen: Fen(),
  originalPriceFen: Type.Optional(Fen()),
  stock: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 10_000_000,
      description:
        'Initial on-hand stock of a SKU this request creates. Ignored for a SKU that exists: change its stock with POST /stock/adjust.',
    }),
  ),
  weightGrams: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 1_000_000,
      description: 'Shipping weight in grams (weight-based shipping templates)',
    }),
  ),
  code: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
  enabled: Type.Optional(Type.Boolean()),
});

export const ProductInputT = Strict(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    subtitle: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 20_000 })),
    categoryId: Type.Optional(Nullable(IdParam)),
    coverUrl: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    media: Type.Optional(Type.Array(MediaItemT, { maxItems: 20 })),
    specs: Type.Array(SpecDefT, { maxItems: 3 }),
    skus: Type.Array(SkuInputT, { minItems: 1, maxItems: 600 }),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 20 })),
    status: Type.Optional(ProductStatusT),
    spuCode: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
    lowStockThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  {
    description:
      'A product and its SKUs: one SKU per combination of spec values (all combinations required). Prices in fen.',
  },
);

export const ProductSummaryT = Type.Object(
  {
    id: Type.Integer(),
    merchantId: Type.Integer(),
    title: Type.String(),
    coverUrl: Type.Union([Type.String(), Type.Null()]),
    minPriceFen: Type.Integer(),
    maxPriceFen: Type.Integer(),
    originalPriceFen: Type.Integer(),
    onShelf: Type.Boolean(),
    stock: Type.Integer(),
    sales: Type.Integer(),
  },
  { $id: 'ProductSummary' },
);

export const ProductDetailT = Type.Object(
  {
    id: Type.Integer(),
    merchantId: Type.Integer(),
    merchantName: Type.String(),
    title: Type.String(),
    subtitle: Type.String(),
    description: Type.String(),
    coverUrl: Type.Union([Type.String(), Type.Null()]),
    media: Type.Array(Type.Object({ type: Type.String(), url: Type.String() })),
    specs: Type.Array(Type.Object({ name: Type.String(), values: Type.Array(Type.String()) })),
    status: ProductStatusT,
    spuCode: Type.Union([Type.String(), Type.Null()]),
    sales: Type.Integer(),
    version: Type.Integer({ description: 'Edit version, also the ETag; send it as If-Match when saving' }),
    categoryId: Type.Union([Type.Integer(), Type.Null()]),
    categoryPath: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
    tags: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
    skus: Type.Array(
      Type.Object({
        id: Type.Integer(),
        specValues: Type.Array(Type.String()),
        name: Type.String(),
        code: Type.Union([Type.String(), Type.Null()]),
        priceFen: Type.Integer(),
        originalPriceFen: Type.Integer(),
        weightGrams: Type.Integer(),
        enabled: Type.Boolean(),
        stock: Type.Integer({ description: 'Available to sell: on hand minus what open orders reserve' }),
        onHand: Type.Optional(Type.Integer({ description: 'Shop view only: units in the warehouses' })),
        reserved: Type.Optional(Type.Integer({ description: 'Shop view only: units held by unpaid orders' })),
      }),
    ),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'ProductDetail' },
);

const categoryFields = {
  id: Type.Integer(),
  name: Type.String(),
  level: Type.Integer(),
  iconUrl: Type.Union([Type.String(), Type.Null()]),
};
/** Three levels at most, spelled out (the serializer needs a finite schema). */
export const CategoryNodeT = Type.Object({
  ...categoryFields,
  children: Type.Array(
    Type.Object({
      ...categoryFields,
      children: Type.Array(Type.Object({ ...categoryFields, children: Type.Array(Type.Object(categoryFields)) })),
    }),
  ),
});
