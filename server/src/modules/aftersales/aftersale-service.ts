// After-sales: the shopper asks for money back on some lines (and quantities); the shop approves
// or rejects; returned goods go back into stock; the refund goes through the original payment.
// Amounts are exact: the last unit of a line refunds whatever is left of what it cost, so partial
// refunds add up to exactly what was paid, never more.
import crypto from 'node:crypto';
import { sql, type Generated } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { CreatedAt, Id, UpdatedAt } from '../../platform/db/types.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import '../orders/tables.ts';
import { transact } from '../../platform/db/transact.ts';

export type AftersaleStatus = 'requested' | 'awaiting_return' | 'returned' | 'refunding' | 'refunded' | 'rejected' | 'cancelled';
export interface AftersalesTable {
  id: Id; aftersale_no: string; order_id: number; merchant_id: number; user_id: number; type: 'refund_only' | 'return_refund'; status: AftersaleStatus;
  reason: string; description: Generated<string>; reject_reason: string | null; return_carrier: string | null; return_tracking_no: string | null;
  amount_fen: number; shipping_fen: Generated<number>; refund_id: number | null; created_at: CreatedAt; updated_at: UpdatedAt;
}
export interface AftersaleLinesTable { aftersale_id: number; order_line_id: number; quantity: number; amount_fen: number }
declare module '../../platform/db/types.ts' {
  interface Database { aftersales: AftersalesTable; aftersale_lines: AftersaleLinesTable }
}

const OPEN: AftersaleStatus[] = ['requested', 'awaiting_return', 'returned', 'refunding'];

/** What refunding `quantity` more units of a line returns, given what was already refunded. */
export function lineRefundAmount(line: { quantity: number; payable_fen: number }, alreadyQty: number, alreadyFen: number, quantity: number): number {
  const after = alreadyQty + quantity;
  if (after > line.quantity) throw badRequest('QUANTITY_INVALID', 'More units than were bought');
  const target = after === line.quantity ? line.payable_fen : Math.floor((line.payable_fen * after) / line.quantity);
  return Math.max(0, target - alreadyFen);
}

export class AftersaleService {
  constructor(private readonly ctx: AppContext) {}

