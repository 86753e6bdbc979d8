// reconciliation.order_stock: the stock an order holds follows the order (inventory's own check
// compares its ledger with its levels; this one compares its reservations with the orders).
// - every line's units are held, in full: no half-reserved basket, no unit held twice;
// - unpaid → reserved, paid (and on) → committed, cancelled → released;
// - units put back on sale never exceed the units refunded (or being refunded right now);
// - no reservation belongs to an order that does not exist (but for an unconfirmed hold in flight:
//   placement holds a burst's units just before writing the order, and a node that dies in between leaves
//   the hold for inventory's sweep to give back within STOCK_HOLD_LAPSE_SEC, at most 5 minutes).
// Orders (and reservations) are those made in the run's range.
//
// Read-only access to the orders, order_lines, aftersales, aftersale_lines and stock_reservations
// tables from the reconciliation module (no service read of this shape yet; the foundation issue
// will give modules typed DB views); nothing here writes.
import { sql } from 'kysely';
import type { Discrepancy, ReconcileCheck, ReconcileScope } from '../../../platform/reconcile.ts';
import { PAID_STATUSES } from './order-payment-check.ts';

interface Row {
  order_id: number;
  sku_id: number;
  merchant_id: number;
  status: string;
  line_units: number;
  refunded_units: number;
  held_units: number;
  returned_units: number;
  refunding_units: number;
  statuses: string[] | null;
  over_returned: boolean;
}

export const expectedReservation = (orderStatus: string): string =>
  orderStatus === 'pending_payment'
    ? 'reserved'
    : orderStatus === 'cancelled'
      ? 'released'
      : PAID_STATUSES.includes(orderStatus)
        ? 'committed'
        : 'unknown';

export const orderStockCheck: ReconcileCheck = {
  name: 'reconciliation.order_stock',
  description:
    'The stock each order holds matches its lines: reserved while unpaid, committed once paid, ' +
    'released when cancelled',
  async run(scope: ReconcileScope): Promise<Discrepancy[]> {
    const shop = (col: string) =>
      scope.merchantId === undefined ? sql`true` : sql`${sql.ref(col)} = ${scope.merchantId}`;
    const { rows } = await sql<Row>`
      with scoped as (
        select o.id, o.merchant_id, o.status from orders o
         where o.created_at >= ${scope.from} and o.created_at < ${scope.to} and ${shop('o.merchant_id')}
      ), lines as (
        select order_id, sku_id, sum(quantity) as units, sum(refunded_quantity) as refunded
          from order_lines where order_id in (select id from scoped) group by order_id, sku_id
      ), held as (
        select order_id, sku_id, sum(quantity) as units, sum(returned_quantity) as returned,
               array_agg(distinct status order by status) as statuses,
               bool_or(returned_quantity > quantity) as over_returned
          from stock_reservations where order_id in (select id from scoped) group by order_id, sku_id
      ), refunding as (
        select a.order_id, ol.sku_id, sum(al.quantity) as units
          from aftersales a
          join aftersale_lines al on al.aftersale_id = a.id
          join order_lines ol on ol.id = al.order_line_id
         where a.status = 'refunding' and a.order_id in (select id from scoped) group by a.order_id, ol.sku_id
      ), keys as (select order_id, sku_id from lines union select order_id, sku_id from held)
      select k.order_id, k.sku_id, s.merchant_id, s.status,
             coalesce(l.units, 0) as line_units, coalesce(l.refunded, 0) as refunded_units,
             coalesce(h.units, 0) as held_units, coalesce(h.returned, 0) as returned_units,
             coalesce(f.units, 0) as refunding_units,
             h.statuses, coalesce(h.over_returned, false) as over_returned
        from keys k join scoped s on s.id = k.order_id
        left join lines l on l.order_id = k.order_id and l.sku_id = k.sku_id
        left join held h on h.order_id = k.order_id and h.sku_id = k.sku_id
        left join refunding f on f.order_id = k.order_id and f.sku_id = k.sku_id
       order by k.order_id, k.sku_id`.execute(scope.db);
    const out: Discrepancy[] = [];
    for (const r of rows) {
      const add = (message: string, expected: number | string, actual: number | string) =>
        out.push({
          check: 'reconciliation.order_stock',
          merchantId: r.merchant_id,
          subject: `order:${r.order_id} sku:${r.sku_id}`,
          message,
          expected,
          actual,
          rows: [
            {
              orderId: r.order_id,
              skuId: r.sku_id,
              orderStatus: r.status,
              lineUnits: r.line_units,
              heldUnits: r.held_units,
              reservationStatuses: r.statuses ?? [],
              refundedUnits: r.refunded_units,
              returnedUnits: r.returned_units,
              refundingUnits: r.refunding_units,
            },
          ],
        });
      if (r.held_units !== r.line_units) {
        const message =
          r.held_units < r.line_units
            ? 'Not every unit of the line is held for the order'
            : 'More units are held than the order bought';
        add(message, r.line_units, r.held_units);
      }
      const want = expectedReservation(r.status);
      const statuses = (r.statuses ?? []).join(',');
      if (r.held_units > 0 && statuses !== want) {
        add(`The order is ${r.status} but its stock is ${statuses}`, want, statuses);
      }
      if (r.over_returned) add('More units came back to stock than left it', `≤ ${r.held_units}`, r.returned_units);
      else if (r.returned_units > r.refunded_units + r.refunding_units) {
        const most = r.refunded_units + r.refunding_units;
        add('Units went back on sale that were never refunded', `≤ ${most}`, r.returned_units);
      }
    }
    out.push(...(await orphanReservations(scope)));
    return out;
  },
};

async function orphanReservations(scope: ReconcileScope): Promise<Discrepancy[]> {
  const rows = await scope.db
    .selectFrom('stock_reservations as r')
    .leftJoin('orders as o', 'o.id', 'r.order_id')
    .select(['r.order_id', 'r.sku_id', 'r.warehouse_id', 'r.merchant_id', 'r.quantity', 'r.status'])
    .where('o.id', 'is', null)
    .where((eb) =>
      eb.or([eb('r.confirmed', '=', true), eb('r.created_at', '<', sql<Date>`now() - interval '10 minutes'`)]),
    )
    .where('r.created_at', '>=', scope.from)
    .where('r.created_at', '<', scope.to)
    .$if(scope.merchantId !== undefined, (q) => q.where('r.merchant_id', '=', scope.merchantId!))
    .orderBy('r.order_id')
    .limit(1000)
    .execute();
  return rows.map((r) => ({
    check: 'reconciliation.order_stock',
    merchantId: r.merchant_id,
    subject: `order:${r.order_id} sku:${r.sku_id}`,
    message: 'Stock is held for an order that does not exist',
    expected: 'no reservation',
    actual: `${r.quantity} ${r.status}`,
    rows: [
      {
        orderId: r.order_id,
        skuId: r.sku_id,
        warehouseId: r.warehouse_id,
        quantity: r.quantity,
        status: r.status,
      },
    ],
  }));
}
