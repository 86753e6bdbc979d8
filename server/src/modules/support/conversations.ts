// Conversations from the shopper's side and the parts both sides share: open (from a product, an
// order, an after-sales request or a live room; one open conversation per shop, reused), send
// (stored before it is acknowledged; the client id makes a retry store once), read receipts and
// unread counts, asking for a human, close and the satisfaction rating.
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { transact } from '../../platform/db/transact.ts';
import type { Tx } from '../../platform/db/types.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import { type BotParts, scheduleBotTurn } from './bot-turn.ts';
import { compose, type SendInput } from './compose.ts';
import type { SupportDelivery } from './delivery.ts';
import { finishConversation } from './closing.ts';
import { type Pushes, pushMessage, routeToHuman } from './routing.ts';
import { appendMessage, type ConversationRow, lockConversation, type MessageRow, participants } from './store.ts';
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

  async open(userId: number, input: OpenInput) {
    const { merchantId } = input;
    if (!(await this.ctx.services.merchants.isPublic(merchantId))) throw notFound('Merchant');
    const source = await this.checkSource(userId, input);
    const pushes: Pushes = [];
    const { row, created } = await transact(this.ctx.db, async (trx) => {
      const inserted = await trx
        .insertInto('support_conversations')
        .values({
          merchant_id: merchantId,
          user_id: userId,
          status: 'bot',
          source: source.kind,
          source_id: source.id,
          room_id: source.roomId,
        })
        .onConflict((oc) => oc.columns(['merchant_id', 'user_id']).where('status', '<>', 'closed').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!inserted) return { row: await this.reopenContext(trx, merchantId, userId, source), created: false };
      await this.ctx.events.emit(trx, {
        type: 'support.conversation_opened',
        aggregateType: 'support_conversation',
        aggregateId: inserted.id,
        payload: {
          merchantId,
          conversationId: inserted.id,
          userId,
          source: source.kind,
          sourceId: source.id,
          roomId: source.roomId,
          status: this.bot ? 'bot' : 'queued',
          openedAt: new Date(inserted.created_at).toISOString(),
        },
      });
      // Without a bot a human is asked for at once (or the shopper is told to leave a message).
      const row = this.bot ? inserted : await routeToHuman(this.ctx, trx, inserted, 'no_bot', 'normal', pushes);
      return { row, created: true };
    });
    await this.flush(pushes);
    const names = await this.ctx.services.directory.nicknames([
      row.user_id,
      ...(row.agent_user_id ? [row.agent_user_id] : []),
    ]);
    return { created, conversation: conversationView(row, 'shopper', names) };
  }

  /** The same shopper opens again (from another product or order): the open conversation notes the new context. */
  private async reopenContext(
    trx: Tx,
    merchantId: number,
    userId: number,
    s: Awaited<ReturnType<typeof this.checkSource>>,
  ) {
    let q = trx
      .updateTable('support_conversations')
      .where('merchant_id', '=', merchantId)
      .where('user_id', '=', userId)
      .where('status', '<>', 'closed');
    q =
      s.kind === 'shop'
        ? q.set({ updated_at: new Date() })
        : q.set({ source: s.kind, source_id: s.id, updated_at: new Date() });
    if (s.roomId !== null) q = q.set({ room_id: s.roomId });
    return q.returningAll().executeTakeFirstOrThrow();
  }

  /** The context must be the shopper's own and the shop's (else the same 404/400 as its owner gives). */
  private async checkSource(userId: number, input: OpenInput) {
    const { merchantId, from } = input;
    const s = this.ctx.services;
    let roomId = input.roomId ?? null;
    if (roomId !== null) await s.live.requireOwnRoom(this.ctx.db, merchantId, roomId);
    if (!from) return { kind: 'shop' as ConversationSource, id: null, roomId };
    if (from.kind === 'product') {
      const [p] = await s.catalog.getProductSummaries([from.id]);
      if (!p || p.merchantId !== merchantId)
        throw badRequest('PRODUCT_NOT_IN_SHOP', 'That product is not from this shop');
    } else if (from.kind === 'order') {
      await s.orderQueries.requireOwnOrder(this.ctx.db, { userId }, from.id);
      await s.orderQueries.requireOwnOrder(this.ctx.db, { merchantId }, from.id);
    } else if (from.kind === 'aftersale') {
      const mine = await s.aftersales.listForShopper(userId);
      if (!mine.some((a) => a.id === from.id && a.merchantId === merchantId))
        throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
    } else {
      await s.live.requireOwnRoom(this.ctx.db, merchantId, from.id);
      roomId = from.id;
    }
    return { kind: from.kind as ConversationSource, id: from.id, roomId };
  }

  /** The conversation as this side may see it: another shopper's or another shop's is not found. */
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

  async read(side: Side, conversationId: number, seq: number) {
    const conv = await this.visible(side, conversationId);
    const reader = side.as;
    const userId = side.as === 'shopper' ? side.userId : side.actor.userId;
    if (reader === 'agent' && conv.agent_user_id !== userId) {
      // Reading another agent's chat (a supervisor) is no read receipt for the shopper.
      return { conversationId, seq: conv.agent_read_seq, unread: conv.agent_unread };
    }
    const row = await transact(this.ctx.db, async (trx) => {
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
      await this.ctx.events.emit(trx, {
        type: 'support.read',
        aggregateType: 'support_conversation',
        aggregateId: conv.id,
        payload: { merchantId: conv.merchant_id, conversationId: conv.id, reader, readerUserId: userId, seq: upTo },
      });
      return updated;
    });
    const readSeq = reader === 'shopper' ? row.shopper_read_seq : row.agent_read_seq;
    await this.flush([
      [participants(row), { type: 'support.read', data: { conversationId: row.id, reader, seq: readSeq } }],
    ]);
    return {
      conversationId: row.id,
      seq: readSeq,
      unread: reader === 'shopper' ? row.shopper_unread : row.agent_unread,
    };
  }

  /** 转人工: the shopper asks for a person (from the bot, or to leave a message). */
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

  async rate(userId: number, conversationId: number, input: { stars: number; comment?: string | undefined }) {
    const conv = await this.visible({ as: 'shopper', userId }, conversationId);
    if (conv.status !== 'closed') throw conflict('CONVERSATION_OPEN', 'A conversation can be rated once it is closed');
    const comment = (input.comment ?? '').trim();
    return transact(this.ctx.db, async (trx) => {
      const now = new Date();
      const rated = await trx
        .updateTable('support_conversations')
        .set({ rating: input.stars, rating_comment: comment, rated_at: now, updated_at: now })
        .where('id', '=', conv.id)
        .where('rating', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!rated) throw conflict('ALREADY_RATED', 'This conversation has been rated already');
      await this.ctx.events.emit(trx, {
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
  async flush(pushes: Pushes): Promise<void> {
    for (const [userIds, frame] of pushes)
      await this.delivery
        .publish(userIds, frame)
        .catch((err: unknown) => this.ctx.log.warn({ err }, 'support publish failed'));
  }
}
