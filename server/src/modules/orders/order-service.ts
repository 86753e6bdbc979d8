// The order state machine: pending_payment → paid → shipped → delivered → completed, plus
// cancelled and refunded. Each transition is one transaction that also moves stock, writes the
// history and emits the event, so the rest of the platform reacts through the outbox.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import type { OrderStatus } from './tables.ts';
import { moveOrder } from './transition.ts';
import './tables.ts';
import { transact } from '../../platform/db/transact.ts';

const DAY = 24 * 3600_000;

export class OrderService {
  constructor(private readonly ctx: AppContext) {}

  private async lock(db: Db, orderId: number) {
    const o = await db.selectFrom('orders').selectAll().where('id', '=', orderId).forUpdate().executeTakeFirst();
    if (!o) throw notFound('Order', 'ORDER_NOT_FOUND');
    return o;
  }

  /**
   * Lock every order of a checkout in ascending id — the one order in which any path locks
   * several orders — then the stock rows their reservations hold, in inventory's global order.
   * Cancelling, paying and timing out the same checkout then queue instead of deadlocking.
   */
  private async lockCheckout(db: Db, checkoutId: number) {
    const orders = await db
      .selectFrom('orders')
      .selectAll()
      .where('checkout_id', '=', checkoutId)
      .orderBy('id')
      .forUpdate()
      .execute();
    await this.ctx.services.inventory.lockForOrders(
      db,
      orders.filter((o) => o.status === 'pending_payment').map((o) => o.id),
    );
    return orders;
  }

  private async transition(
    db: Db,
    orderId: number,
    from: OrderStatus,
    to: OrderStatus,
    note: string,
    actorUserId: number | null,
    extra: Record<string, unknown> = {},
  ) {
    await moveOrder(db, orderId, { from, to, note, actorUserId }, extra);
  }

  async eventPayload(db: Db, orderId: number) {
    const o = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
    const lines = await db
      .selectFrom('order_lines')
      .select(['sku_id', 'product_id', 'quantity', 'payable_fen'])
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute();
    return {
      orderId: o.id,
      orderNo: o.order_no,
      merchantId: o.merchant_id,
      userId: o.user_id,
      roomId: o.room_id,
      totalFen: o.total_fen,
      pointsUsed: o.points_used,
      items: lines.map((l) => ({
        skuId: l.sku_id,
        productId: l.product_id,
        quantity: l.quantity,
        payableFen: l.payable_fen,
      })),
    };
  }

  /** Payment arrived: stock reserved becomes sold. Idempotent. */
  async markPaid(db: Db, orderId: number, paymentId: number | null): Promise<'paid' | 'already' | 'cancelled'> {
    const o = await this.lock(db, orderId);
    if (o.status === 'cancelled') return 'cancelled';
    if (o.status !== 'pending_payment') return 'already';
    await this.transition(db, orderId, 'pending_payment', 'paid', '支付成功', null, { paid_at: sql`now()` });
    await this.ctx.services.inventory.commit(db, orderId);
    await this.ctx.jobs.cancel(db, `order-timeout:${orderId}`);
    await this.ctx.events.emit(db, {
      type: 'order.paid',
      aggregateType: 'order',
      aggregateId: orderId,
      payload: { ...(await this.eventPayload(db, orderId)), paymentId, paidAt: new Date().toISOString() },
    });
    return 'paid';
  }

  /** React to payment.succeeded for an order checkout (an outbox handler: runs in its transaction). */
  async onPaymentSucceeded(db: Db, payment: { paymentId: number; bizId: string }): Promise<void> {
    const checkout = await db
      .selectFrom('checkouts')
      .select('id')
      .where('checkout_no', '=', payment.bizId)
      .executeTakeFirst();
    if (!checkout) return;
    const orders = await this.lockCheckout(db, checkout.id);
    for (const o of orders) {
      const r = await this.markPaid(db, o.id, payment.paymentId);
      if (r === 'cancelled' && o.total_fen > 0) {
        // The money came after we gave up on the order: give it back, automatically.
        await this.ctx.services.payments.refund(db, {
          paymentId: payment.paymentId,
          amountFen: o.total_fen,
          reason: '订单已取消，自动退款 Order was cancelled',
          idempotencyKey: `late-payment:${o.id}`,
        });
        await db
          .insertInto('order_status_history')
          .values({
            order_id: o.id,
            from_status: 'cancelled',
            to_status: 'cancelled',
            actor_user_id: null,
            note: '取消后到账，已自动退款',
          })
          .execute();
      }
    }
  }

