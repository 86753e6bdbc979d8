// Beside the chat on the shop's workbench: the customer's context (their orders and after-sales at
// this shop, coupons, points, the room they came from — each through its owner's service), canned
// replies with variables, internal notes (never shown to the shopper) and the quick actions: a
// compensation coupon (marketing's coupon service) and approving a pending refund (after-sales').
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { ConversationService } from './conversations.ts';
import type { ConversationRow } from './store.ts';

const OPERATORS: Array<'merchant_owner' | 'merchant_staff'> = ['merchant_owner', 'merchant_staff'];

export class Workbench {
  constructor(
    private readonly ctx: AppContext,
    private readonly conversations: ConversationService,
  ) {}

  private conv(actor: Actor, merchantId: number, conversationId: number) {
    return this.conversations.visible({ as: 'agent', actor, merchantId }, conversationId);
  }

  async context(actor: Actor, merchantId: number, conversationId: number) {
    const conv = await this.conv(actor, merchantId, conversationId);
    const s = this.ctx.services;
    const userId = conv.user_id;
    const [names, orders, aftersales, coupons, points, room] = await Promise.all([
      s.directory.nicknames([userId]),
      s.orderQueries.listForShopper(userId, { page: 1, pageSize: 50 }),
      s.aftersales.listForShopper(userId),
      s.coupons.mine(userId),
      s.points.balances([userId]),
      conv.room_id ? s.live.getRoom(conv.room_id) : Promise.resolve(null),
    ]);
    const here = orders.items.filter((o) => o.merchantId === merchantId);
    return {
      userId,
      nickname: names.get(userId) ?? '',
      source: conv.source,
      sourceId: conv.source_id,
      room: room && room.merchantId === merchantId ? { id: room.id, title: room.title, status: room.status } : null,
      orders: here.slice(0, 20).map((o) => ({
        id: o.id,
        orderNo: o.orderNo,
        status: o.status,
        totalFen: o.totalFen,
        createdAt: o.createdAt,
      })),
      aftersales: aftersales
        .filter((a) => a.merchantId === merchantId)
        .slice(0, 20)
        .map((a) => ({
          id: a.id,
          aftersaleNo: a.aftersaleNo,
          orderId: a.orderId,
          type: a.type,
          status: a.status,
          amountFen: a.amountFen,
        })),
      // The shop's own coupons and the platform's (which the shopper can spend here too).
      coupons: coupons
        .filter((c) => c.merchantId === merchantId || c.merchantId === null)
        .map((c) => ({ id: c.id, title: c.title, description: c.description, validUntil: c.validUntil })),
      points: points.get(userId) ?? 0,
    };
  }

  // ---- canned replies ----
  async cannedReplies(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const rows = await this.ctx.db
      .selectFrom('support_canned_replies')
      .select(['id', 'title', 'text', 'updated_at'])
      .where('merchant_id', '=', merchantId)
      .orderBy('id')
      .limit(500)
      .execute();
    return rows.map((r) => ({ id: r.id, title: r.title, text: r.text, updatedAt: r.updated_at }));
  }

