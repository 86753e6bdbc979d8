// Group-buy (拼团). A leader opens a group by placing an order at the group price; friends join
// through the share link with their own orders. The group succeeds when `size` members have paid
// before it expires; at expiry (a durable job) it fails and every paid member is refunded in full
// automatically, unpaid orders are cancelled. With auto-fill, a group one short succeeds anyway.
import { sql } from 'kysely';
import type { Actor } from '../../../platform/auth/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../../platform/errors.ts';
import { assertDealVisible, DEAL_WRITERS, listedShops, type DealAudience } from '../shop-visibility.ts';
import '../tables.ts';

const dealNotFound = () => notFound('Group-buy', 'GROUP_BUY_NOT_FOUND');
const groupNotFound = () => notFound('Group', 'GROUP_NOT_FOUND');
const alreadyJoined = () => conflict('GROUP_ALREADY_JOINED', 'You are already in this group');

export interface DealInput {
  skuId: number;
  title: string;
  groupPriceFen: number;
  groupSize: number;
  expireMinutes: number;
  autoFill?: boolean | undefined;
  startsAt: string;
  endsAt: string;
}

export class GroupBuyService {
  constructor(private readonly ctx: AppContext) {}

  async createDeal(actor: Actor, merchantId: number, input: DealInput) {
    // A suspended or rejected shop starts no new deal (a pending one may prepare them, unseen).
    await this.ctx.services.merchants.requireOperating(actor, merchantId, [...DEAL_WRITERS], 'build');
    const sku = (await this.ctx.services.catalog.requireOwnSkus(this.ctx.db, merchantId, [input.skuId]))[0]!;
    if (input.groupPriceFen >= sku.priceFen)
      throw badRequest('GROUP_BUY_INVALID', 'The group price must be below the price');
    if (new Date(input.endsAt) <= new Date(input.startsAt))
      throw badRequest('GROUP_BUY_INVALID', 'endsAt must be after startsAt');
    const r = await this.ctx.db
      .insertInto('group_buy_deals')
      .values({
        merchant_id: merchantId,
        product_id: sku.productId,
        sku_id: sku.skuId,
        title: input.title,
        group_price_fen: input.groupPriceFen,
        group_size: input.groupSize,
        expire_minutes: input.expireMinutes,
        auto_fill: input.autoFill ?? false,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.deal(r.id, 'shop');
  }

  /** A deal; shoppers get GROUP_BUY_NOT_FOUND for a shop they may not see (shop-visibility.ts). */
  async deal(dealId: number, audience: DealAudience = 'shoppers') {
    const d = await this.ctx.db.selectFrom('group_buy_deals').selectAll().where('id', '=', dealId).executeTakeFirst();
    if (!d) throw dealNotFound();
    await assertDealVisible(this.ctx, d.merchant_id, audience, dealNotFound);
    const open = await this.ctx.db
      .selectFrom('group_buy_groups')
      .select(['id', 'expires_at'])
      .where('deal_id', '=', dealId)
      .where('status', '=', 'forming')
      .orderBy('expires_at')
      .limit(10)
      .execute();
    const stats = await this.ctx.db
      .selectFrom('group_buy_groups')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('deal_id', '=', dealId)
      .groupBy('status')
      .execute();
    return {
      id: d.id,
      merchantId: d.merchant_id,
      productId: d.product_id,
      skuId: d.sku_id,
      title: d.title,
      groupPriceFen: d.group_price_fen,
      groupSize: d.group_size,
      expireMinutes: d.expire_minutes,
      autoFill: d.auto_fill,
      startsAt: new Date(d.starts_at),
      endsAt: new Date(d.ends_at),
      status: d.status,
      openGroups: await Promise.all(open.map((g) => this.group(g.id, 'shop'))),
      results: Object.fromEntries(stats.map((s) => [s.status, Number(s.n)])) as Record<string, number>,
    };
  }

  async listDeals(merchantId?: number, audience: DealAudience = 'shoppers') {
    let q = this.ctx.db
      .selectFrom('group_buy_deals')
      .select('id')
      .where('status', '=', 'active')
      .where('ends_at', '>', new Date())
      .orderBy('id', 'desc')
      .limit(50);
    if (merchantId) q = q.where('merchant_id', '=', merchantId);
    if (audience === 'shoppers') q = q.where('merchant_id', 'in', listedShops(this.ctx));
    return Promise.all((await q.execute()).map((d) => this.deal(d.id, 'shop')));
  }

  /** A group (the share link); hidden from shoppers like its deal. */
  async group(groupId: number, audience: DealAudience = 'shoppers') {
    const g = await this.ctx.db
      .selectFrom('group_buy_groups as g')
      .innerJoin('group_buy_deals as d', 'd.id', 'g.deal_id')
      .select([
        'g.id',
        'g.deal_id',
        'g.status',
        'g.expires_at',
        'g.leader_user_id',
        'd.merchant_id',
        'd.group_size',
        'd.title',
        'd.group_price_fen',
      ])
      .where('g.id', '=', groupId)
      .executeTakeFirst();
    if (!g) throw groupNotFound();
    await assertDealVisible(this.ctx, g.merchant_id, audience, groupNotFound);
    const memberRows = await this.ctx.db
      .selectFrom('group_buy_members')
      .select(['user_id', 'status'])
      .where('group_id', '=', groupId)
      .orderBy('joined_at')
      .execute();
    const names = await this.ctx.services.directory.nicknames(memberRows.map((m) => m.user_id));
    const members = memberRows
      .filter((m) => names.has(m.user_id))
      .map((m) => ({ ...m, nickname: names.get(m.user_id)! }));
    const paid = members.filter((m) => m.status === 'paid').length;
    return {
      id: g.id,
      dealId: g.deal_id,
      title: g.title,
      groupPriceFen: g.group_price_fen,
      status: g.status,
      expiresAt: new Date(g.expires_at),
      size: g.group_size,
      paid,
      missing: Math.max(0, g.group_size - paid),
      shareUrl: `${this.ctx.config.publicUrl}/shop/group/${g.id}`,
      members: members.map((m) => ({
        userId: m.user_id,
        nickname: m.nickname,
        status: m.status,
        leader: m.user_id === g.leader_user_id,
      })),
    };
  }

  /** Pricing: which deal/group a basket belongs to; `groupId` null opens a new group. */
  async forBasket(db: Db, userId: number, dealId: number, groupId: number | null) {
    const d = await db.selectFrom('group_buy_deals').selectAll().where('id', '=', dealId).executeTakeFirst();
    if (!d) throw notFound('Group-buy', 'GROUP_BUY_NOT_FOUND');
    const now = Date.now();
    if (d.status !== 'active' || now < new Date(d.starts_at).getTime() || now >= new Date(d.ends_at).getTime())
      throw conflict('GROUP_BUY_NOT_ACTIVE', 'This group-buy is not running');
    if (groupId !== null) {
      const g = await db
        .selectFrom('group_buy_groups')
        .selectAll()
        .where('id', '=', groupId)
        .where('deal_id', '=', dealId)
        .executeTakeFirst();
      if (!g) throw notFound('Group', 'GROUP_NOT_FOUND');
      if (g.status !== 'forming' || new Date(g.expires_at).getTime() <= now)
        throw conflict('GROUP_CLOSED', 'This group has closed');
      const members = await db
        .selectFrom('group_buy_members')
        .select(['user_id', 'status'])
        .where('group_id', '=', groupId)
        .where('status', 'in', ['pending', 'paid'])
        .execute();
      if (members.some((m) => m.user_id === userId)) throw alreadyJoined();
      if (members.length >= d.group_size) throw conflict('GROUP_FULL', 'This group is full');
    }
    return d;
  }

  /** Inside the order transaction: open the group or take a seat (row lock: no over-filling). */
  async seat(db: Db, userId: number, dealId: number, groupId: number | null, orderId: number): Promise<number> {
    const d = await db
      .selectFrom('group_buy_deals')
      .select(['group_size', 'expire_minutes'])
      .where('id', '=', dealId)
      .executeTakeFirstOrThrow();
    let id = groupId;
    if (id === null) {
      const g = await db
        .insertInto('group_buy_groups')
        .values({
          deal_id: dealId,
          leader_user_id: userId,
          expires_at: new Date(Date.now() + d.expire_minutes * 60_000),
        })
        .returning(['id', 'expires_at'])
        .executeTakeFirstOrThrow();
      id = g.id;
      await this.ctx.jobs.schedule(db, {
        type: 'marketing.group_buy_expire',
        payload: { groupId: id },
        runAt: new Date(g.expires_at),
        uniqueKey: `group-expire:${id}`,
      });
    } else {
      const g = await db
        .selectFrom('group_buy_groups')
        .select(['status'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (g.status !== 'forming') throw conflict('GROUP_CLOSED', 'This group has closed');
      // Under the group's lock: the shopper's other order placed at the same moment has either
      // taken its seat (seen here) or waits for this one to commit.
      const seated = await db
        .selectFrom('group_buy_members')
        .select('user_id')
        .where('group_id', '=', id)
        .where('status', 'in', ['pending', 'paid'])
        .execute();
      if (seated.some((m) => m.user_id === userId)) throw alreadyJoined();
      if (seated.length >= d.group_size) throw conflict('GROUP_FULL', 'This group is full');
    }
    // The one-seat index (0750_group_buy_seats.sql) holds the rule even for a path without the lock.
    await db
      .insertInto('group_buy_members')
      .values({ group_id: id, user_id: userId, order_id: orderId })
      .execute()
      .catch((err: { code?: string; constraint?: string; message?: string }) => {
        const seatTaken = err.code === '23505' && `${err.constraint ?? ''} ${err.message ?? ''}`.includes('one_seat');
        throw seatTaken ? alreadyJoined() : err;
      });
    return id;
  }

  private async close(db: Db, groupId: number, status: 'succeeded' | 'failed') {
    const r = await db
      .updateTable('group_buy_groups')
      .set({ status, closed_at: sql`now()` })
      .where('id', '=', groupId)
      .where('status', '=', 'forming')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await this.ctx.jobs.cancel(db, `group-expire:${groupId}`);
    await this.ctx.events.emit(db, {
      type: `group_buy.${status}`,
      aggregateType: 'group_buy',
      aggregateId: groupId,
      payload: { groupId },
    });
    return true;
  }

  /** Expiry: succeed (auto-fill, one short) or fail and refund every paid member in full. */
  async expire(db: Db, groupId: number): Promise<void> {
    const g = await db
      .selectFrom('group_buy_groups as g')
      .innerJoin('group_buy_deals as d', 'd.id', 'g.deal_id')
      .select(['g.status', 'd.group_size', 'd.auto_fill'])
      .where('g.id', '=', groupId)
      .forUpdate()
      .executeTakeFirst();
    if (g?.status !== 'forming') return;
    const members = await db.selectFrom('group_buy_members').selectAll().where('group_id', '=', groupId).execute();
    const paid = members.filter((m) => m.status === 'paid');
    if (g.auto_fill && paid.length >= g.group_size - 1 && paid.length > 0) {
      await this.close(db, groupId, 'succeeded');
      return;
    }
    await this.close(db, groupId, 'failed');
    for (const m of members) {
      if (m.status === 'pending') {
        await this.ctx.services.orders.cancel(db, m.order_id, '拼团未成团', null);
        await db.updateTable('group_buy_members').set({ status: 'left' }).where('order_id', '=', m.order_id).execute();
      } else if (m.status === 'paid') {
        await this.refundMember(db, groupId, m.order_id, '拼团未成团，全额退款');
      }
    }
  }

  /**
   * Give a paid member of a failed group their money back through the order's refund ledger
   * (orders/refunds.ts): every unit not yet refunded, decided under the order's lock together with
   * any after-sales refund of the same order, so the two can never ask the payment for more than
   * the order. The units never left the warehouse: they go back on sale now.
   */
  private async refundMember(db: Db, groupId: number, orderId: number, reason: string): Promise<void> {
    const refunds = this.ctx.services.orderRefunds;
    const ref = memberRefundRef(groupId, orderId);
    const lines = (await refunds.refundable(db, orderId))
      .map((l) => ({ lineId: l.id, quantity: l.quantity - l.committedQuantity }))
      .filter((l) => l.quantity > 0);
    const member = db.updateTable('group_buy_members').where('order_id', '=', orderId);
    if (lines.length === 0 && !(await refunds.byRef(db, ref))) {
      await member.set({ status: 'refunded' }).execute(); // an after-sales refund already gave everything back
      return;
    }
    const started = await refunds.start(db, orderId, { ref, lines });
    const back = started.lines
      .map((l) => ({ skuId: l.skuId, quantity: l.unshippedQuantity }))
      .filter((l) => l.quantity > 0);
    if (back.length)
      await this.ctx.services.inventory.restock(db, { orderId, refundId: started.orderRefundId, lines: back });
    if (started.amountFen === 0 || !started.paymentId) {
      await refunds.finish(db, ref, null);
      await member.set({ status: 'refunded' }).execute();
      return;
    }
    const refund = await this.ctx.services.payments.refund(db, {
      paymentId: started.paymentId,
      amountFen: started.amountFen,
      reason,
      idempotencyKey: ref,
    });
    await member.set({ status: 'refunding', refund_id: refund.refundId }).execute();
  }

  register(): void {
    const { jobs, events } = this.ctx;
    jobs.register<{ groupId: number }>({
      type: 'marketing.group_buy_expire',
      run: async (job, db) => {
        await this.expire(db, job.payload.groupId);
      },
    });
    events.subscribe({
      name: 'marketing.group_buy_on_paid',
      events: ['order.paid'],
      handle: async (e, db) => {
        const m = await db
          .updateTable('group_buy_members')
          .set({ status: 'paid' })
          .where('order_id', '=', e.payload.orderId)
          .where('status', '=', 'pending')
          .returning('group_id')
          .executeTakeFirst();
        if (!m) return;
        const g = await db
          .selectFrom('group_buy_groups as g')
          .innerJoin('group_buy_deals as d', 'd.id', 'g.deal_id')
          .select(['g.status', 'd.group_size'])
          .where('g.id', '=', m.group_id)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const paid = await db
          .selectFrom('group_buy_members')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('group_id', '=', m.group_id)
          .where('status', '=', 'paid')
          .executeTakeFirstOrThrow();
        if (g.status === 'forming' && Number(paid.n) >= g.group_size) await this.close(db, m.group_id, 'succeeded');
        // Paid after the group failed (late payment): refund it at once.
        if (g.status === 'failed') await this.refundMember(db, m.group_id, e.payload.orderId, '拼团已失败，全额退款');
      },
    });
    events.subscribe({
      name: 'marketing.group_buy_on_cancel',
      events: ['order.cancelled'],
      handle: async (e, db) => {
        await db
          .updateTable('group_buy_members')
          .set({ status: 'left' })
          .where('order_id', '=', e.payload.orderId)
          .where('status', '=', 'pending')
          .execute();
      },
    });
    // The money is back: book the refund on the order and put the stock back.
    events.subscribe({
      name: 'marketing.group_buy_on_refunded',
      events: ['payment.refunded'],
      handle: async (e, db) => {
        const m = await db
          .updateTable('group_buy_members')
          .set({ status: 'refunded' })
          .where('refund_id', '=', e.payload.refundId)
          .where('status', '=', 'refunding')
          .returning(['group_id', 'order_id'])
          .executeTakeFirst();
        if (!m) return;
        const refunds = this.ctx.services.orderRefunds;
        const ref = memberRefundRef(m.group_id, m.order_id);
        if (await refunds.byRef(db, ref)) {
          await refunds.finish(db, ref, e.payload.refundId);
          return;
        }
        // Asked of the payment before refunds went through the order's ledger: book what is left.
        const lines = await this.ctx.services.orderQueries.linesOf(db, m.order_id);
        await this.ctx.services.orders.applyRefund(db, m.order_id, {
          refundId: e.payload.refundId,
          amountFen: e.payload.amountFen,
          lines: lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
        });
        await this.ctx.services.inventory.restock(db, {
          orderId: m.order_id,
          refundId: e.payload.refundId,
          lines: lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
        });
      },
    });
  }
}

const memberRefundRef = (groupId: number, orderId: number) => `group-buy:${groupId}:${orderId}`;
