// Conversations from the shopper's side and the parts both sides share: open (from a product, an
// order, an after-sales request or a live room; one open conversation per shop, reused), send
// (stored before it is acknowledged; the client id makes a retry store once), read receipts and
// unread counts, asking for a human, close and the satisfaction rating.
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { transact } from '../../platform/db/transact.ts';
import type { Tx } from '../../platform/db/types.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { type BotParts, scheduleBotTurn } from './bot-turn.ts';
import { openConversation } from './opening.ts';
import { markRead, rateConversation } from './receipts.ts';
import { compose, type SendInput } from './compose.ts';
import type { SupportDelivery } from './delivery.ts';
import { finishConversation } from './closing.ts';
import { type Pushes, pushMessage, routeToHuman } from './routing.ts';
import { appendMessage, type ConversationRow, lockConversation, type MessageRow } from './store.ts';
import type { ConversationSource } from './tables.ts';
import { conversationView, messageView, updateView } from './views.ts';

export interface OpenInput {
  merchantId: number;
  from?: { kind: Exclude<ConversationSource, 'shop'>; id: number } | undefined;
  /** The live room the shopper came from, when opened from something else (a product shown in a room). */
  roomId?: number | undefined;
}
/** Who acts on a conversation: its shopper, or a member of its shop's team. */
export type Side = { as: 'shopper'; userId: number } | { as: 'agent'; actor: Actor; merchantId: number };

export class ConversationService {
  constructor(
    private readonly ctx: AppContext,
    readonly delivery: SupportDelivery,
  ) {}

  private get bot(): BotParts['supportBot'] | undefined {
    return (this.ctx.services as unknown as Partial<BotParts>).supportBot;
  }

  open(userId: number, input: OpenInput) {
    return openConversation(this.ctx, this, userId, input);
  }

  async visible(side: Side, conversationId: number, db = this.ctx.db): Promise<ConversationRow> {
    if (side.as === 'agent')
      await this.ctx.services.merchants.requireRole(side.actor, side.merchantId).catch((err: unknown) => {
        // Not on that shop's team: the conversation, not the shop, is what was asked for.
        throw err instanceof AppError && err.statusCode === 404
          ? notFound('Conversation', 'CONVERSATION_NOT_FOUND')
          : err;
      });
    const row = await db
      .selectFrom('support_conversations')
      .selectAll()
      .where('id', '=', conversationId)
      .executeTakeFirst();
    const mine = side.as === 'shopper' ? row?.user_id === side.userId : row?.merchant_id === side.merchantId;
    if (!row || !mine) throw notFound('Conversation', 'CONVERSATION_NOT_FOUND');
    return row;
  }

  async listForShopper(userId: number) {
    const rows = await this.ctx.db
      .selectFrom('support_conversations')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(100)
      .execute();
    const [names, shops] = await Promise.all([
      this.ctx.services.directory.nicknames(
        rows.flatMap((r) => [r.user_id, ...(r.agent_user_id ? [r.agent_user_id] : [])]),
      ),
      this.ctx.services.directory.merchantNames(rows.map((r) => r.merchant_id)),
    ]);
    return rows.map((r) => ({ ...conversationView(r, 'shopper', names), shopName: shops.get(r.merchant_id) ?? '' }));
  }

  async unreadForShopper(userId: number) {
    const rows = await this.ctx.db
      .selectFrom('support_conversations')
      .select(['id', 'merchant_id', 'shopper_unread'])
      .where('user_id', '=', userId)
      .where('shopper_unread', '>', 0)
      .orderBy('id', 'desc')
      .limit(200)
      .execute();
    return {
      total: rows.reduce((n, r) => n + r.shopper_unread, 0),
      conversations: rows.map((r) => ({ conversationId: r.id, merchantId: r.merchant_id, unread: r.shopper_unread })),
    };
  }

  /** History, oldest first: after a seq (catching up) or before one (scrolling back). */
  async messages(
    side: Side,
    conversationId: number,
    q: { after?: number | undefined; before?: number | undefined; limit: number },
  ) {
    const conv = await this.visible(side, conversationId);
    let query = this.ctx.db.selectFrom('support_messages').selectAll().where('conversation_id', '=', conv.id);
    if (q.after !== undefined) query = query.where('seq', '>', q.after);
    if (q.before !== undefined) query = query.where('seq', '<', q.before);
    const rows =
      q.after !== undefined
        ? await query.orderBy('seq').limit(q.limit).execute()
        : (await query.orderBy('seq', 'desc').limit(q.limit).execute()).reverse();
    return {
      lastSeq: conv.last_seq,
      peerReadSeq: side.as === 'shopper' ? conv.agent_read_seq : conv.shopper_read_seq,
      messages: rows.map(messageView),
    };
  }

