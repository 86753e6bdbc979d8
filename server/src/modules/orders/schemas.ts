import { Type } from 'typebox';
import { DateTime, Nullable } from '../../platform/http/schemas.ts';
import { AdjustmentT } from '../checkout/schemas.ts';

export const OrderStatusT = Type.Union(
  ['pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded'].map((s) => Type.Literal(s)),
);

export { BasketItemsT } from '../checkout/request.ts';

export const PlaceResultT = Type.Object({
  checkoutNo: Type.String(),
  orders: Type.Array(
    Type.Object({
      orderId: Type.Integer(),
      orderNo: Type.String(),
      merchantId: Type.Integer(),
      status: Type.String(),
      totalFen: Type.Integer(),
    }),
  ),
  payment: Nullable(
    Type.Object({
      paymentNo: Type.String(),
      amountFen: Type.Integer(),
      status: Type.String(),
      expiresAt: DateTime,
      cashierUrl: Nullable(
        Type.String({
          description:
            'The test-money cashier, only where the sandbox is on; otherwise null: pay with a provider of ' +
            'GET /api/payments/methods through POST /api/payments/{paymentNo}/start',
        }),
      ),
    }),
  ),
});

export const OrderSummaryT = Type.Object(
  {
    id: Type.Integer(),
    orderNo: Type.String(),
    merchantId: Type.Integer(),
    merchantName: Type.String(),
    userId: Type.Integer(),
    status: OrderStatusT,
    goodsFen: Type.Integer(),
    discountFen: Type.Integer(),
    shippingFen: Type.Integer(),
    totalFen: Type.Integer(),
    refundedFen: Type.Integer(),
    roomId: Nullable(Type.Integer()),
    createdAt: DateTime,
    paidAt: Nullable(DateTime),
    payDeadline: DateTime,
    lines: Type.Array(
      Type.Object({
        productId: Type.Integer(),
        skuId: Type.Integer(),
        productTitle: Type.String(),
        skuName: Type.String(),
        imageUrl: Nullable(Type.String()),
        quantity: Type.Integer(),
        unitPriceFen: Type.Integer(),
        payableFen: Type.Integer(),
      }),
    ),
  },
  { $id: 'OrderSummary' },
);

const AddressT = Type.Object({
  name: Type.String(),
  phone: Type.String(),
  province: Type.String(),
  city: Type.String(),
  district: Type.String(),
  districtCode: Type.Optional(Nullable(Type.String({ description: 'GB/T 2260 district code, when known' }))),
  detail: Type.String(),
  postalCode: Nullable(Type.String()),
});

export const OrderDetailT = Type.Object(
  {
    id: Type.Integer(),
    orderNo: Type.String(),
    merchantId: Type.Integer(),
    merchantName: Type.String(),
    userId: Type.Integer(),
    status: OrderStatusT,
    roomId: Nullable(Type.Integer()),
    goodsFen: Type.Integer(),
    discountFen: Type.Integer(),
    shippingFen: Type.Integer(),
    totalFen: Type.Integer(),
    refundedFen: Type.Integer(),
    pointsUsed: Type.Integer(),
    refundStatus: Type.Union([Type.Literal('none'), Type.Literal('partial'), Type.Literal('full')]),
    charges: Type.Array(Type.Object({ step: Type.String(), reason: Type.String(), amountFen: Type.Integer() })),
    address: Nullable(AddressT),
    buyerNote: Type.String(),
    payDeadline: DateTime,
    cancelReason: Nullable(Type.String()),
    payment: Nullable(
      Type.Object({
        paymentNo: Type.String(),
        status: Type.String(),
        provider: Nullable(Type.String()),
        paidAt: Nullable(DateTime),
      }),
    ),
    lines: Type.Array(
      Type.Object({
        id: Type.Integer(),
        skuId: Type.Integer(),
        productId: Type.Integer(),
        productTitle: Type.String(),
        skuName: Type.String(),
        imageUrl: Nullable(Type.String()),
        quantity: Type.Integer(),
        listUnitPriceFen: Type.Integer(),
        unitPriceFen: Type.Integer(),
        goodsFen: Type.Integer(),
        discountFen: Type.Integer(),
        payableFen: Type.Integer(),
        refundedFen: Type.Integer(),
        refundedQuantity: Type.Integer(),
        shippedQuantity: Type.Integer(),
        adjustments: Type.Array(AdjustmentT),
      }),
    ),
    shipments: Type.Array(
      Type.Object({
        id: Type.Integer(),
        carrier: Type.String(),
        trackingNo: Type.String(),
        items: Type.Array(Type.Object({ lineId: Type.Integer(), quantity: Type.Integer() })),
        shippedAt: DateTime,
      }),
    ),
    history: Type.Array(
      Type.Object({ from: Nullable(Type.String()), to: Type.String(), note: Nullable(Type.String()), at: DateTime }),
    ),
    createdAt: DateTime,
    paidAt: Nullable(DateTime),
    shippedAt: Nullable(DateTime),
    deliveredAt: Nullable(DateTime),
    completedAt: Nullable(DateTime),
    cancelledAt: Nullable(DateTime),
  },
  { $id: 'OrderDetail' },
);
