// The refund ledger of an order. Whoever gives money back (after-sales, a failed group-buy) starts
// a refund here first: under the order's row lock its amount and shipping share are decided against
// what is already refunded or being refunded, and booked as "refunding" on the order and its lines.
// When the money is back, finish() moves it to "refunded". The amount was decided and capped when
// it started, so finishing can never break a constraint: no handler dies on a refund the books allowed.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { notFound } from '../../platform/errors.ts';
import { decideRefund, type DecidedLine, type RefundableLine } from './refund-rules.ts';
import {
  ledgerEntriesByRef,
  orderBooksByPayment,
  refundLedgerEntry,
  type LedgerEntry,
  type PaymentOrderBooks,
} from './refund-reads.ts';
import './tables.ts';
import { moveOrder } from './transition.ts';

const DAY = 24 * 3600_000;

export type RefundLine = DecidedLine & { skuId: number };
export interface StartedRefund {
  orderRefundId: number;
  orderId: number;
  paymentId: number | null;
  amountFen: number;
  shippingFen: number;
  lines: RefundLine[];
  status: 'refunding' | 'refunded';
}
/** What after-sales needs to know of an order to accept a request. */
export interface OrderForRefund {
  id: number;
  userId: number;
  merchantId: number;
  status: string;
  completedAt: Date | null;
  totalFen: number;
  shippingFen: number;
  committedFen: number;
  shippingCommitted: boolean;
  paymentId: number | null;
  /** committedFen split: money back with the buyer, and refunds started whose money is on its way. */
  refundedFen: number;
  refundingFen: number;
}
type UnitsAsked = Array<{ lineId: number; quantity: number }>;
/** Of a line's committed units and fen, what is refunded and what is being refunded (money not yet back). */
export interface RefundProgress {
  refundedQuantity: number;
  refundingQuantity: number;
  refundedFen: number;
  refundingFen: number;
}

export class OrderRefunds {
  constructor(private readonly ctx: AppContext) {}

  private async lockOrder(db: Db, orderId: number) {
    const o = await db.selectFrom('orders').selectAll().where('id', '=', orderId).forUpdate().executeTakeFirst();
    if (!o) throw notFound('Order', 'ORDER_NOT_FOUND');
    return o;
  }

  /** Lock the order (the row every refund decision of it serializes on) and say where it stands. */
  async lockForRefund(db: Db, orderId: number): Promise<OrderForRefund> {
    const o = await this.lockOrder(db, orderId);
    return {
      id: o.id,
      userId: o.user_id,
      merchantId: o.merchant_id,
      status: o.status,
      completedAt: o.completed_at,
      totalFen: o.total_fen,
      shippingFen: o.shipping_fen,
      committedFen: o.refunded_fen + o.refunding_fen,
      shippingCommitted: o.shipping_refund_id !== null,
      paymentId: o.payment_id,
      refundedFen: o.refunded_fen,
      refundingFen: o.refunding_fen,
    };
  }

  /**
   * The order's lines with what is committed to refunds (refunded + being refunded): for estimates,
   * for deciding under the lock, and for showing the shopper where each line stands.
   */
  async refundable(db: Db, orderId: number): Promise<Array<RefundableLine & RefundProgress & { skuId: number }>> {
    const lines = await db
      .selectFrom('order_lines')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute();
    const unshipped = await db
      .selectFrom('order_refund_lines as rl')
      .innerJoin('order_refunds as r', 'r.id', 'rl.order_refund_id')
      .select(['rl.order_line_id', sql<number>`sum(rl.unshipped_quantity)`.as('n')])
      .where('r.order_id', '=', orderId)
      .groupBy('rl.order_line_id')
      .execute();
    return lines.map((l) => ({
      id: l.id,
      skuId: l.sku_id,
      quantity: l.quantity,
      payableFen: l.payable_fen,
      shippedQuantity: l.shipped_quantity,
      committedQuantity: l.refunded_quantity + l.refunding_quantity,
      committedFen: l.refunded_fen + l.refunding_fen,
      committedUnshipped: Number(unshipped.find((u) => u.order_line_id === l.id)?.n ?? 0),
      refundedQuantity: l.refunded_quantity,
      refundingQuantity: l.refunding_quantity,
      refundedFen: l.refunded_fen,
      refundingFen: l.refunding_fen,
    }));
  }

