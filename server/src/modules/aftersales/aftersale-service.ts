// After-sales: the shopper asks for money back on some lines (and quantities); the shop approves
// or rejects; returned goods go back into stock; the refund goes through the original payment.
// What the shopper sees when asking is an estimate. The amount is decided when the refund starts
// (approval of a refund only, receipt of the returned goods), by the order's refund ledger
// (orders/refunds.ts) against what is already refunded or being refunded: requests withdrawn or
// rejected in between change nothing, shipping goes back once, and the order never gets back more
// than it paid.
import crypto from 'node:crypto';
import { sql, type Generated } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { CreatedAt, Id, UpdatedAt } from '../../platform/db/types.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { transact } from '../../platform/db/transact.ts';
import { estimateRefund, REQUESTABLE, refundStateOf } from './refund-estimate.ts';
import type { OrderForRefund } from '../orders/refunds.ts';
import '../orders/tables.ts';

export { lineRefundAmount } from '../orders/refund-rules.ts';

export type AftersaleStatus =
  | 'requested'
  | 'awaiting_return'
  | 'returned'
  | 'refunding'
  | 'refunded'
  | 'rejected'
  | 'cancelled';
export interface AftersalesTable {
  id: Id;
  aftersale_no: string;
  order_id: number;
  merchant_id: number;
  user_id: number;
  type: 'refund_only' | 'return_refund';
  status: AftersaleStatus;
  reason: string;
  description: Generated<string>;
  reject_reason: string | null;
  return_carrier: string | null;
  return_tracking_no: string | null;
  /** An estimate while the request is open; what is refunded once it is refunding. */
  amount_fen: number;
  shipping_fen: Generated<number>;
  refund_id: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}
export interface AftersaleLinesTable {
  aftersale_id: number;
  order_line_id: number;
  quantity: number;
  amount_fen: number;
}
declare module '../../platform/db/types.ts' {
  interface Database {
    aftersales: AftersalesTable;
    aftersale_lines: AftersaleLinesTable;
  }
}

const ledgerRef = (aftersaleId: number) => `aftersale:${aftersaleId}`;
interface RequestInput {
  type: 'refund_only' | 'return_refund';
  reason: string;
  description?: string | undefined;
  lines: Array<{ lineId: number; quantity: number }>;
}

export class AftersaleService {
  constructor(private readonly ctx: AppContext) {}

  async request(userId: number, orderId: number, input: RequestInput) {
    return transact(this.ctx.db, async (trx) => {
      const order = await this.ctx.services.orderRefunds.lockForRefund(trx, orderId);
      if (order.userId !== userId) throw notFound('Order', 'ORDER_NOT_FOUND');
      if (!REQUESTABLE.includes(order.status)) {
        throw conflict('AFTERSALE_NOT_ALLOWED', `An order that is ${order.status} cannot get an after-sales request`);
      }
      if (this.windowClosed(order)) {
        throw conflict('AFTERSALE_WINDOW_CLOSED', 'The after-sales period of this order is over');
      }
      if (input.type === 'return_refund' && order.status === 'paid')
        throw badRequest('NOTHING_TO_RETURN', 'Nothing has shipped yet: ask for a refund only');
      if (input.lines.length === 0) throw badRequest('LINES_REQUIRED', 'Choose what to refund');
      const estimate = await this.estimate(trx, order, input.lines);
      const row = await trx
        .insertInto('aftersales')
        .values({
          aftersale_no: `AS${Date.now()}${crypto.randomInt(1000, 9999)}`,
          order_id: orderId,
          merchant_id: order.merchantId,
          user_id: userId,
          type: input.type,
          status: 'requested',
          reason: input.reason,
          description: input.description ?? '',
          amount_fen: estimate.amountFen,
          shipping_fen: estimate.shippingFen,
        })
        .returning(['id'])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('aftersale_lines')
        .values(
          estimate.lines.map((p) => ({
            aftersale_id: row.id,
            order_line_id: p.lineId,
            quantity: p.quantity,
            amount_fen: p.amountFen,
          })),
        )
        .execute();
      await this.ctx.events.emit(trx, {
        type: 'aftersale.requested',
        aggregateType: 'aftersale',
        aggregateId: row.id,
        payload: { aftersaleId: row.id, orderId, merchantId: order.merchantId, userId, amountFen: estimate.amountFen },
      });
      return this.view(trx, row.id);
    });
  }

  /** The refund of `asked` as if it started now, after the other open requests (refund-estimate.ts). */
  private async estimate(db: Db, order: OrderForRefund, asked: RequestInput['lines']) {
    return estimateRefund(this.ctx, db, order, asked);
  }

  /** The after-sales period of a completed order is over. */
  private windowClosed(order: OrderForRefund): boolean {
    const windowMs = this.ctx.config.afterSalesWindowDays * 24 * 3600_000;
    return order.status === 'completed' && !!order.completedAt && Date.now() - order.completedAt.getTime() > windowMs;
  }

