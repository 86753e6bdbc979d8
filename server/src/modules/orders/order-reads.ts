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
  const rows = await db
    .selectFrom('order_lines')
    .select(['id', 'product_title', 'sku_name'])
    .where('id', 'in', [...new Set(lineIds)])
    .execute();
  for (const l of rows) out.set(l.id, { productTitle: l.product_title, skuName: l.sku_name });
  return out;
}

/** The order number of each order by id (what people read; ids stay internal). */
export async function orderNos(db: Db, orderIds: readonly number[]) {
  const out = new Map<number, string>();
  if (orderIds.length === 0) return out;
  const rows = await db
    .selectFrom('orders')
    .select(['id', 'order_no'])
    .where('id', 'in', [...new Set(orderIds)])
    .execute();
  for (const o of rows) out.set(o.id, o.order_no);
  return out;
}

/** Every line of the order: its id, SKU and quantity. */
export async function linesOf(db: Db, orderId: number) {
  const rows = await db
    .selectFrom('order_lines')
    .select(['id', 'sku_id', 'quantity'])
    .where('order_id', '=', orderId)
    .execute();
  return rows.map((l) => ({ lineId: l.id, skuId: l.sku_id, quantity: l.quantity }));
}

/** An order's money as points see it (paid, refunded, points spent; goods only, without shipping), or null. */
export async function pointsBasis(db: Db, orderId: number) {
  const o = await db
    .selectFrom('orders')
    .select(['user_id', 'total_fen', 'refunded_fen', 'points_used'])
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!o) return null;
  const goods = await db
    .selectFrom('order_lines')
    .select([
      sql<number>`coalesce(sum(payable_fen), 0)`.as('paid'),
      sql<number>`coalesce(sum(refunded_fen), 0)`.as('refunded'),
    ])
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  return {
    orderId,
    userId: o.user_id,
    totalFen: o.total_fen,
    refundedFen: o.refunded_fen,
    pointsUsed: o.points_used,
    goodsPaidFen: Number(goods.paid),
    goodsRefundedFen: Number(goods.refunded),
  };
}

/** Each shopper who has paid the shop: paid orders, what they spent (net of refunds), their last payment. */
export async function customerTotals(db: Db, merchantId: number) {
  const rows = await db
    .selectFrom('orders')
    .where('merchant_id', '=', merchantId)
    .where('paid_at', 'is not', null)
    .select([
      'user_id',
      sql<number>`count(*)`.as('orders'),
      sql<number>`sum(total_fen - refunded_fen)`.as('paid_fen'),
      sql<Date>`max(paid_at)`.as('last_paid'),
    ])
    .groupBy('user_id')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    orders: Number(r.orders),
    paidFen: Number(r.paid_fen),
    lastPaidAt: new Date(r.last_paid),
  }));
}

/** Per shop with paid orders in the last 7 days: paid orders and GMV (net of refunds) today and over the 7 days. */
export async function salesByShop(db: Db, timeZone: string) {
  // Today is the shop's calendar day (the analytics time zone), as on the shop's own dashboard.
  const today = sql`(date_trunc('day', now() at time zone ${timeZone}) at time zone ${timeZone})`;
  const rows = (
    await sql<{ merchant_id: number; today_orders: number; today_gmv: number; week_orders: number; week_gmv: number }>`
    select o.merchant_id,
      count(*) filter (where o.paid_at >= ${today}) as today_orders,
      coalesce(sum(o.total_fen - o.refunded_fen) filter (where o.paid_at >= ${today}), 0) as today_gmv,
      count(*) as week_orders, coalesce(sum(o.total_fen - o.refunded_fen), 0) as week_gmv
    from orders o where o.paid_at >= now() - interval '7 days'
    group by o.merchant_id`.execute(db)
  ).rows;
  return new Map(
    rows.map((r) => [
      Number(r.merchant_id),
      {
        todayOrders: Number(r.today_orders),
        todayGmvFen: Number(r.today_gmv),
        weekOrders: Number(r.week_orders),
        weekGmvFen: Number(r.week_gmv),
      },
    ]),
  );
}

/** Has the shopper ever paid an order (anywhere)? */
export async function hasPaidOrder(db: Db, userId: number): Promise<boolean> {
  const paid = await db
    .selectFrom('orders')
    .select('id')
    .where('user_id', '=', userId)
    .where('paid_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return !!paid;
}

/**
 * For each price adjustment ref starting with `refPrefix` on the shop's paid orders: how many orders
 * carried it and the discount it gave (positive fen).
 */
export async function adjustmentTotals(db: Db, merchantId: number, refPrefix: string) {
  const rows = (
    await sql<{ ref: string; orders: number; discount: number }>`
    select a->>'ref' as ref, count(distinct o.id) as orders, coalesce(-sum((a->>'amountFen')::bigint), 0) as discount
    from order_lines l join orders o on o.id = l.order_id cross join lateral jsonb_array_elements(l.adjustments) a
    where o.merchant_id = ${merchantId} and o.paid_at is not null and a->>'ref' like ${`${refPrefix}%`}
    group by 1`.execute(db)
  ).rows;
  return new Map(rows.map((r) => [r.ref, { orders: Number(r.orders), discountFen: Number(r.discount) }]));
}
