// reconciliation.order_refunds: refund outcomes follow the order (the orders module's own check,
// orders.refunds, compares an order with its refund ledger; this one derives the same facts from
// the lines and the after-sales, independently):
// - the part not booked on lines (shipping) is between 0 and the shipping fee: shipping once;
// - every unit refunded means every line's whole payable amount went back (no fen left behind),
//   and, before anything shipped, the shipping fee too;
// - "refunded" status ⇔ every unit refunded (after shipping the fee may stay with the shop);
// - the after-sales requests that completed for it are all booked on it (a failed group refunds
//   without an after-sales request, so the order may hold more, never less).
// Orders are those placed in the run's range.
//
// Read-only access to the orders, order_lines and aftersales tables from the reconciliation
// module (no service read of this shape yet; the foundation issue will give modules typed DB
// views); nothing here writes.
import { sql } from 'kysely';
import type { Discrepancy, ReconcileCheck, ReconcileScope } from '../../../platform/reconcile.ts';

interface Row {
  id: number;
  merchant_id: number;
  status: string;
  total_fen: number;
  refunded_fen: number;
  shipping_fen: number;
  lines_refunded_fen: number;
  lines_payable_fen: number;
  refunded_units: number;
  units: number;
  shipped_units: number;
  aftersales_refunded_fen: number;
  aftersales_refunded: number;
}

export const orderRefundsCheck: ReconcileCheck = {
  name: 'reconciliation.order_refunds',
  description:
    'Refund outcomes follow the order: shipping at most once, every unit refunded = all its money back, ' +
    'status, after-sales booked',
  async run(scope: ReconcileScope): Promise<Discrepancy[]> {
    const { rows } = await sql<Row>`
      select o.id, o.merchant_id, o.status, o.total_fen, o.refunded_fen, o.shipping_fen,
             l.lines_refunded_fen, l.lines_payable_fen, l.refunded_units, l.units, l.shipped_units,
             coalesce(a.fen, 0) as aftersales_refunded_fen, coalesce(a.n, 0) as aftersales_refunded
        from orders o
        join (select order_id, sum(refunded_fen) as lines_refunded_fen, sum(payable_fen) as lines_payable_fen,
                     sum(refunded_quantity) as refunded_units, sum(quantity) as units,
                     sum(shipped_quantity) as shipped_units
                from order_lines group by order_id) l on l.order_id = o.id
        left join (select order_id, sum(amount_fen) as fen, count(*) as n
                     from aftersales where status = 'refunded' group by order_id) a on a.order_id = o.id
       where o.created_at >= ${scope.from} and o.created_at < ${scope.to}
         and ${scope.merchantId === undefined ? sql`true` : sql`o.merchant_id = ${scope.merchantId}`}
         and (o.refunded_fen > 0 or o.status = 'refunded' or l.refunded_units > 0 or a.n > 0)
       order by o.id`.execute(scope.db);
    const out: Discrepancy[] = [];
    for (const o of rows) {
      const add = (message: string, expected: number | string, actual: number | string) =>
        out.push({
          check: 'reconciliation.order_refunds',
          merchantId: o.merchant_id,
          subject: `order:${o.id}`,
          message,
          expected,
          actual,
          rows: [
            {
              orderId: o.id,
              status: o.status,
              totalFen: o.total_fen,
              refundedFen: o.refunded_fen,
              shippingFen: o.shipping_fen,
              linesRefundedFen: o.lines_refunded_fen,
              linesPayableFen: o.lines_payable_fen,
              units: o.units,
              refundedUnits: o.refunded_units,
              shippedUnits: o.shipped_units,
              aftersalesRefundedFen: o.aftersales_refunded_fen,
            },
          ],
        });
      const shippingRefunded = o.refunded_fen - o.lines_refunded_fen;
      if (shippingRefunded < 0) {
        add('The lines booked more refunds than the order', o.lines_refunded_fen, o.refunded_fen);
      } else if (shippingRefunded > o.shipping_fen) {
        add('Shipping was refunded more than once', `≤ ${o.shipping_fen}`, shippingRefunded);
      }
      const allUnits = o.refunded_units === o.units;
      if (allUnits && o.lines_refunded_fen !== o.lines_payable_fen) {
        add('Every unit was refunded but not all the lines cost went back', o.lines_payable_fen, o.lines_refunded_fen);
      }
      if (allUnits && o.shipped_units === 0 && o.refunded_fen !== o.total_fen) {
        add(
          'Every unit was refunded before anything shipped, but not all the order cost went back',
          o.total_fen,
          o.refunded_fen,
        );
      }
      if (allUnits && o.status !== 'refunded') {
        add('Every unit was refunded but the order is not marked refunded', 'refunded', o.status);
      }
      if (!allUnits && o.status === 'refunded') {
        const message = 'Marked refunded while units are still with the buyer';
        add(message, `${o.units} units refunded`, `${o.refunded_units} units refunded`);
      }
      if (o.aftersales_refunded_fen > o.refunded_fen) {
        const message = 'Completed after-sales refunded more than the order books';
        add(message, `≥ ${o.aftersales_refunded_fen}`, o.refunded_fen);
      }
    }
    return out;
  },
};
