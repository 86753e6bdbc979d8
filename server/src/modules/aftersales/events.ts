// What after-sales tells the other modules.
import { defineEvents, Fen, Id, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

export const AFTERSALE_EVENTS = defineEvents({
  'aftersale.requested': {
    doc: 'A shopper asked for a refund or a return; amountFen is the estimate at the time.',
    payload: Payload({ aftersaleId: Id(), orderId: Id(), merchantId: Id(), userId: Id(), amountFen: Fen() }),
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof AFTERSALE_EVENTS> {}
}
