// Reads of the order refund ledger that other books are checked against (after-sales, payments);
// exposed through OrderRefunds so no other module queries the orders' tables.
import type { Db } from '../../platform/db/types.ts';
import type { StartedRefund } from './refunds.ts';
import './tables.ts';

export interface LedgerEntry {
  orderId: number;
  status: 'refunding' | 'refunded';
  amountFen: number;
  shippingFen: number;
}
export interface PaymentOrderBooks {
  paidFen: number;
  committedRefundFen: number;
  orderIds: number[];
}

export async function refundLedgerEntry(db: Db, ref: string): Promise<StartedRefund | null> {
  const r = await db
    .selectFrom('order_refunds as r')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .select(['r.id', 'r.order_id', 'r.amount_fen', 'r.shipping_fen', 'r.status', 'o.payment_id'])
    .where('r.ref', '=', ref)
    .executeTakeFirst();
  if (!r) return null;
  const lines = await db
    .selectFrom('order_refund_lines as rl')
    .innerJoin('order_lines as l', 'l.id', 'rl.order_line_id')
    .select(['rl.order_line_id', 'rl.quantity', 'rl.unshipped_quantity', 'rl.amount_fen', 'l.sku_id'])
    .where('rl.order_refund_id', '=', r.id)
    .orderBy('rl.order_line_id')
    .execute();
  return {
    orderRefundId: r.id,
    orderId: r.order_id,
    paymentId: r.payment_id,
    amountFen: r.amount_fen,
    shippingFen: r.shipping_fen,
    status: r.status,
    lines: lines.map((l) => ({
      lineId: l.order_line_id,
      skuId: l.sku_id,
      quantity: l.quantity,
      unshippedQuantity: l.unshipped_quantity,
      amountFen: l.amount_fen,
    })),
  };
}

/** The ledger entries with these refs. */
export async function ledgerEntriesByRef(db: Db, refs: string[]): Promise<Map<string, LedgerEntry>> {
  if (refs.length === 0) return new Map();
  const rows = await db
    .selectFrom('order_refunds')
    .select(['ref', 'order_id', 'status', 'amount_fen', 'shipping_fen'])
    .where('ref', 'in', refs)
    .execute();
  return new Map(
    rows.map((r) => [
      r.ref,
      {
        orderId: r.order_id,
        status: r.status,
        amountFen: r.amount_fen,
        shippingFen: r.shipping_fen,
      },
    ]),
  );
}

/**
 * Per payment, what its paid orders cost and what of them is refunded or being refunded: the
 * orders' side of "payments received − refunds = orders paid − refunded".
 */
export async function orderBooksByPayment(db: Db, paymentIds: number[]): Promise<Map<number, PaymentOrderBooks>> {
  const out = new Map<number, PaymentOrderBooks>();
  if (paymentIds.length === 0) return out;
  const rows = await db
    .selectFrom('orders')
    .select(['id', 'payment_id', 'total_fen', 'refunded_fen', 'refunding_fen'])
    .where('payment_id', 'in', paymentIds)
    .where('paid_at', 'is not', null)
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const b = out.get(r.payment_id!) ?? { paidFen: 0, committedRefundFen: 0, orderIds: [] };
    b.paidFen += r.total_fen;
    b.committedRefundFen += r.refunded_fen + r.refunding_fen;
    b.orderIds.push(r.id);
    out.set(r.payment_id!, b);
  }
  return out;
}