  async saveCannedReply(actor: Actor, merchantId: number, id: number | null, input: { title: string; text: string }) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, OPERATORS);
    const values = { title: input.title.trim(), text: input.text.trim() };
    const row =
      id === null
        ? await this.ctx.db
            .insertInto('support_canned_replies')
            .values({ merchant_id: merchantId, ...values })
            .returning(['id', 'title', 'text', 'updated_at'])
            .executeTakeFirstOrThrow()
        : await this.ctx.db
            .updateTable('support_canned_replies')
            .set({ ...values, updated_at: new Date() })
            .where('id', '=', id)
            .where('merchant_id', '=', merchantId)
            .returning(['id', 'title', 'text', 'updated_at'])
            .executeTakeFirst();
    if (!row) throw notFound('Canned reply', 'CANNED_REPLY_NOT_FOUND');
    return { id: row.id, title: row.title, text: row.text, updatedAt: row.updated_at };
  }

  async deleteCannedReply(actor: Actor, merchantId: number, id: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, OPERATORS);
    const r = await this.ctx.db
      .deleteFrom('support_canned_replies')
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('Canned reply', 'CANNED_REPLY_NOT_FOUND');
    return { ok: true as const };
  }

  /** A canned reply with its variables filled for this conversation ({nickname}, {orderNo}, {shopName}, {agentName}). */
  async renderCanned(actor: Actor, merchantId: number, conversationId: number, replyId: number) {
    const conv = await this.conv(actor, merchantId, conversationId);
    const reply = await this.ctx.db
      .selectFrom('support_canned_replies')
      .select('text')
      .where('id', '=', replyId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!reply) throw notFound('Canned reply', 'CANNED_REPLY_NOT_FOUND');
    const vars = await this.variables(conv, actor.userId);
    return reply.text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
  }

  private async variables(conv: ConversationRow, agentUserId: number): Promise<Record<string, string>> {
    const s = this.ctx.services;
    const [names, shop] = await Promise.all([
      s.directory.nicknames([conv.user_id, agentUserId]),
      s.directory.merchantBrief(conv.merchant_id),
    ]);
    let orderNo = '';
    if (conv.source === 'order' && conv.source_id !== null) {
      orderNo =
        (await s.orderQueries.detail(conv.source_id, { userId: conv.user_id }).catch(() => null))?.orderNo ?? '';
    } else {
      const recent = await s.orderQueries.listForShopper(conv.user_id, { page: 1, pageSize: 20 });
      orderNo = recent.items.find((o) => o.merchantId === conv.merchant_id)?.orderNo ?? '';
    }
    return {
      nickname: names.get(conv.user_id) ?? '',
      agentName: names.get(agentUserId) ?? '',
      shopName: shop?.name ?? '',
      orderNo,
    };
  }

  // ---- internal notes ----
  async notes(actor: Actor, merchantId: number, conversationId: number) {
    const conv = await this.conv(actor, merchantId, conversationId);
    const rows = await this.ctx.db
      .selectFrom('support_notes')
      .selectAll()
      .where('conversation_id', '=', conv.id)
      .orderBy('id')
      .limit(500)
      .execute();
    const names = await this.ctx.services.directory.nicknames(rows.map((r) => r.author_user_id));
    return rows.map((r) => ({
      id: r.id,
      authorUserId: r.author_user_id,
      authorName: names.get(r.author_user_id) ?? '',
      text: r.text,
      createdAt: r.created_at,
    }));
  }

  async addNote(actor: Actor, merchantId: number, conversationId: number, text: string) {
    const conv = await this.conv(actor, merchantId, conversationId);
    const r = await this.ctx.db
      .insertInto('support_notes')
      .values({ conversation_id: conv.id, merchant_id: merchantId, author_user_id: actor.userId, text: text.trim() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { id: r.id, authorUserId: r.author_user_id, authorName: '', text: r.text, createdAt: r.created_at };
  }

  // ---- quick actions ----
  /** A compensation coupon for this conversation's shopper (the template must be the shop's own). */
  async compensate(actor: Actor, merchantId: number, conversationId: number, templateId: number) {
    const conv = await this.conv(actor, merchantId, conversationId);
    const result = await this.ctx.services.coupons.issue(actor, merchantId, templateId, [conv.user_id]);
    return { issued: result.issued === 1, skippedCode: result.skipped[0]?.code ?? null };
  }

  /** Approve the shopper's pending after-sales request at this shop: the refund starts (after-sales' own rules). */
  async approveRefund(actor: Actor, merchantId: number, conversationId: number, aftersaleId: number) {
    const conv = await this.conv(actor, merchantId, conversationId);
    const mine = await this.ctx.services.aftersales.listForShopper(conv.user_id);
    if (!mine.some((a) => a.id === aftersaleId && a.merchantId === merchantId))
      throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
    const a = await this.ctx.services.aftersales.approve(actor, merchantId, aftersaleId);
    return { aftersaleId: a.id, status: a.status, amountFen: a.amountFen };
  }
}
