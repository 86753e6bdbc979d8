// Opening a conversation (联系客服) from a product, an order, an after-sales request or a live room:
// the context must be the shopper's own and the shop's (checked with each owner's helper); one open
// conversation per shopper and shop, so opening again reuses it and notes the new context. Without a
// bot a human is asked for at once (or the shopper is told to leave a message).
import type { AppContext } from '../../platform/context.ts';
import { transact } from '../../platform/db/transact.ts';
import type { Tx } from '../../platform/db/types.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import type { BotParts } from './bot-turn.ts';
import type { ConversationService, OpenInput } from './conversations.ts';
import { type Pushes, routeToHuman } from './routing.ts';
import type { ConversationSource } from './tables.ts';
import { conversationView } from './views.ts';

interface Source {
  kind: ConversationSource;
  id: number | null;
  roomId: number | null;
}

export async function openConversation(ctx: AppContext, svc: ConversationService, userId: number, input: OpenInput) {
  const { merchantId } = input;
  if (!(await ctx.services.merchants.isPublic(merchantId))) throw notFound('Merchant');
  const bot = (ctx.services as unknown as Partial<BotParts>).supportBot;
  const source = await checkSource(ctx, userId, input);
  const pushes: Pushes = [];
  const { row, created } = await transact(ctx.db, async (trx) => {
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
    if (!inserted) return { row: await reopenContext(trx, merchantId, userId, source), created: false };
    await ctx.events.emit(trx, {
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
        status: bot ? 'bot' : 'queued',
        openedAt: new Date(inserted.created_at).toISOString(),
      },
    });
    // Without a bot a human is asked for at once (or the shopper is told to leave a message).
    const row = bot ? inserted : await routeToHuman(ctx, trx, inserted, 'no_bot', 'normal', pushes);
    return { row, created: true };
  });
  await svc.flush(pushes);
  const names = await ctx.services.directory.nicknames([
    row.user_id,
    ...(row.agent_user_id ? [row.agent_user_id] : []),
  ]);
  return { created, conversation: conversationView(row, 'shopper', names) };
}

/** The same shopper opens again (from another product or order): the open conversation notes the new context. */
async function reopenContext(trx: Tx, merchantId: number, userId: number, s: Source) {
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
async function checkSource(ctx: AppContext, userId: number, input: OpenInput): Promise<Source> {
  const { merchantId, from } = input;
  const s = ctx.services;
  let roomId = input.roomId ?? null;
  if (roomId !== null) await s.live.requireOwnRoom(ctx.db, merchantId, roomId);
  if (!from) return { kind: 'shop' as ConversationSource, id: null, roomId };
  if (from.kind === 'product') {
    const [p] = await s.catalog.getProductSummaries([from.id]);
    if (!p || p.merchantId !== merchantId)
      throw badRequest('PRODUCT_NOT_IN_SHOP', 'That product is not from this shop');
  } else if (from.kind === 'order') {
    await s.orderQueries.requireOwnOrder(ctx.db, { userId }, from.id);
    await s.orderQueries.requireOwnOrder(ctx.db, { merchantId }, from.id);
  } else if (from.kind === 'aftersale') {
    const mine = await s.aftersales.listForShopper(userId);
    if (!mine.some((a) => a.id === from.id && a.merchantId === merchantId))
      throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
  } else {
    await s.live.requireOwnRoom(ctx.db, merchantId, from.id);
    roomId = from.id;
  }
  return { kind: from.kind as ConversationSource, id: from.id, roomId };
}

/** The conversation as this side may see it: another shopper's or another shop's is not found. */