  byRef(db: Db, ref: string): Promise<StartedRefund | null> {
    return refundLedgerEntry(db, ref);
  }
  /** For reconciling other books against this ledger (after-sales, payments). */
  entriesByRef(db: Db, refs: string[]): Promise<Map<string, LedgerEntry>> {
    return ledgerEntriesByRef(db, refs);
  }
  booksByPayment(db: Db, paymentIds: number[]): Promise<Map<number, PaymentOrderBooks>> {
    return orderBooksByPayment(db, paymentIds);
  }

  /**
   * Decide and book a refund of these units (in the caller's transaction). The same `ref` again
   * returns the first decision. Throws NOTHING_LEFT_TO_REFUND when the units are already committed.
   */
  async start(db: Db, orderId: number, input: { ref: string; lines: UnitsAsked }): Promise<StartedRefund> {
    const o = await this.lockOrder(db, orderId);
    const existing = await this.byRef(db, input.ref);
    if (existing) return existing;
    const lines = await this.refundable(db, orderId);
    const d = decideRefund(
      {
        totalFen: o.total_fen,
        shippingFen: o.shipping_fen,
        committedFen: o.refunded_fen + o.refunding_fen,
        shippingCommitted: o.shipping_refund_id !== null,
      },
      lines,
      input.lines,
    );
    const row = await db
      .insertInto('order_refunds')
      .values({
        order_id: orderId,
        ref: input.ref,
        status: 'refunding',
        amount_fen: d.amountFen,
        shipping_fen: d.shippingFen,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('order_refund_lines')
      .values(
        d.lines.map((l) => ({
          order_refund_id: row.id,
          order_line_id: l.lineId,
          quantity: l.quantity,
          unshipped_quantity: l.unshippedQuantity,
          amount_fen: l.amountFen,
        })),
      )
      .execute();
    for (const l of d.lines) {
      await db
        .updateTable('order_lines')
        .set({
          refunding_quantity: sql`refunding_quantity + ${l.quantity}`,
          refunding_fen: sql`refunding_fen + ${l.amountFen}`,
        })
        .where('id', '=', l.lineId)
        .where('order_id', '=', orderId)
        .execute();
    }
    await db
      .updateTable('orders')
      .set({
        refunding_fen: sql`refunding_fen + ${d.amountFen}`,
        updated_at: sql`now()`,
        ...(d.shippingFen > 0 ? { shipping_refund_id: row.id } : {}),
      })
      .where('id', '=', orderId)
      .execute();
    await this.shipIfNothingLeftToShip(db, o, lines, d.lines);
    return {
      orderRefundId: row.id,
      orderId,
      paymentId: o.payment_id,
      amountFen: d.amountFen,
      shippingFen: d.shippingFen,
      status: 'refunding',
      lines: d.lines.map((l) => ({ ...l, skuId: lines.find((x) => x.id === l.lineId)!.skuId })),
    };
  }

  /**
   * A paid order whose remaining unshipped units are now all being refunded has nothing left to
   * ship: if part of it did ship, it is "shipped" and its auto-confirm runs, so it can complete.
   */
  private async shipIfNothingLeftToShip(
    db: Db,
    o: { id: number; status: string; merchant_id: number; user_id: number },
    lines: RefundableLine[],
    refunded: DecidedLine[],
  ) {
    if (o.status !== 'paid') return;
    const asked = (lineId: number) => refunded.find((r) => r.lineId === lineId)?.quantity ?? 0;
    const toShip = lines.reduce((s, l) => s + l.quantity - l.shippedQuantity - l.committedQuantity - asked(l.id), 0);
    const shipped = lines.reduce((s, l) => s + l.shippedQuantity, 0);
    if (toShip > 0 || shipped === 0) return;
    await moveOrder(
      db,
      o.id,
      { from: 'paid', to: 'shipped', note: '其余商品已退款，订单已发货', actorUserId: null },
      { shipped_at: sql`now()` },
    );
    await this.ctx.jobs.schedule(db, {
      type: 'orders.auto_confirm',
      payload: { orderId: o.id },
      delayMs: this.ctx.config.orderAutoConfirmDays * DAY,
      uniqueKey: `order-autoconfirm:${o.id}`,
    });
    const payload = { orderId: o.id, merchantId: o.merchant_id, userId: o.user_id };
    await this.ctx.events.emit(db, { type: 'order.shipped', aggregateType: 'order', aggregateId: o.id, payload });
  }

  /** The money is back with the buyer: book it as refunded. The order ends once every unit is refunded. Idempotent. */
  async finish(db: Db, ref: string, paymentRefundId: number | null): Promise<void> {
    const found = await db.selectFrom('order_refunds').select('order_id').where('ref', '=', ref).executeTakeFirst();
    if (!found) throw notFound('Order refund', 'ORDER_REFUND_NOT_FOUND');
    const o = await this.lockOrder(db, found.order_id);
    const r = await this.byRef(db, ref);
    if (!r || r.status === 'refunded') return;
    await db
      .updateTable('order_refunds')
      .set({ status: 'refunded', refunded_at: sql`now()` })
      .where('id', '=', r.orderRefundId)
      .execute();
    for (const l of r.lines) {
      await db
        .updateTable('order_lines')
        .set({
          refunding_quantity: sql`refunding_quantity - ${l.quantity}`,
          refunding_fen: sql`refunding_fen - ${l.amountFen}`,
          refunded_quantity: sql`refunded_quantity + ${l.quantity}`,
          refunded_fen: sql`refunded_fen + ${l.amountFen}`,
        })
        .where('id', '=', l.lineId)
        .execute();
    }
    const after = await db
      .updateTable('orders')
      .set({
        refunding_fen: sql`refunding_fen - ${r.amountFen}`,
        refunded_fen: sql`refunded_fen + ${r.amountFen}`,
        updated_at: sql`now()`,
      })
      .where('id', '=', o.id)
      .returning(['refunded_fen'])
      .executeTakeFirstOrThrow();
    const lines = await db
      .selectFrom('order_lines')
      .select(['quantity', 'refunded_quantity', 'payable_fen', 'refunded_fen'])
      .where('order_id', '=', o.id)
      .execute();
    // Only a full refund ends the order; a partial one leaves auto-confirm and completion running.
    const full = lines.every((l) => l.refunded_quantity === l.quantity);
    if (full && o.status !== 'refunded') {
      await moveOrder(db, o.id, { from: o.status, to: 'refunded', note: '全额退款', actorUserId: null });
      await this.ctx.jobs.cancel(db, `order-autoconfirm:${o.id}`);
      await this.ctx.jobs.cancel(db, `order-complete:${o.id}`);
    }
    await this.ctx.events.emit(db, {
      type: 'order.refunded',
      aggregateType: 'order',
      aggregateId: o.id,
      payload: {
        orderId: o.id,
        merchantId: o.merchant_id,
        userId: o.user_id,
        roomId: o.room_id,
        refundId: r.orderRefundId,
        paymentRefundId,
        amountFen: r.amountFen,
        shippingFen: r.shippingFen,
        full,
        paidFen: o.total_fen,
        totalFen: o.total_fen,
        refundedFen: after.refunded_fen,
        goodsPaidFen: lines.reduce((s, l) => s + l.payable_fen, 0),
        goodsRefundedFen: lines.reduce((s, l) => s + l.refunded_fen, 0),
        pointsUsed: o.points_used,
        items: r.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, amountFen: l.amountFen })),
      },
    });
  }

  /**
   * Book money that already went back without being started here (a group-buy refund, or one
   * decided before the ledger existed): start and finish at once, asking at most for what is left.
   * If the books then disagree with what the provider refunded it is logged, and reconciliation
   * lists it; the handler calling this never fails on it.
   */
  async bookCompleted(
    db: Db,
    orderId: number,
    input: { ref: string; lines: UnitsAsked; refundedFen: number; paymentRefundId: number | null },
  ): Promise<void> {
    await this.lockOrder(db, orderId);
    if (!(await this.byRef(db, input.ref))) {
      const lines = await this.refundable(db, orderId);
      const asked = input.lines
        .map((a) => {
          const l = lines.find((x) => x.id === a.lineId);
          return { lineId: a.lineId, quantity: l ? Math.min(a.quantity, l.quantity - l.committedQuantity) : 0 };
        })
        .filter((a) => a.quantity > 0);
      const log = { orderId, ref: input.ref, refundedFen: input.refundedFen };
      if (asked.length === 0) {
        this.ctx.log.error(log, 'refund for units already refunded: nothing booked');
        return;
      }
      const started = await this.start(db, orderId, { ref: input.ref, lines: asked });
      if (started.amountFen !== input.refundedFen) {
        this.ctx.log.error({ ...log, booked: started.amountFen }, 'refund booked differs from what was refunded');
      }
    }
    await this.finish(db, input.ref, input.paymentRefundId);
  }
}
