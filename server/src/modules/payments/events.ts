// What payments tell the other modules. bizType/bizId say what was paid for (an order checkout's
// checkout_no, a coin top-up's id), so each module picks out its own.
import { Type } from 'typebox';
import { defineEvents, Fen, Id, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

const Business = {
  bizType: Type.String({ description: "what was paid for: 'order', 'coin_topup'…" }),
  bizId: Type.String({ description: "that thing's reference (an order checkout's checkout_no, a top-up's id)" }),
};

export const PAYMENT_EVENTS = defineEvents({
  'payment.succeeded': {
    doc: 'The provider confirmed a payment (also when it arrived after the payment was closed: lateAfterClose).',
    payload: Payload({
      paymentId: Id(),
      paymentNo: Type.String(),
      userId: Id(),
      amountFen: Fen(),
      ...Business,
      provider: Type.String(),
      lateAfterClose: Type.Boolean(),
    }),
  },
  'payment.refunded': {
    doc: 'The provider accepted a refund: the money is on its way back to the payer.',
    payload: Payload({ paymentId: Id(), refundId: Id('payment refund id'), amountFen: Fen(), ...Business }),
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof PAYMENT_EVENTS> {}
}
