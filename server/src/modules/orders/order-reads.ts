// Reads other modules make of orders (OrderQueries exposes them): an after-sale's line names, a
// group's refunded lines, what points are earned and returned on, whether a shopper has paid before,
// what a promotion took part in. Each takes the caller's executor, so a handler reads inside its
// own transaction.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/types.ts';
import './tables.ts';

/** Title and SKU name of each order line among `lineIds`, by line id. */
export async function lineNames(db: Db, lineIds: readonly number[]) {
  const out = new Map<number, { productTitle: string; skuName: string }>();
  if (lineIds.length === 0) return out;
  const rows = await db.selectFrom('order_lines').select(['id', 'product_title', 'sku_name'])
    .where('id', 'in', [...new Set(lineIds)]).execute();
  for (const l of rows) out.set(l.id, { productTitle: l.product_title, skuName: l.sku_name });
  return out;
}

/** Every line of the order: its id, SKU and quantity. */
export async function linesOf(db: Db, orderId: number) {
  const rows = await db.selectFrom('order_lines').select(['id', 'sku_id', 'quantity']).where('order_id', '=', orderId)
    .execute();
  return rows.map((l) => ({ lineId: l.id, skuId: l.sku_id, quantity: l.quantity }));
}

/** An order's money as points see it (paid, refunded, points spent; goods only, without shipping), or null. */
export async function pointsBasis(db: Db, orderId: number) {
  const o = await db.selectFrom('orders').select(['user_id', 'total_fen', 'refunded_fen', 'points_used'])
    .where('id', '=', orderId).executeTakeFirst();
  if (!o) return null;
  const goods = await db.selectFrom('order_lines')
    .select([sql<number>`coalesce(sum(payable_fen), 0)`.as('paid'), sql<number>`coalesce(sum(refunded_fen), 0)`.as('refunded')])
    .where('order_id', '=', orderId).executeTakeFirstOrThrow();
  return {
    orderId, userId: o.user_id, totalFen: o.total_fen, refundedFen: o.refunded_fen, pointsUsed: o.points_used,
    goodsPaidFen: Number(goods.paid), goodsRefundedFen: Number(goods.refunded),
  };
}

/** Has the shopper ever paid an order (anywhere)? */
export async function hasPaidOrder(db: Db, userId: number): Promise<boolean> {
  const paid = await db.selectFrom('orders').select('id').where('user_id', '=', userId).where('paid_at', 'is not', null)
    .limit(1).executeTakeFirst();
  return !!paid;
}

/**
 * For each price adjustment ref starting with `refPrefix` on the shop's paid orders: how many orders
 * carried it and the discount it gave (positive fen).
 */
export async function adjustmentTotals(db: Db, merchantId: number, refPrefix: string) {
  const rows = (await sql<{ ref: string; orders: number; discount: number }>`
    select a->>'ref' as ref, count(distinct o.id) as orders, coalesce(-sum((a->>'amountFen')::bigint), 0) as discount
    from order_lines l join orders o on o.id = l.order_id cross join lateral jsonb_array_elements(l.adjustments) a
    where o.merchant_id = ${merchantId} and o.paid_at is not null and a->>'ref' like ${`${refPrefix}%`}
    group by 1`.execute(db)).rows;
  return new Map(rows.map((r) => [r.ref, { orders: Number(r.orders), discountFen: Number(r.discount) }]));
}
