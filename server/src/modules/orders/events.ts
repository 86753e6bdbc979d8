// What orders tell the other modules. The order's facts travel with each event (lines, totals,
// points used), so a subscriber does not read the order tables to learn what the order was.
import { Type } from 'typebox';
import {
  Count,
  defineEvents,
  Fen,
  Id,
  IsoTime,
  OrNull,
  Payload,
  type PayloadsOf,
} from '../../platform/events/catalogue.ts';

const Exact = { additionalProperties: false };
const Line = Type.Object({ skuId: Id(), productId: Id(), quantity: Count(), payableFen: Fen() }, Exact);
const Who = { orderId: Id(), merchantId: Id(), userId: Id('the buyer') };
const Placed = {
  ...Who,
  roomId: OrNull(Id(), 'the live room it was bought in'),
  fromCart: Type.Optional(Type.Boolean({ description: 'checked out from the cart (its lines leave the cart)' })),
  totalFen: Fen('what the buyer pays, shipping included'),
  items: Type.Array(Line),
};
/** orders.eventPayload(): the order as it stands. */
const Facts = { ...Placed, orderNo: Type.String(), pointsUsed: Count('points deducted at checkout') };

export const ORDER_EVENTS = defineEvents({
  'order.placed': { doc: 'An order was placed (stock reserved, payment pending).', payload: Payload(Placed) },
  'order.paid': {
    doc: 'An order was paid (reserved stock became sold). paymentId is null for an order with nothing to pay.',
    payload: Payload({ ...Facts, paymentId: OrNull(Id()), paidAt: IsoTime() }),
  },
  'order.cancelled': {
    doc: 'An unpaid order was cancelled (by the buyer, a timeout or a failed group); its stock is back on sale.',
    payload: Payload({ ...Facts, reason: Type.String() }),
  },
  'order.shipped': { doc: 'Everything left of an order is on its way.', payload: Payload(Who) },
  'order.delivered': { doc: 'The buyer confirmed receipt (or it was confirmed automatically).', payload: Payload(Who) },
  'order.completed': {
    doc: 'The after-sales window of a delivered order closed; paidFen is what the buyer kept paying for then.',
    payload: Payload({ ...Facts, paidFen: Fen('total minus refunded, at completion') }),
  },
  'order.refunded': {
    doc:
      'Money of an order went back to the buyer (one refund of the order refund ledger, orders/refunds.ts). ' +
      'The cumulative figures are after this refund.',
    payload: Payload({
      ...Who,
      roomId: OrNull(Id()),
      refundId: Id('order refund ledger id'),
      paymentRefundId: OrNull(Id(), 'the payment refund that carried it, when one did'),
      amountFen: Fen('this refund, shipping included'),
      shippingFen: Fen('shipping in this refund'),
      full: Type.Boolean({ description: 'every unit of the order is now refunded' }),
      paidFen: Fen(),
      totalFen: Fen(),
      refundedFen: Fen('refunded so far'),
      goodsPaidFen: Fen('goods paid, all lines'),
      goodsRefundedFen: Fen('goods refunded so far, all lines'),
      pointsUsed: Count(),
      items: Type.Array(Type.Object({ lineId: Id(), quantity: Count(), amountFen: Fen() }, Exact)),
    }),
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof ORDER_EVENTS> {}
}
