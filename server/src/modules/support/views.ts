// Rows as the API and the socket show them (SupportMessage in packages/sdk/src/realtime-frames.ts).
import type { SupportCard, SupportConversationUpdate, SupportMessage } from '@livemall/sdk/realtime-frames';
import type { Sendable } from '../realtime/protocol.ts';
import type { ConversationRow, MessageRow } from './store.ts';

export function messageView(m: MessageRow): Sendable<SupportMessage> {
  const p = (m.payload ?? {}) as Record<string, unknown>;
  const card = m.kind === 'text' ? null : ({ type: m.kind, ...p } as SupportCard);
  return {
    id: m.id,
    conversationId: m.conversation_id,
    seq: m.seq,
    from: m.sender,
    senderUserId: m.sender_user_id,
    clientId: m.client_id,
    kind: m.kind,
    text: m.text,
    card,
    createdAt: m.created_at,
  };
}

export function updateView(c: ConversationRow): SupportConversationUpdate {
  return {
    conversationId: c.id,
    merchantId: c.merchant_id,
    userId: c.user_id,
    status: c.status,
    priority: c.priority,
    agentUserId: c.agent_user_id,
    lastSeq: c.last_seq,
  };
}

const waitSeconds = (c: ConversationRow, now: number) =>
  c.queued_at && (c.status === 'queued' || c.status === 'left_message')
    ? Math.max(0, Math.floor((now - new Date(c.queued_at).getTime()) / 1000))
    : null;

/** A conversation in a list, for either side; `as` picks whose unread count and read mark of the other side. */
export function conversationView(c: ConversationRow, as: 'shopper' | 'agent', names: Map<number, string>) {
  return {
    id: c.id,
    merchantId: c.merchant_id,
    userId: c.user_id,
    nickname: names.get(c.user_id) ?? '',
    status: c.status,
    priority: c.priority,
    source: c.source,
    sourceId: c.source_id,
    roomId: c.room_id,
    agentUserId: c.agent_user_id,
    agentName: c.agent_user_id === null ? null : (names.get(c.agent_user_id) ?? ''),
    lastSeq: c.last_seq,
    unread: as === 'shopper' ? c.shopper_unread : c.agent_unread,
    /** Read receipt: the other side has read up to this seq. */
    peerReadSeq: as === 'shopper' ? c.agent_read_seq : c.shopper_read_seq,
    lastPreview: c.last_preview,
    lastMessageAt: c.last_message_at,
    queuedAt: c.queued_at,
    waitSeconds: waitSeconds(c, Date.now()),
    rating: c.rating,
    createdAt: c.created_at,
    closedAt: c.closed_at,
  };
}
export type ConversationView = ReturnType<typeof conversationView>;
