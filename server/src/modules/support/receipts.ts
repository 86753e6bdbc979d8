// Read receipts and unread counts (a read mark per side; the unread count is recounted from the
// messages after it, so it can never drift), and the shopper's one rating after close.
import type { AppContext } from '../../platform/context.ts';
import { transact } from '../../platform/db/transact.ts';
import { conflict } from '../../platform/errors.ts';
import type { ConversationService, Side } from './conversations.ts';
import { lockConversation, participants } from './store.ts';

export async function markRead(
  ctx: AppContext,
  svc: ConversationService,
  side: Side,
  conversationId: number,
  seq: number,
) {
  const conv = await svc.visible(side, conversationId);
  const reader = side.as;
  const userId = side.as === 'shopper' ? side.userId : side.actor.userId;
  if (reader === 'agent' && conv.agent_user_id !== userId) {
    // Reading another agent's chat (a supervisor) is no read receipt for the shopper.
    return { conversationId, seq: conv.agent_read_seq, unread: conv.agent_unread };
  }
  const row = await transact(ctx.db, async (trx) => {
    const locked = await lockConversation(trx, conv.id);
    const upTo = Math.min(Math.max(0, seq), locked.last_seq);
    const mark = reader === 'shopper' ? locked.shopper_read_seq : locked.agent_read_seq;
    if (upTo <= mark) return locked;
    const others = await trx
      .selectFrom('support_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('conversation_id', '=', conv.id)
      .where('seq', '>', upTo)
      .where('sender', reader === 'shopper' ? '<>' : '=', 'shopper')
      .executeTakeFirstOrThrow();
    const unread = Number(others.n);
    const updated = await trx
      .updateTable('support_conversations')
      .set(
        reader === 'shopper'
          ? { shopper_read_seq: upTo, shopper_unread: unread }
          : { agent_read_seq: upTo, agent_unread: unread },
      )
      .where('id', '=', conv.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.events.emit(trx, {
      type: 'support.read',
      aggregateType: 'support_conversation',
      aggregateId: conv.id,
      payload: { merchantId: conv.merchant_id, conversationId: conv.id, reader, readerUserId: userId, seq: upTo },
    });
    return updated;
  });
  const readSeq = reader === 'shopper' ? row.shopper_read_seq : row.agent_read_seq;
  await svc.flush([
    [participants(row), { type: 'support.read', data: { conversationId: row.id, reader, seq: readSeq } }],
  ]);
  return {
    conversationId: row.id,
    seq: readSeq,
    unread: reader === 'shopper' ? row.shopper_unread : row.agent_unread,
  };
}

/** 转人工: the shopper asks for a person (from the bot, or to leave a message). */

export async function rateConversation(
  ctx: AppContext,
  svc: ConversationService,
  userId: number,
  conversationId: number,
  input: { stars: number; comment?: string | undefined },
) {
  const conv = await svc.visible({ as: 'shopper', userId }, conversationId);
  if (conv.status !== 'closed') throw conflict('CONVERSATION_OPEN', 'A conversation can be rated once it is closed');
  const comment = (input.comment ?? '').trim();
  return transact(ctx.db, async (trx) => {
    const now = new Date();
    const rated = await trx
      .updateTable('support_conversations')
      .set({ rating: input.stars, rating_comment: comment, rated_at: now, updated_at: now })
      .where('id', '=', conv.id)
      .where('rating', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!rated) throw conflict('ALREADY_RATED', 'This conversation has been rated already');
    await ctx.events.emit(trx, {
      type: 'support.rated',
      aggregateType: 'support_conversation',
      aggregateId: conv.id,
      payload: {
        merchantId: conv.merchant_id,
        conversationId: conv.id,
        userId,
        agentUserId: conv.agent_user_id,
        stars: input.stars,
        comment,
        ratedAt: now.toISOString(),
      },
    });
    return { conversationId: conv.id, stars: input.stars, comment };
  });
}

/** Publish what a committed transaction changed (never inside it: the cache is not rolled back). */
