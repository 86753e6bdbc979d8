// The conversation's books, always inside the caller's transaction: lock the conversation row, then
// append a message under the next seq (the row lock orders concurrent senders, so seqs are 1, 2, 3…
// without gaps) and move the unread counters in the same statement. A retried send (same client id
// from the same sender) finds the stored message instead of writing a second one.
import type { Selectable } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Database, Tx } from '../../platform/db/types.ts';
import { notFound } from '../../platform/errors.ts';
import type { MessageKind, Sender } from './tables.ts';
import './tables.ts';

export type ConversationRow = Selectable<Database['support_conversations']>;
export type MessageRow = Selectable<Database['support_messages']>;

export const PREVIEW_CHARS = 60;

export async function lockConversation(trx: Tx, conversationId: number): Promise<ConversationRow> {
  const row = await trx
    .selectFrom('support_conversations')
    .selectAll()
    .where('id', '=', conversationId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('Conversation', 'CONVERSATION_NOT_FOUND');
  return row;
}

export interface NewMessage {
  sender: Sender;
  senderUserId: number | null;
  clientId: string | null;
  kind: MessageKind;
  text: string;
  payload?: Record<string, unknown>;
  moderation?: unknown;
}

export interface Appended {
  message: MessageRow;
  duplicate: boolean;
  conversation: ConversationRow;
}

/** What a notification shows: the text, or what the card is. */
export function previewOf(kind: MessageKind, text: string): string {
  const shown = kind === 'text' || kind === 'system' ? text : `[${kind}]${text ? ` ${text}` : ''}`;
  return [...shown].slice(0, PREVIEW_CHARS).join('');
}

/** Append one message to a conversation the caller has locked (lockConversation). */
export async function appendMessage(ctx: AppContext, trx: Tx, conv: ConversationRow, m: NewMessage): Promise<Appended> {
  if (m.clientId !== null) {
    let q = trx
      .selectFrom('support_messages')
      .selectAll()
      .where('conversation_id', '=', conv.id)
      .where('client_id', '=', m.clientId);
    q =
      m.senderUserId === null ? q.where('sender_user_id', 'is', null) : q.where('sender_user_id', '=', m.senderUserId);
    const existing = await q.executeTakeFirst();
    if (existing) return { message: existing, duplicate: true, conversation: conv };
  }
  const now = new Date();
  const fromShopper = m.sender === 'shopper';
  const firstHumanReply = m.sender === 'agent' && conv.first_response_at === null;
  const preview = previewOf(m.kind, m.text);
  // The sender has read what they answer (their read mark moves to the new seq); the other side has one more unread.
  const conversation = await trx
    .updateTable('support_conversations')
    .set((eb) => ({
      last_seq: eb('last_seq', '+', 1),
      agent_unread: fromShopper ? eb('agent_unread', '+', 1) : m.sender === 'agent' ? 0 : eb.ref('agent_unread'),
      shopper_unread: fromShopper ? 0 : eb('shopper_unread', '+', 1),
      ...(fromShopper ? { shopper_read_seq: eb('last_seq', '+', 1) } : {}),
      ...(m.sender === 'agent' ? { agent_read_seq: eb('last_seq', '+', 1), human_joined: true } : {}),
      last_message_at: now,
      last_preview: preview,
      updated_at: now,
      ...(fromShopper && conv.first_shopper_at === null ? { first_shopper_at: now } : {}),
      ...(firstHumanReply ? { first_response_at: now } : {}),
    }))
    .where('id', '=', conv.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const seq = conversation.last_seq;
  const message = await trx
    .insertInto('support_messages')
    .values({
      conversation_id: conv.id,
      merchant_id: conv.merchant_id,
      seq,
      sender: m.sender,
      sender_user_id: m.senderUserId,
      client_id: m.clientId,
      kind: m.kind,
      text: m.text,
      payload: JSON.stringify(m.payload ?? {}),
      moderation: m.moderation === undefined ? null : JSON.stringify(m.moderation),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const recipients = [conversation.user_id, conversation.agent_user_id].filter(
    (id): id is number => id !== null && id !== m.senderUserId,
  );
  await ctx.events.emit(trx, {
    type: 'support.message_sent',
    aggregateType: 'support_conversation',
    aggregateId: conv.id,
    payload: {
      merchantId: conv.merchant_id,
      conversationId: conv.id,
      messageId: message.id,
      seq,
      from: m.sender,
      senderUserId: m.senderUserId,
      shopperUserId: conversation.user_id,
      agentUserId: conversation.agent_user_id,
      recipientUserIds: recipients,
      kind: m.kind,
      preview,
      sentAt: now.toISOString(),
    },
  });
  return { message, duplicate: false, conversation };
}

/** Who gets a conversation's frames: the shopper and the assigned agent (every device of each). */
export function participants(conv: ConversationRow): number[] {
  return conv.agent_user_id !== null && conv.agent_user_id !== conv.user_id
    ? [conv.user_id, conv.agent_user_id]
    : [conv.user_id];
}
