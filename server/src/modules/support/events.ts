// What the support module (conversations) tells the others: the bot's and tickets' metrics
// (first response, pickup within 30 s, satisfaction) and the notifications module (offline
// recipients) subscribe to these, so each payload carries what they need without reading our tables.
import { Type } from 'typebox';
import { Count, defineEvents, Id, IsoTime, OrNull, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

const Source = Type.Union(
  [
    Type.Literal('shop'),
    Type.Literal('product'),
    Type.Literal('order'),
    Type.Literal('aftersale'),
    Type.Literal('room'),
  ],
  { description: 'Where the shopper opened the chat from' },
);
const Sender = Type.Union(
  [Type.Literal('shopper'), Type.Literal('agent'), Type.Literal('bot'), Type.Literal('system')],
  {
    description: 'Who wrote the message',
  },
);
const Priority = Type.Union([Type.Literal('normal'), Type.Literal('high')]);

export const SUPPORT_EVENTS = defineEvents({
  'support.conversation_opened': {
    doc: 'A shopper opened a conversation with a shop (not emitted when an open one is reused).',
    payload: Payload({
      merchantId: Id(),
      conversationId: Id(),
      userId: Id('the shopper'),
      source: Source,
      sourceId: OrNull(Id(), 'the product, order or after-sales request the chat was opened from'),
      roomId: OrNull(Id(), 'the live room the shopper came from'),
      status: Type.String({
        description: 'bot (the bot answers first) | queued (no bot: support.queued, maybe support.assigned, follow)',
      }),
      openedAt: IsoTime(),
    }),
  },
  'support.message_sent': {
    doc:
      'A message was stored in a conversation (stored once per client id; internal notes are not messages). ' +
      'recipientUserIds: who should be told (the shopper or the assigned agent); empty when nobody is assigned.',
    payload: Payload({
      merchantId: Id(),
      conversationId: Id(),
      messageId: Id(),
      seq: Count('the conversation’s monotonic sequence number'),
      from: Sender,
      senderUserId: OrNull(Id()),
      shopperUserId: Id(),
      agentUserId: OrNull(Id()),
      recipientUserIds: Type.Array(Id()),
      kind: Type.String({ description: 'text | image | product | order | system' }),
      preview: Type.String({ description: 'up to 60 characters, for a notification' }),
      sentAt: IsoTime(),
    }),
  },
  'support.queued': {
    doc: 'A conversation now waits for a human: queued (agents online, all at capacity) or left_message (nobody online).',
    payload: Payload({
      merchantId: Id(),
      conversationId: Id(),
      userId: Id('the shopper'),
      status: Type.String({ description: 'queued | left_message' }),
      priority: Priority,
      reason: Type.String({ description: 'shopper_asked | bot_handover | bot_escalate | no_bot | agent_left' }),
      queuedAt: IsoTime(),
    }),
  },
  'support.assigned': {
    doc: 'A conversation was given to an agent (round-robin or picked). waitSeconds: since it was queued.',
    payload: Payload({
      merchantId: Id(),
      conversationId: Id(),
      userId: Id('the shopper'),
      agentUserId: Id(),
      how: Type.String({ description: 'auto | picked' }),
      queuedAt: OrNull(IsoTime()),
      assignedAt: IsoTime(),
      waitSeconds: Count(),
    }),
  },
  'support.transferred': {
    doc: 'An agent handed a conversation to another agent of the shop.',
    payload: Payload({
      merchantId: Id(),
      conversationId: Id(),
      userId: Id('the shopper'),
      fromAgentUserId: Id(),
      toAgentUserId: Id(),
      byUserId: Id(),
      note: Type.String(),
      transferredAt: IsoTime(),
    }),
  },
  'support.read': {
    doc: 'One side read a conversation up to a seq (read receipts; unread counts drop).',
    payload: Payload({
      merchantId: Id(),
      conversationId: Id(),
      reader: Type.Union([Type.Literal('shopper'), Type.Literal('agent')]),
      readerUserId: Id(),
      seq: Count(),
    }),
  },
  'support.conversation_closed': {
    doc:
      'A conversation was closed. firstResponseSeconds: from the first shopper message to the first agent reply ' +
      '(null when no agent replied); resolvedBy: bot when no human ever took part.',
    payload: Payload({
      merchantId: Id(),
      conversationId: Id(),
      userId: Id('the shopper'),
      agentUserId: OrNull(Id()),
      closedBy: Type.String({ description: 'agent | shopper | system' }),
      resolvedBy: Type.String({ description: 'bot | agent | none' }),
      openedAt: IsoTime(),
      queuedAt: OrNull(IsoTime()),
      assignedAt: OrNull(IsoTime()),
      firstResponseAt: OrNull(IsoTime()),
      firstResponseSeconds: OrNull(Count()),
      pickupSeconds: OrNull(Count('from queued to assigned')),
      resolutionSeconds: Count('from opened to closed'),
      messages: Count(),
      closedAt: IsoTime(),
    }),
  },
  'support.rated': {
    doc: 'The shopper rated a closed conversation (once; 1–5 stars).',
    payload: Payload({
      merchantId: Id(),
      conversationId: Id(),
      userId: Id('the shopper'),
      agentUserId: OrNull(Id()),
      stars: Type.Integer({ minimum: 1, maximum: 5 }),
      comment: Type.String(),
      ratedAt: IsoTime(),
    }),
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof SUPPORT_EVENTS> {}
}
