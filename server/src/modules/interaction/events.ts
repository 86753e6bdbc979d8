// What the interaction module tells the other modules (and itself, after the draw commits).
import { Type } from 'typebox';
import { defineEvents, Id, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

export const INTERACTION_EVENTS = defineEvents({
  'lucky_bag.drawn': {
    doc: 'A lucky bag was drawn; winners in rank order (coupon prizes are already granted).',
    payload: Payload({
      bagId: Id(),
      roomId: Id(),
      merchantId: Id(),
      winners: Type.Array(Id(), { description: 'user ids' }),
    }),
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof INTERACTION_EVENTS> {}
}