  /**
   * Cancel an unpaid order. Orders paid together are cancelled together (one payment covers
   * them); stock goes back on sale and the payment stops being accepted.
   */
  async cancel(db: Db, orderId: number, reason: string, actorUserId: number | null): Promise<number[]> {
    // Not "this order, then its siblings": its siblings may have lower ids (see lockCheckout).
    const target = await db.selectFrom('orders').select('checkout_id').where('id', '=', orderId).executeTakeFirst();
    if (!target) throw notFound('Order', 'ORDER_NOT_FOUND');
    const orders = await this.lockCheckout(db, target.checkout_id);
    const o = orders.find((x) => x.id === orderId)!;
    if (o.status === 'cancelled') return [];
    if (o.status !== 'pending_payment')
      throw conflict(
        'ORDER_NOT_CANCELLABLE',
        `An order that is ${o.status} cannot be cancelled; request a refund instead`,
      );
    const siblings = orders.filter((x) => x.status === 'pending_payment');
    for (const s of siblings) {
      await this.transition(db, s.id, 'pending_payment', 'cancelled', reason, actorUserId, {
        cancelled_at: sql`now()`,
        cancel_reason: reason,
      });
      await this.ctx.services.inventory.release(
        db,
        s.id,
        reason === 'payment_timeout' ? 'payment_timeout' : 'cancelled',
      );
      await this.ctx.jobs.cancel(db, `order-timeout:${s.id}`);
      await this.ctx.events.emit(db, {
        type: 'order.cancelled',
        aggregateType: 'order',
        aggregateId: s.id,
        payload: { ...(await this.eventPayload(db, s.id)), reason },
      });
    }
    if (o.payment_id) await this.ctx.services.payments.close(db, o.payment_id);
    return siblings.map((s) => s.id);
  }

  async cancelByShopper(userId: number, orderId: number) {
    return transact(this.ctx.db, async (trx) => {
      const o = await trx.selectFrom('orders').select('user_id').where('id', '=', orderId).executeTakeFirst();
      if (!o || o.user_id !== userId) throw notFound('Order', 'ORDER_NOT_FOUND');
      return this.cancel(trx, orderId, '买家取消', userId);
    });
  }

