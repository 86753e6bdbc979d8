// What marketing tells the other modules.
import { defineEvents, Id, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

const Group = Payload({ groupId: Id() });

export const MARKETING_EVENTS = defineEvents({
  'group_buy.succeeded': { doc: 'A group-buy group filled up (or was auto-filled at expiry).', payload: Group },
  'group_buy.failed': {
    doc: 'A group-buy group expired unfilled; every paid member is refunded in full.',
    payload: Group,
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof MARKETING_EVENTS> {}
}