  async request(userId: number, orderId: number, input: { type: 'refund_only' | 'return_refund'; reason: string; description?: string | undefined; lines: Array<{ lineId: number; quantity: number }> }) {
    return transact(this.ctx.db, async (trx) => {
      const order = await trx.selectFrom('orders').selectAll().where('id', '=', orderId).forUpdate().executeTakeFirst();
      if (!order || order.user_id !== userId) throw notFound('Order', 'ORDER_NOT_FOUND');
      if (!['paid', 'shipped', 'delivered', 'completed'].includes(order.status)) throw conflict('AFTERSALE_NOT_ALLOWED', `An order that is ${order.status} cannot get an after-sales request`);
      if (order.status === 'completed' && order.completed_at && Date.now() - order.completed_at.getTime() > this.ctx.config.afterSalesWindowDays * 24 * 3600_000) {
        throw conflict('AFTERSALE_WINDOW_CLOSED', 'The after-sales period of this order is over');
      }
      if (input.type === 'return_refund' && order.status === 'paid') throw badRequest('NOTHING_TO_RETURN', 'Nothing has shipped yet: ask for a refund only');
      if (input.lines.length === 0) throw badRequest('LINES_REQUIRED', 'Choose what to refund');
      const lines = await trx.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).execute();
      // Units already refunded or in an open request are not available again.
      const pending = await trx.selectFrom('aftersale_lines as al').innerJoin('aftersales as a', 'a.id', 'al.aftersale_id')
        .select(['al.order_line_id', sql<number>`sum(al.quantity)`.as('q'), sql<number>`sum(al.amount_fen)`.as('f')])
        .where('a.order_id', '=', orderId).where('a.status', 'in', OPEN).groupBy('al.order_line_id').execute();
      let amount = 0;
      const picked: Array<{ lineId: number; quantity: number; amountFen: number }> = [];
      for (const want of input.lines) {
        const line = lines.find((l) => l.id === want.lineId);
        if (!line) throw badRequest('LINE_NOT_IN_ORDER', `Line ${want.lineId} is not in this order`);
        const open = pending.find((p) => p.order_line_id === line.id);
        const amountFen = lineRefundAmount(line, line.refunded_quantity + (open?.q ?? 0), line.refunded_fen + (open?.f ?? 0), want.quantity);
        picked.push({ lineId: line.id, quantity: want.quantity, amountFen });
        amount += amountFen;
      }
      // Before anything ships, refunding everything that is left also returns the shipping fee.
      const allLeft = lines.every((l) => {
        const asked = picked.find((p) => p.lineId === l.id)?.quantity ?? 0;
        const open = pending.find((p) => p.order_line_id === l.id)?.q ?? 0;
        return l.refunded_quantity + open + asked === l.quantity;
      });
      const shippingFen = order.status === 'paid' && allLeft ? order.shipping_fen : 0;
      const row = await trx.insertInto('aftersales').values({
        aftersale_no: `AS${Date.now()}${crypto.randomInt(1000, 9999)}`, order_id: orderId, merchant_id: order.merchant_id, user_id: userId,
        type: input.type, status: 'requested', reason: input.reason, description: input.description ?? '', amount_fen: amount + shippingFen, shipping_fen: shippingFen,
      }).returning(['id']).executeTakeFirstOrThrow();
      await trx.insertInto('aftersale_lines').values(picked.map((p) => ({ aftersale_id: row.id, order_line_id: p.lineId, quantity: p.quantity, amount_fen: p.amountFen }))).execute();
      await this.ctx.events.emit(trx, { type: 'aftersale.requested', aggregateType: 'aftersale', aggregateId: row.id, payload: { aftersaleId: row.id, orderId, merchantId: order.merchant_id, userId, amountFen: amount + shippingFen } });
      return this.view(trx, row.id);
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
      if (a.type === 'return_refund') {
        await this.setStatus(trx, a.id, 'awaiting_return');
      } else {
        const order = await trx.selectFrom('orders').select(['status']).where('id', '=', a.order_id).executeTakeFirstOrThrow();
        // Goods that never left the warehouse go straight back on sale.
        if (order.status === 'paid') await this.restock(trx, a.id, a.order_id);
        await this.startRefund(trx, a);
      }
      return this.view(trx, a.id);
    });
  }

  async reject(actor: Actor, merchantId: number, id: number, reason: string) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    return transact(this.ctx.db, async (trx) => {
      const a = await this.lockAftersale(trx, id);
      if (a.merchant_id !== merchantId) throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
      if (a.status !== 'requested' && a.status !== 'returned') throw conflict('AFTERSALE_STATE', `This request is ${a.status}`);
      await trx.updateTable('aftersales').set({ status: 'rejected', reject_reason: reason, updated_at: sql`now()` }).where('id', '=', id).execute();
      return this.view(trx, id);
    });
  }

  async submitReturn(userId: number, id: number, input: { carrier: string; trackingNo: string }) {
    return transact(this.ctx.db, async (trx) => {
      const a = await this.lockAftersale(trx, id);
      if (a.user_id !== userId) throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
      if (a.status !== 'awaiting_return') throw conflict('AFTERSALE_STATE', `This request is ${a.status}`);
      await trx.updateTable('aftersales').set({ status: 'returned', return_carrier: input.carrier, return_tracking_no: input.trackingNo, updated_at: sql`now()` }).where('id', '=', id).execute();
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
      await this.restock(trx, a.id, a.order_id);
      await this.startRefund(trx, a);
      return this.view(trx, a.id);
    });
  }

  async cancel(userId: number, id: number) {
    return transact(this.ctx.db, async (trx) => {
      const a = await this.lockAftersale(trx, id);
      if (a.user_id !== userId) throw notFound('After-sales request', 'AFTERSALE_NOT_FOUND');
      if (a.status !== 'requested' && a.status !== 'awaiting_return') throw conflict('AFTERSALE_STATE', `This request is ${a.status}`);
      await this.setStatus(trx, id, 'cancelled');
      return this.view(trx, id);
    });
  }

  private async setStatus(db: Db, id: number, status: AftersaleStatus) {
    await db.updateTable('aftersales').set({ status, updated_at: sql`now()` }).where('id', '=', id).execute();
  }

  private async restock(db: Db, aftersaleId: number, orderId: number) {
    const lines = await db.selectFrom('aftersale_lines as al').innerJoin('order_lines as ol', 'ol.id', 'al.order_line_id')
      .select(['ol.sku_id', 'al.quantity']).where('al.aftersale_id', '=', aftersaleId).execute();
    await this.ctx.services.inventory.restock(db, { orderId, refundId: aftersaleId, lines: lines.map((l) => ({ skuId: l.sku_id, quantity: l.quantity })) });
  }

  private async startRefund(db: Db, a: { id: number; order_id: number; amount_fen: number }) {
    const order = await db.selectFrom('orders').select(['payment_id']).where('id', '=', a.order_id).executeTakeFirstOrThrow();
    if (a.amount_fen === 0 || !order.payment_id) {
      await this.completeRefund(db, a.id, null);
      return;
    }
    const refund = await this.ctx.services.payments.refund(db, { paymentId: order.payment_id, amountFen: a.amount_fen, reason: `售后退款 ${a.id}`, idempotencyKey: `aftersale:${a.id}` });
    await db.updateTable('aftersales').set({ status: 'refunding', refund_id: refund.refundId, updated_at: sql`now()` }).where('id', '=', a.id).execute();
  }

  /** Money is back with the buyer: close the request and book it on the order. Idempotent. */
  async completeRefund(db: Db, aftersaleId: number, refundId: number | null): Promise<void> {
    const a = await this.lockAftersale(db, aftersaleId);
    if (a.status === 'refunded') return;
    await this.setStatus(db, a.id, 'refunded');
    const lines = await db.selectFrom('aftersale_lines').selectAll().where('aftersale_id', '=', a.id).execute();
    await this.ctx.services.orders.applyRefund(db, a.order_id, {
      refundId: refundId ?? a.id, amountFen: a.amount_fen, shippingFen: a.shipping_fen,
      lines: lines.map((l) => ({ lineId: l.order_line_id, quantity: l.quantity, amountFen: l.amount_fen })),
    });
  }

  registerHandlers(): void {
    this.ctx.events.subscribe<{ refundId: number; bizType: string }>({
      name: 'aftersales.on_payment_refunded', events: ['payment.refunded'],
      handle: async (e, db) => {
        const a = await db.selectFrom('aftersales').select('id').where('refund_id', '=', e.payload.refundId).executeTakeFirst();
        if (a) await this.completeRefund(db, a.id, e.payload.refundId);
      },
    });
  }

  async view(db: Db, id: number) {
    const a = await db.selectFrom('aftersales').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const lines = await db.selectFrom('aftersale_lines as al').innerJoin('order_lines as ol', 'ol.id', 'al.order_line_id')
      .select(['al.order_line_id', 'al.quantity', 'al.amount_fen', 'ol.product_title', 'ol.sku_name']).where('al.aftersale_id', '=', id).execute();
    return {
      id: a.id, aftersaleNo: a.aftersale_no, orderId: a.order_id, merchantId: a.merchant_id, userId: a.user_id, type: a.type, status: a.status,
      reason: a.reason, description: a.description, rejectReason: a.reject_reason, returnCarrier: a.return_carrier, returnTrackingNo: a.return_tracking_no,
      amountFen: a.amount_fen, shippingFen: a.shipping_fen, createdAt: a.created_at, updatedAt: a.updated_at,
      lines: lines.map((l) => ({ lineId: l.order_line_id, productTitle: l.product_title, skuName: l.sku_name, quantity: l.quantity, amountFen: l.amount_fen })),
    };
  }

  async listForMerchant(actor: Actor, merchantId: number, status: AftersaleStatus | undefined) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    let q = this.ctx.db.selectFrom('aftersales').select('id').where('merchant_id', '=', merchantId);
    if (status) q = q.where('status', '=', status);
    const rows = await q.orderBy('id', 'desc').limit(200).execute();
    return Promise.all(rows.map((r) => this.view(this.ctx.db, r.id)));
  }

  async listForShopper(userId: number) {
    const rows = await this.ctx.db.selectFrom('aftersales').select('id').where('user_id', '=', userId).orderBy('id', 'desc').limit(100).execute();
    return Promise.all(rows.map((r) => this.view(this.ctx.db, r.id)));
  }
}
