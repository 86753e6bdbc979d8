// What the tickets part tells the others (the console's notifications, C3's workbench): a ticket
// opened, an SLA timer ran out (escalated), a ticket resolved, a compensation paid. Declared by the
// support module (support/index.ts spreads them into its catalogue).
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
} from '../../../platform/events/catalogue.ts';

const Priority = Type.Union([
  Type.Literal('low'),
  Type.Literal('normal'),
  Type.Literal('high'),
  Type.Literal('urgent'),
]);

export const TICKET_EVENTS = defineEvents({
  'support.ticket_opened': {
    doc: 'A ticket (工单) was opened, from a conversation (by the bot or an agent) or by the shop.',
    payload: Payload({
      merchantId: Id(),
      ticketId: Id(),
      userId: Id('the shopper'),
      conversationId: OrNull(Id()),
      category: Type.String({ description: 'dispute | complaint | aftersale | other' }),
      priority: Priority,
      reason: Type.String(),
      firstResponseDueAt: IsoTime(),
      resolutionDueAt: IsoTime(),
      openedAt: IsoTime(),
    }),
  },
  'support.ticket_escalated': {
    doc:
      "A ticket's priority went up: an SLA timer ran out (timer: first_response | resolution; breached) " +
      'or the shopper escalated again (timer: null). Notify the assignee and the shop.',
    payload: Payload({
      merchantId: Id(),
      ticketId: Id(),
      userId: Id('the shopper'),
      conversationId: OrNull(Id()),
      timer: OrNull(Type.String({ description: 'first_response | resolution' })),
      fromPriority: Priority,
      priority: Priority,
      assigneeUserId: OrNull(Id()),
      dueAt: OrNull(IsoTime('the deadline that ran out')),
      escalations: Count(),
      escalatedAt: IsoTime(),
    }),
  },
  'support.ticket_resolved': {
    doc: 'A ticket was resolved; breached: one of its SLA timers had run out before.',
    payload: Payload({
      merchantId: Id(),
      ticketId: Id(),
      userId: Id('the shopper'),
      conversationId: OrNull(Id()),
      resolvedByUserId: Id(),
      breached: Type.Boolean(),
      resolutionSeconds: Count(),
      resolvedAt: IsoTime(),
    }),
  },
  'support.compensation_paid': {
    doc: 'A compensation (先行赔付) approved by the shop owner reached the shopper as a coupon of the amount.',
    payload: Payload({
      merchantId: Id(),
      ticketId: Id(),
      compensationId: Id(),
      userId: Id('the shopper'),
      amountFen: Fen(),
      couponId: Id(),
      approvedByUserId: Id(),
      paidAt: IsoTime(),
    }),
  },
});

declare module '../../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof TICKET_EVENTS> {}
}