  /** Messages after < seq <= upTo, for the delivery's gap fills and resumes (no access check: callers did it). */
  readRange = async (
    conversationId: number,
    after: number,
    upTo: number | null,
    limit: number,
  ): Promise<MessageRow[]> => {
    let q = this.ctx.db
      .selectFrom('support_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', after);
    if (upTo !== null) q = q.where('seq', '<=', upTo);
    return q.orderBy('seq').limit(limit).execute();
  };

  async send(side: Side, conversationId: number, input: SendInput) {
    const conv = await this.visible(side, conversationId);
    const content = await compose(this.ctx, conv, side.as, input);
    const senderUserId = side.as === 'shopper' ? side.userId : side.actor.userId;
    const pushes: Pushes = [];
    const out = await transact(this.ctx.db, async (trx) => {
      const locked = await lockConversation(trx, conv.id);
      if (locked.status === 'closed') {
        const dup = await this.byClientId(trx, conv.id, senderUserId, input.clientId);
        if (dup) return { message: dup, duplicate: true };
        throw conflict('CONVERSATION_CLOSED', 'This conversation is closed; open a new one');
      }
      if (side.as === 'agent') await this.requireHandler(trx, side, locked);
      const sent = await appendMessage(this.ctx, trx, locked, {
        sender: side.as,
        senderUserId,
        clientId: input.clientId,
        ...content,
      });
      if (!sent.duplicate) {
        pushMessage(pushes, sent.conversation, sent.message);
        if (side.as === 'shopper' && locked.status === 'bot' && this.bot)
          await scheduleBotTurn(this.ctx, trx, sent.conversation, sent.message);
      }
      return sent;
    });
    await this.flush(pushes);
    return {
      messageId: out.message.id,
      seq: out.message.seq,
      duplicate: out.duplicate,
      createdAt: out.message.created_at,
      message: messageView(out.message),
    };
  }

  private async byClientId(trx: Tx, conversationId: number, userId: number, clientId: string) {
    return trx
      .selectFrom('support_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('sender_user_id', '=', userId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
  }

  /** Only the agent who has the conversation writes in it (the owner and platform support may step in). */
  private async requireHandler(trx: Tx, side: Extract<Side, { as: 'agent' }>, conv: ConversationRow): Promise<void> {
    if (conv.agent_user_id === side.actor.userId) return;
    const role = await this.ctx.services.merchants.requireRole(side.actor, side.merchantId, undefined, trx);
    if (role === 'merchant_owner' || role === 'platform_admin') return;
    throw conflict('CONVERSATION_NOT_YOURS', 'Pick this conversation (or have it transferred to you) to reply');
  }

  read(side: Side, conversationId: number, seq: number) {
    return markRead(this.ctx, this, side, conversationId, seq);
  }

  async askHuman(userId: number, conversationId: number) {
    const conv = await this.visible({ as: 'shopper', userId }, conversationId);
    const pushes: Pushes = [];
    const row = await transact(this.ctx.db, async (trx) => {
      const locked = await lockConversation(trx, conv.id);
      if (locked.status === 'closed')
        throw conflict('CONVERSATION_CLOSED', 'This conversation is closed; open a new one');
      return routeToHuman(this.ctx, trx, locked, 'shopper_asked', 'normal', pushes);
    });
    await this.flush(pushes);
    return updateView(row);
  }

  async close(side: Side, conversationId: number) {
    const conv = await this.visible(side, conversationId);
    const pushes: Pushes = [];
    const row = await transact(this.ctx.db, async (trx) => {
      const locked = await lockConversation(trx, conv.id);
      if (locked.status === 'closed') return locked;
      if (side.as === 'agent') await this.requireHandler(trx, side, locked);
      return finishConversation(this.ctx, trx, locked, side.as === 'agent' ? 'agent' : 'shopper', pushes);
    });
    await this.flush(pushes);
    if (conv.agent_user_id !== null) await this.ctx.services.supportAgents.drain(conv.merchant_id);
    return updateView(row);
  }

  rate(userId: number, conversationId: number, input: { stars: number; comment?: string | undefined }) {
    return rateConversation(this.ctx, this, userId, conversationId, input);
  }

  async flush(pushes: Pushes): Promise<void> {
    for (const [userIds, frame] of pushes)
      await this.delivery
        .publish(userIds, frame)
        .catch((err: unknown) => this.ctx.log.warn({ err }, 'support publish failed'));
  }
}