  /** The buyer's order as it stands for refunds: each line refunded, being refunded, requested, still refundable. */
  async refundState(userId: number, orderId: number) {
    return transact(this.ctx.db, async (trx) => {
      const order = await this.ctx.services.orderRefunds.lockForRefund(trx, orderId);
      if (order.userId !== userId) throw notFound('Order', 'ORDER_NOT_FOUND');
      return refundStateOf(this.ctx, trx, order, !this.windowClosed(order));
    });
  }

  /** What a request for these units would return now: the estimate it would be stored with. Writes nothing. */
  async estimateFor(userId: number, orderId: number, lines: RequestInput['lines']) {
    return transact(this.ctx.db, async (trx) => {
      const order = await this.ctx.services.orderRefunds.lockForRefund(trx, orderId);
      if (order.userId !== userId) throw notFound('Order', 'ORDER_NOT_FOUND');
      const e = await this.estimate(trx, order, lines);
      return {
        amountFen: e.amountFen,
        shippingFen: e.shippingFen,
        lines: e.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, amountFen: l.amountFen })),
      };
    });
  }

  private async lockAftersale(db: Db, id: number) {
    const a = await db.selectFrom('aftersales').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!a) throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
    return a;
  }

  async approve(actor: Actor, merchantId: number, id: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    return transact(this.ctx.db, async (trx) => {
      const a = await this.lockAftersale(trx, id);
      if (a.merchant_id !== merchantId) throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
      if (a.status !== 'requested') throw conflict('AFTERSALE_STATE', `This request is ${a.status}`);
      if (a.type === 'return_refund') await this.setStatus(trx, a.id, 'awaiting_return');
      else await this.startRefund(trx, a, 'unshipped');
      return this.view(trx, a.id);
    });
  }

  async reject(actor: Actor, merchantId: number, id: number, reason: string) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    return transact(this.ctx.db, async (trx) => {
      const a = await this.lockAftersale(trx, id);
      if (a.merchant_id !== merchantId) throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
      if (a.status !== 'requested' && a.status !== 'returned')
        throw conflict('AFTERSALE_STATE', `This request is ${a.status}`);
      await trx
        .updateTable('aftersales')
        .set({ status: 'rejected', reject_reason: reason, updated_at: sql`now()` })
        .where('id', '=', id)
        .execute();
      return this.view(trx, id);
    });
  }

  async submitReturn(userId: number, id: number, input: { carrier: string; trackingNo: string }) {
    return transact(this.ctx.db, async (trx) => {
      const a = await this.lockAftersale(trx, id);
      if (a.user_id !== userId) throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
      if (a.status !== 'awaiting_return') throw conflict('AFTERSALE_STATE', `This request is ${a.status}`);
      await trx
        .updateTable('aftersales')
        .set({
          status: 'returned',
          return_carrier: input.carrier,
          return_tracking_no: input.trackingNo,
          updated_at: sql`now()`,
        })
        .where('id', '=', id)
        .execute();
      return this.view(trx, id);
    });
  }

  /** The shop received the returned goods: back into stock, money back to the buyer. */
  async receiveReturn(actor: Actor, merchantId: number, id: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    return transact(this.ctx.db, async (trx) => {
      const a = await this.lockAftersale(trx, id);
      if (a.merchant_id !== merchantId) throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
      if (a.status !== 'returned') throw conflict('AFTERSALE_STATE', `This request is ${a.status}`);
      await this.startRefund(trx, a, 'all');
      return this.view(trx, a.id);
    });
  }

  async cancel(userId: number, id: number) {
    return transact(this.ctx.db, async (trx) => {
      const a = await this.lockAftersale(trx, id);
      if (a.user_id !== userId) throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
      if (a.status !== 'requested' && a.status !== 'awaiting_return')
        throw conflict('AFTERSALE_STATE', `This request is ${a.status}`);
      await this.setStatus(trx, id, 'cancelled');
      return this.view(trx, id);
    });
  }

  private async setStatus(db: Db, id: number, status: AftersaleStatus) {
    await db.updateTable('aftersales').set({ status, updated_at: sql`now()` }).where('id', '=', id).execute();
  }

  /**
   * Decide the refund now, against what is committed (orders/refunds.ts), put back on sale what is
   * in the warehouse — the units that never shipped, or all of them once returned goods arrived —
   * and ask the payment for exactly that amount.
   */
  private async startRefund(db: Db, a: { id: number; order_id: number }, restock: 'unshipped' | 'all') {
    const asked = await this.askedUnits(db, a.id);
    const started = await this.ctx.services.orderRefunds.start(db, a.order_id, { ref: ledgerRef(a.id), lines: asked });
    const back = started.lines
      .map((l) => ({ skuId: l.skuId, quantity: restock === 'all' ? l.quantity : l.unshippedQuantity }))
      .filter((l) => l.quantity > 0);
    if (back.length > 0)
      await this.ctx.services.inventory.restock(db, {
        orderId: a.order_id,
        refundId: started.orderRefundId,
        lines: back,
      });
    await db
      .updateTable('aftersales')
      .set({ amount_fen: started.amountFen, shipping_fen: started.shippingFen, updated_at: sql`now()` })
      .where('id', '=', a.id)
      .execute();
    for (const l of started.lines) {
      await db
        .updateTable('aftersale_lines')
        .set({ amount_fen: l.amountFen })
        .where('aftersale_id', '=', a.id)
        .where('order_line_id', '=', l.lineId)
        .execute();
    }
    if (started.amountFen === 0 || !started.paymentId) {
      await this.completeRefund(db, a.id, null);
      return;
    }
    const refund = await this.ctx.services.payments.refund(db, {
      paymentId: started.paymentId,
      amountFen: started.amountFen,
      reason: `售后退款 ${a.id}`,
      idempotencyKey: `aftersale:${a.id}`,
    });
    await db
      .updateTable('aftersales')
      .set({ status: 'refunding', refund_id: refund.refundId, updated_at: sql`now()` })
      .where('id', '=', a.id)
      .execute();
  }

  /** Money is back with the buyer: close the request and book it on the order. Idempotent. */
  async completeRefund(db: Db, aftersaleId: number, paymentRefundId: number | null): Promise<void> {
    const a = await this.lockAftersale(db, aftersaleId);
    if (a.status === 'refunded') return;
    await this.setStatus(db, a.id, 'refunded');
    const refunds = this.ctx.services.orderRefunds;
    if (await refunds.byRef(db, ledgerRef(a.id))) {
      await refunds.finish(db, ledgerRef(a.id), paymentRefundId);
      return;
    }
    // Decided before the order had a refund ledger: book what was refunded, capped to what is left.
    const lines = await this.askedUnits(db, a.id);
    await refunds.bookCompleted(db, a.order_id, {
      ref: ledgerRef(a.id),
      lines,
      refundedFen: a.amount_fen,
      paymentRefundId,
    });
  }

  private async askedUnits(db: Db, aftersaleId: number) {
    const rows = await db
      .selectFrom('aftersale_lines')
      .select(['order_line_id', 'quantity'])
      .where('aftersale_id', '=', aftersaleId)
      .orderBy('order_line_id')
      .execute();
    return rows.map((l) => ({ lineId: l.order_line_id, quantity: l.quantity }));
  }

  registerHandlers(): void {
    this.ctx.events.subscribe({
      name: 'aftersales.on_payment_refunded',
      events: ['payment.refunded'],
      handle: async (e, db) => {
        const a = await db
          .selectFrom('aftersales')
          .select('id')
          .where('refund_id', '=', e.payload.refundId)
          .executeTakeFirst();
        if (a) await this.completeRefund(db, a.id, e.payload.refundId);
      },
    });
  }

  async view(db: Db, id: number) {
    const a = await db.selectFrom('aftersales').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const own = await db
      .selectFrom('aftersale_lines')
      .select(['order_line_id', 'quantity', 'amount_fen'])
      .where('aftersale_id', '=', id)
      .execute();
    const names = await this.ctx.services.orderQueries.lineNames(
      db,
      own.map((l) => l.order_line_id),
    );
    const orderNo = (await this.ctx.services.orderQueries.orderNos(db, [a.order_id])).get(a.order_id) ?? '';
    const lines = own.flatMap((l) => {
      const n = names.get(l.order_line_id);
      return n ? [{ ...l, product_title: n.productTitle, sku_name: n.skuName }] : [];
    });
    return {
      id: a.id,
      aftersaleNo: a.aftersale_no,
      orderId: a.order_id,
      orderNo,
      merchantId: a.merchant_id,
      userId: a.user_id,
      type: a.type,
      status: a.status,
      reason: a.reason,
      description: a.description,
      rejectReason: a.reject_reason,
      returnCarrier: a.return_carrier,
      returnTrackingNo: a.return_tracking_no,
      amountFen: a.amount_fen,
      shippingFen: a.shipping_fen,
      createdAt: a.created_at,
      updatedAt: a.updated_at,
      lines: lines.map((l) => ({
        lineId: l.order_line_id,
        productTitle: l.product_title,
        skuName: l.sku_name,
        quantity: l.quantity,
        amountFen: l.amount_fen,
      })),
    };
  }

  async listForMerchant(actor: Actor, merchantId: number, status: AftersaleStatus | undefined) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    let q = this.ctx.db.selectFrom('aftersales').select('id').where('merchant_id', '=', merchantId);
    if (status) q = q.where('status', '=', status);
    const rows = await q.orderBy('id', 'desc').limit(200).execute();
    return Promise.all(rows.map((r) => this.view(this.ctx.db, r.id)));
  }

  async listForShopper(userId: number, orderId?: number) {
    // A filter naming another shopper's order is refused like that order itself, not an empty list.
    if (orderId) await this.ctx.services.orderQueries.requireOwnOrder(this.ctx.db, { userId }, orderId);
    let q = this.ctx.db.selectFrom('aftersales').select('id').where('user_id', '=', userId);
    if (orderId) q = q.where('order_id', '=', orderId);
    const rows = await q.orderBy('id', 'desc').limit(100).execute();
    return Promise.all(rows.map((r) => this.view(this.ctx.db, r.id)));
  }
}
