// Commissions (佣金): booked pending when an order is paid (tier 1 for the customer's promoter, tier 2
// for that promoter's recruiter), settled into the balance when the after-sales window closes, and
// reduced in proportion to each refund (after settlement, by a debit). Amounts are targets computed
// from what the buyer kept, so redelivered, replayed or reordered refunds cannot drift the books.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import type { DomainEvents } from '../../platform/events/catalogue.ts';
import { applyLedger } from './ledger.ts';
import type { PromoterRow } from './promoter-service.ts';
import { applyRefund, lineRates, withShares } from './rules.ts';
import type { CommissionLine } from './tables.ts';
import './tables.ts';

type Paid = DomainEvents['order.paid'];
type Refunded = DomainEvents['order.refunded'];
type Completed = DomainEvents['order.completed'];

export class CommissionService {
  constructor(private readonly ctx: AppContext) {}

  /** Who earns on this order: [tier-1 promoter, tier-2 promoter?], or [] when nobody does. */
  private async earners(db: Db, p: Paid): Promise<PromoterRow[]> {
    const settings = await this.ctx.services.distributionSettings.settingsOf(db, p.merchantId);
    if (!settings.enabled) return [];
    const promoters = this.ctx.services.promoters;
    const own = await promoters.promoterOf(db, p.merchantId, p.userId);
    let direct: PromoterRow | undefined;
    if (own?.status === 'approved') {
      // A promoter buying for themselves: earns only if the shop allows self-purchase (自购返佣).
      if (!settings.selfPurchase) return [];
      direct = own;
    } else {
      const boundId = await this.ctx.services.distributionBindings.boundPromoterAt(
        db,
        p.merchantId,
        p.userId,
        new Date(p.paidAt),
      );
      direct = boundId === null ? undefined : await promoters.byId(db, boundId);
    }
    if (direct?.status !== 'approved') return [];
    if (settings.levels < 2 || direct.parent_id === null) return [direct];
    const parent = await promoters.byId(db, direct.parent_id);
    return parent?.status === 'approved' ? [direct, parent] : [direct];
  }

  /** order.paid: book the pending commissions (once per order and tier). */
  async onOrderPaid(db: Db, p: Paid): Promise<number> {
    const earners = await this.earners(db, p);
    if (earners.length === 0) return 0;
    const settingsSvc = this.ctx.services.distributionSettings;
    const shop = await settingsSvc.settingsOf(db, p.merchantId);
    const products = await settingsSvc.productRates(
      db,
      p.merchantId,
      p.items.map((i) => i.productId),
    );
    const levels = await settingsSvc.levelRates(
      db,
      earners.flatMap((e) => (e.level_id === null ? [] : [e.level_id])),
    );
    const [direct, parent] = earners;
    const levelOf = (e: PromoterRow | undefined) => (e?.level_id ? levels.get(e.level_id) : undefined);
    // The event's lines are the order's lines in id order; their ids let refunds name them.
    const lineIds = (await this.ctx.services.orderQueries.linesOf(db, p.orderId))
      .map((l) => l.lineId)
      .sort((a, b) => a - b);
    const base = p.items.map((item, i) => ({
      lineId: lineIds[i] ?? 0,
      skuId: item.skuId,
      productId: item.productId,
      payableFen: item.payableFen,
      refundedFen: 0,
      rates: lineRates(shop, products.get(item.productId), levelOf(direct), levelOf(parent)),
    }));
    const paidFen = p.items.reduce((a, i) => a + i.payableFen, 0);
    let booked = 0;
    for (const [index, earner] of earners.entries()) {
      const tier = (index + 1) as 1 | 2;
      const { amountFen, lines } = withShares(
        base.map(({ rates, ...l }) => ({ ...l, bp: tier === 1 ? rates.level1Bp : rates.level2Bp })),
      );
      if (amountFen === 0) continue;
      const row = await db
        .insertInto('distribution_commissions')
        .values({
          merchant_id: p.merchantId,
          order_id: p.orderId,
          order_no: p.orderNo,
          buyer_user_id: p.userId,
          promoter_id: earner.id,
          tier,
          lines: JSON.stringify(lines),
          paid_fen: paidFen,
          original_fen: amountFen,
          amount_fen: amountFen,
          status: 'pending',
        })
        .onConflict((oc) => oc.columns(['order_id', 'tier']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) booked++;
    }
    return booked;
  }

  private lockCommissions(db: Db, orderId: number) {
    return db
      .selectFrom('distribution_commissions')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('tier')
      .forUpdate()
      .execute();
  }

  /** order.refunded: each refund once; what each commission earns follows what the buyer kept. */
  async onOrderRefunded(db: Db, p: Refunded): Promise<void> {
    const items = p.items.map((i) => ({ lineId: i.lineId, amountFen: i.amountFen }));
    const fresh = await db
      .insertInto('distribution_refunds_applied')
      .values({ order_id: p.orderId, refund_id: p.refundId, items: JSON.stringify(items) })
      .onConflict((oc) => oc.columns(['order_id', 'refund_id']).doNothing())
      .returning('refund_id')
      .executeTakeFirst();
    if (!fresh) return;
    for (const c of await this.lockCommissions(db, p.orderId)) {
      const { amountFen, lines } = withShares(applyRefund(c.lines as CommissionLine[], items, p.full));
      const target = Math.min(amountFen, c.amount_fen);
      const settled = c.status === 'settled';
      if (settled && c.credited_fen > target) {
        await applyLedger(db, {
          promoterId: c.promoter_id,
          merchantId: c.merchant_id,
          deltaFen: target - c.credited_fen,
          reason: 'commission_reversed',
          ref: `commission:${c.id}:refund:${p.refundId}`,
        });
      }
      await db
        .updateTable('distribution_commissions')
        .set({
          lines: JSON.stringify(lines),
          amount_fen: target,
          ...(settled ? { credited_fen: target } : {}),
          // Lines follow every refund (even at 0 earned) so they always match the order's refunds.
          status: target === 0 ? 'reversed' : c.status,
        })
        .where('id', '=', c.id)
        .execute();
    }
  }

  /** order.completed: the after-sales window closed; what the commission earns now goes into the balance. */
  async onOrderCompleted(db: Db, p: Completed): Promise<void> {
    for (const c of await this.lockCommissions(db, p.orderId)) {
      if (c.status !== 'pending') continue;
      if (c.amount_fen > 0)
        await applyLedger(db, {
          promoterId: c.promoter_id,
          merchantId: c.merchant_id,
          deltaFen: c.amount_fen,
          reason: 'commission_settled',
          ref: `commission:${c.id}`,
        });
      await db
        .updateTable('distribution_commissions')
        .set({
          status: c.amount_fen > 0 ? 'settled' : 'reversed',
          credited_fen: c.amount_fen,
          settled_at: sql<Date>`now()`,
        })
        .where('id', '=', c.id)
        .execute();
    }
  }
}
