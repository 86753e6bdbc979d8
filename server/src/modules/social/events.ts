// What the social module tells the other modules.
import { defineEvents, Id, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

export const SOCIAL_EVENTS = defineEvents({
  'merchant.followed': {
    doc: 'A user followed a shop (the first follow only; following again emits nothing).',
    payload: Payload({ merchantId: Id(), userId: Id() }),
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof SOCIAL_EVENTS> {}
}
