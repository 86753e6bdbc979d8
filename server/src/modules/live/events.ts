// What the live module tells the other modules about rooms and shows.
import { Type } from 'typebox';
import { defineEvents, Id, OrNull, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

export const LIVE_EVENTS = defineEvents({
  'room.scheduled': {
    doc: 'A shop created a live room, optionally with a start time.',
    payload: Payload({ roomId: Id(), merchantId: Id(), scheduledAt: OrNull(Type.String(), 'ISO-8601 time as given') }),
  },
  'room.product_pinned': {
    doc: 'The product being explained (讲解中) changed; null when cleared.',
    payload: Payload({ roomId: Id(), merchantId: Id(), productId: OrNull(Id()) }),
  },
  'room.live': {
    doc: 'A show started: the room went live with a new session.',
    payload: Payload({ roomId: Id(), merchantId: Id(), sessionId: Id() }),
  },
  'room.reminder_due': {
    doc: 'A show started and these users asked to be reminded.',
    payload: Payload({ roomId: Id(), merchantId: Id(), title: Type.String(), userIds: Type.Array(Id()) }),
  },
  'room.ended': {
    doc: 'A show ended (by the anchor, the stream stopping, or the shop being closed).',
    payload: Payload({ roomId: Id(), merchantId: Id(), sessionId: OrNull(Id()), reason: Type.String() }),
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof LIVE_EVENTS> {}
}