  /** Ship some or all remaining items in a parcel. The order is "shipped" once everything left is on its way. */
  async ship(
    actor: Actor,
    merchantId: number,
    orderId: number,
    input: { carrier: string; trackingNo: string; items?: Array<{ lineId: number; quantity: number }> | undefined },
  ) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    return transact(this.ctx.db, async (trx) => {
      const o = await this.lock(trx, orderId);
      if (o.merchant_id !== merchantId) throw notFound('Order', 'ORDER_NOT_FOUND');
      if (o.status !== 'paid') throw conflict('ORDER_NOT_SHIPPABLE', `An order that is ${o.status} cannot be shipped`);
      const lines = await trx
        .selectFrom('order_lines')
        .selectAll()
        .where('order_id', '=', orderId)
        .orderBy('id')
        .execute();
      // Units being refunded never ship (orders/refunds.ts counts on it to restock them).
      const remaining = (l: (typeof lines)[number]) =>
        l.quantity - l.refunded_quantity - l.refunding_quantity - l.shipped_quantity;
      const items =
        input.items ?? lines.filter((l) => remaining(l) > 0).map((l) => ({ lineId: l.id, quantity: remaining(l) }));
      if (items.length === 0) throw badRequest('NOTHING_TO_SHIP', 'Nothing is left to ship');
      for (const it of items) {
        const line = lines.find((l) => l.id === it.lineId);
        if (!line) throw badRequest('LINE_NOT_IN_ORDER', `Line ${it.lineId} is not in this order`);
        if (it.quantity <= 0 || it.quantity > remaining(line))
          throw badRequest('QUANTITY_INVALID', `At most ${remaining(line)} of line ${it.lineId} can still ship`);
        line.shipped_quantity += it.quantity;
        await trx
          .updateTable('order_lines')
          .set({ shipped_quantity: line.shipped_quantity })
          .where('id', '=', line.id)
          .execute();
      }
      const parcel = await this.ctx.services.shipping.recordShipment(trx, {
        orderId,
        merchantId,
        carrier: input.carrier,
        trackingNo: input.trackingNo,
        items,
      });
      const allShipped = lines.every((l) => remaining(l) === 0);
      if (allShipped) {
        await this.transition(
          trx,
          orderId,
          'paid',
          'shipped',
          `已发货 ${input.carrier} ${input.trackingNo}`,
          actor.userId,
          { shipped_at: sql`now()` },
        );
        await this.ctx.jobs.schedule(trx, {
          type: 'orders.auto_confirm',
          payload: { orderId },
          delayMs: this.ctx.config.orderAutoConfirmDays * DAY,
          uniqueKey: `order-autoconfirm:${orderId}`,
        });
        await this.ctx.events.emit(trx, {
          type: 'order.shipped',
          aggregateType: 'order',
          aggregateId: orderId,
          payload: { orderId, merchantId, userId: o.user_id },
        });
      } else {
        await trx
          .insertInto('order_status_history')
          .values({
            order_id: orderId,
            from_status: 'paid',
            to_status: 'paid',
            actor_user_id: actor.userId,
            note: `部分发货 ${input.carrier} ${input.trackingNo}`,
          })
          .execute();
      }
      return { shipmentId: parcel.id, status: allShipped ? ('shipped' as const) : ('paid' as const) };
    });
  }

  /** Shopper confirms receipt (or the auto-confirm job does). */
  async confirmReceipt(db: Db, orderId: number, actorUserId: number | null, auto = false): Promise<boolean> {
    const o = await this.lock(db, orderId);
    if (o.status !== 'shipped') {
      if (auto) return false;
      throw conflict('ORDER_NOT_SHIPPED', `An order that is ${o.status} cannot be confirmed as received`);
    }
    await this.transition(
      db,
      orderId,
      'shipped',
      'delivered',
      auto ? '超时自动确认收货' : '买家确认收货',
      actorUserId,
      { delivered_at: sql`now()` },
    );
    await this.ctx.jobs.cancel(db, `order-autoconfirm:${orderId}`);
    await this.ctx.jobs.schedule(db, {
      type: 'orders.complete',
      payload: { orderId },
      delayMs: this.ctx.config.afterSalesWindowDays * DAY,
      uniqueKey: `order-complete:${orderId}`,
    });
    await this.ctx.events.emit(db, {
      type: 'order.delivered',
      aggregateType: 'order',
      aggregateId: orderId,
      payload: { orderId, merchantId: o.merchant_id, userId: o.user_id },
    });
    return true;
  }

  async confirmByShopper(userId: number, orderId: number) {
    return transact(this.ctx.db, async (trx) => {
      const o = await trx.selectFrom('orders').select('user_id').where('id', '=', orderId).executeTakeFirst();
      if (!o || o.user_id !== userId) throw notFound('Order', 'ORDER_NOT_FOUND');
      await this.confirmReceipt(trx, orderId, userId);
    });
  }

  async complete(db: Db, orderId: number): Promise<void> {
    const o = await this.lock(db, orderId);
    if (o.status !== 'delivered') return;
    await this.transition(db, orderId, 'delivered', 'completed', '交易完成', null, { completed_at: sql`now()` });
    await this.ctx.events.emit(db, {
      type: 'order.completed',
      aggregateType: 'order',
      aggregateId: orderId,
      payload: { ...(await this.eventPayload(db, orderId)), paidFen: o.total_fen - o.refunded_fen },
    });
  }

  /**
   * Money already went back through a payment refund that was not started through the refund
   * ledger (a failed group-buy): book it there (orders/refunds.ts decides and caps it).
   */
  async applyRefund(
    db: Db,
    orderId: number,
    refund: {
      refundId: number;
      amountFen: number;
      lines: Array<{ lineId: number; quantity: number }>;
      shippingFen?: number;
    },
  ): Promise<void> {
    await this.ctx.services.orderRefunds.bookCompleted(db, orderId, {
      ref: `payment-refund:${refund.refundId}`,
      lines: refund.lines,
      refundedFen: refund.amountFen,
      paymentRefundId: refund.refundId,
    });
  }

  registerJobsAndHandlers(): void {
    const { jobs, events } = this.ctx;
    jobs.register<{ orderId: number }>({
      type: 'orders.payment_timeout',
      run: async (job, db) => {
        await this.cancelIfUnpaid(db, job.payload.orderId);
      },
    });
    jobs.register<{ orderId: number }>({
      type: 'orders.auto_confirm',
      run: async (job, db) => {
        await this.confirmReceipt(db, job.payload.orderId, null, true);
      },
    });
    jobs.register<{ orderId: number }>({
      type: 'orders.complete',
      run: async (job, db) => {
        await this.complete(db, job.payload.orderId);
      },
    });
    events.subscribe({
      name: 'orders.on_payment_succeeded',
      events: ['payment.succeeded'],
      handle: async (e, db) => {
        if (e.payload.bizType === 'order') await this.onPaymentSucceeded(db, e.payload);
      },
    });
  }

  private async cancelIfUnpaid(db: Db, orderId: number): Promise<void> {
    const o = await db.selectFrom('orders').select('status').where('id', '=', orderId).executeTakeFirst();
    if (o?.status === 'pending_payment') await this.cancel(db, orderId, 'payment_timeout', null);
  }
}
