// What the checkout answers: a priced basket (Quote) with every adjustment per line.
import { Type } from 'typebox';
import { DateTime, Nullable } from '../../platform/http/schemas.ts';

export const AdjustmentT = Type.Object({
  step: Type.String(),
  stage: Type.String(),
  reason: Type.String(),
  amountFen: Type.Integer(),
  ref: Type.Optional(Type.String()),
});

export const QuoteT = Type.Object(
  {
    groups: Type.Array(
      Type.Object({
        merchantId: Type.Integer(),
        goodsFen: Type.Integer(),
        discountFen: Type.Integer(),
        shippingFen: Type.Integer(),
        totalFen: Type.Integer(),
        charges: Type.Array(Type.Object({ step: Type.String(), reason: Type.String(), amountFen: Type.Integer() })),
        lines: Type.Array(
          Type.Object({
            lineId: Type.String(),
            skuId: Type.Integer(),
            productId: Type.Integer(),
            productTitle: Type.String(),
            skuName: Type.String(),
            imageUrl: Nullable(Type.String()),
            quantity: Type.Integer(),
            unitPriceFen: Type.Integer(),
            listUnitPriceFen: Type.Integer(),
            originalUnitPriceFen: Type.Integer(),
            payableFen: Type.Integer(),
            adjustments: Type.Array(AdjustmentT),
          }),
        ),
      }),
    ),
    goodsFen: Type.Integer(),
    discountFen: Type.Integer(),
    shippingFen: Type.Integer(),
    totalFen: Type.Integer(),
    notes: Type.Array(Type.String()),
    undeliverable: Type.Array(Type.Object({ merchantId: Type.Integer(), reason: Type.String() })),
    couponMode: Type.Union([Type.Literal('auto'), Type.Literal('chosen')], {
      description: 'auto: the best stack was chosen for you; chosen: exactly couponIds',
    }),
    appliedCouponIds: Type.Array(Type.Integer()),
    coupons: Type.Array(
      Type.Object({
        couponId: Type.Integer(),
        title: Type.String(),
        description: Type.String(),
        funding: Type.Union([Type.Literal('platform'), Type.Literal('merchant')]),
        merchantId: Nullable(Type.Integer()),
        applied: Type.Boolean(),
        savingFen: Type.Integer({
          description: 'applied: what it takes off here; otherwise what it would take off alone',
        }),
        reason: Nullable(Type.String({ description: 'why it does nothing for this basket' })),
      }),
      { description: 'The coupons the shopper could pick for this basket' },
    ),
    points: Type.Object({
      balance: Type.Integer(),
      usable: Type.Integer(),
      used: Type.Integer(),
      deductedFen: Type.Integer(),
      reason: Nullable(Type.String()),
    }),
    quoteToken: Type.String({
      description: 'Place the same request with it: its coupons and points are applied, its total is the payment',
    }),
    expiresAt: DateTime,
  },
  { $id: 'Quote' },
);
