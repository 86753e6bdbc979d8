// What promoters and shops read: commissions (the orders a promoter earned on), earnings by state,
// the ledger, and the shop's ranking of promoters.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { balanceOf } from './ledger.ts';
import type { CommissionLine, CommissionStatus } from './tables.ts';
import './tables.ts';

export interface CommissionFilter {
  status?: CommissionStatus | undefined;
  promoterId?: number | undefined;
  page: number;
  pageSize: number;
}

export class CommissionReads {
  constructor(private readonly ctx: AppContext) {}

  async list(by: { merchantId: number }, f: CommissionFilter) {
    let q = this.ctx.db.selectFrom('distribution_commissions').where('merchant_id', '=', by.merchantId);
    if (f.promoterId !== undefined) q = q.where('promoter_id', '=', f.promoterId);
    if (f.status) q = q.where('status', '=', f.status);
    const [rows, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute(),
      q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        orderId: r.order_id,
        orderNo: r.order_no,
        buyerUserId: r.buyer_user_id,
        promoterId: r.promoter_id,
        tier: r.tier,
        status: r.status,
        paidFen: r.paid_fen,
        originalFen: r.original_fen,
        amountFen: r.amount_fen,
        creditedFen: r.credited_fen,
        lines: (r.lines as CommissionLine[]).map((l) => ({
          productId: l.productId,
          skuId: l.skuId,
          payableFen: l.payableFen,
          refundedFen: l.refundedFen,
          bp: l.bp,
          shareFen: l.shareFen,
        })),
        createdAt: r.created_at,
        settledAt: r.settled_at,
      })),
      total: Number(count.n),
      page: f.page,
      pageSize: f.pageSize,
    };
  }

  async listForShop(actor: Actor, merchantId: number, f: CommissionFilter) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    if (f.promoterId !== undefined) await this.ctx.services.promoters.requireOwn(this.ctx.db, merchantId, f.promoterId);
    return this.list({ merchantId }, f);
  }

  /** Earnings by state: pending (not settled yet), settled (credited), reversed (taken back), and the balance. */
  async earnings(db: Db, promoterId: number) {
    const r = await db
      .selectFrom('distribution_commissions')
      .select([
        sql<number>`coalesce(sum(amount_fen) filter (where status = 'pending'), 0)`.as('pending'),
        sql<number>`coalesce(sum(credited_fen), 0)`.as('settled'),
        sql<number>`coalesce(sum(original_fen - amount_fen), 0)`.as('reversed'),
        sql<number>`count(*)`.as('orders'),
      ])
      .where('promoter_id', '=', promoterId)
      .executeTakeFirstOrThrow();
    const w = await db
      .selectFrom('distribution_withdrawals')
      .select([
        sql<number>`coalesce(sum(amount_fen) filter (where status in ('requested', 'paying')), 0)`.as('inFlight'),
        sql<number>`coalesce(sum(amount_fen) filter (where status = 'paid'), 0)`.as('withdrawn'),
      ])
      .where('promoter_id', '=', promoterId)
      .executeTakeFirstOrThrow();
    return {
      pendingFen: Number(r.pending),
      settledFen: Number(r.settled),
      reversedFen: Number(r.reversed),
      orders: Number(r.orders),
      balanceFen: await balanceOf(db, promoterId),
      withdrawingFen: Number(w.inFlight),
      withdrawnFen: Number(w.withdrawn),
    };
  }

  async ledger(promoterId: number, page: number, pageSize: number) {
    const rows = await this.ctx.db
      .selectFrom('distribution_ledger')
      .selectAll()
      .where('promoter_id', '=', promoterId)
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      deltaFen: r.delta_fen,
      balanceAfter: r.balance_after,
      reason: r.reason,
      ref: r.ref,
      at: r.created_at,
    }));
  }

  /** The shop's promoters ranked by what they earned (pending and settled, after refunds) in the last `days`. */
  async ranking(actor: Actor, merchantId: number, f: { days: number; limit: number }) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const since = new Date(Date.now() - f.days * 86_400_000);
    const rows = await this.ctx.db
      .selectFrom('distribution_commissions')
      .select([
        'promoter_id',
        sql<number>`sum(amount_fen)`.as('earned'),
        sql<number>`count(distinct order_id)`.as('orders'),
        sql<number>`sum(paid_fen) filter (where tier = 1)`.as('sales'),
      ])
      .where('merchant_id', '=', merchantId)
      .where('created_at', '>=', since)
      .groupBy('promoter_id')
      .orderBy(sql`sum(amount_fen)`, 'desc')
      .orderBy('promoter_id')
      .limit(f.limit)
      .execute();
    const promoters = await Promise.all(rows.map((r) => this.ctx.services.promoters.byId(this.ctx.db, r.promoter_id)));
    const names = await this.ctx.services.directory.nicknames(promoters.flatMap((p) => (p ? [p.user_id] : [])));
    return rows.map((r, i) => ({
      rank: i + 1,
      promoterId: r.promoter_id,
      userId: promoters[i]?.user_id ?? 0,
      nickname: names.get(promoters[i]?.user_id ?? 0) ?? '',
      earnedFen: Number(r.earned),
      orders: Number(r.orders),
      salesFen: Number(r.sales ?? 0),
    }));
  }
}
