// reconciliation.order_payments: the orders and the money that paid for them agree, order by order
// and checkout by checkout (payments' own check adds it up per provider and day; this one names the order).
// - a paid order has a succeeded payment whose amount is the sum of its checkout's orders' totals;
// - a payment that succeeded leaves no order of its checkout waiting to be paid;
// - an unpaid order past its deadline has been cancelled (its stock is not held for ever);
// - what the provider refunded is what the orders say went back: the totals of orders cancelled
//   after the money came, plus what after-sales refunded (refunds still in flight may lie between).
// Orders are those placed in the run's range.
//
// Read-only access to the orders, checkouts, payments and refunds tables from the reconciliation
// module: there is no service read of this shape yet (the foundation issue will give modules
// typed DB views); nothing here writes.
import { sql } from 'kysely';
import type { Discrepancy, ReconcileCheck, ReconcileScope } from '../../../platform/reconcile.ts';

export const PAID_STATUSES = ['paid', 'shipped', 'delivered', 'completed', 'refunded'];
/** Reactions that normally take a second are given this long before they count as missing. */
const GRACE = '5 minutes';

interface OrderRow {
  id: number;
  merchant_id: number;
  checkout_id: number;
  checkout_no: string;
  status: string;
  total_fen: number;
  refunded_fen: number;
  order_payment_id: number | null;
  paid_at: Date | null;
  overdue: boolean;
  checkout_payment_id: number | null;
  checkout_total: number;
  checkout_shops: number;
  payment_id: number | null;
  payment_status: string | null;
  amount_fen: number | null;
  biz_type: string | null;
  biz_id: string | null;
  payment_merchant_id: number | null;
  paid_long_ago: boolean;
}

export const orderPaymentsCheck: ReconcileCheck = {
  name: 'reconciliation.order_payments',
  description:
    "Every paid order has a succeeded payment of its checkout's total; no paid checkout is left unpaid; " +
    'refunds match the orders',
  async run(scope: ReconcileScope): Promise<Discrepancy[]> {
    const { rows } = await sql<OrderRow>`
      with scoped as (
        select o.* from orders o
         where o.created_at >= ${scope.from} and o.created_at < ${scope.to}
           and ${scope.merchantId === undefined ? sql`true` : sql`o.merchant_id = ${scope.merchantId}`}
      ), totals as (
        select o.checkout_id, sum(o.total_fen) as checkout_total, count(distinct o.merchant_id) as checkout_shops
          from orders o where o.checkout_id in (select checkout_id from scoped) group by o.checkout_id
      )
      select s.id, s.merchant_id, s.checkout_id, c.checkout_no, s.status, s.total_fen, s.refunded_fen,
             s.payment_id as order_payment_id, s.paid_at,
             (s.status = 'pending_payment' and s.pay_deadline < now() - ${GRACE}::interval) as overdue,
             c.payment_id as checkout_payment_id, t.checkout_total, t.checkout_shops,
             p.id as payment_id, p.status as payment_status, p.amount_fen, p.biz_type, p.biz_id,
             p.merchant_id as payment_merchant_id,
             coalesce(p.paid_at < now() - ${GRACE}::interval, false) as paid_long_ago
        from scoped s
        join checkouts c on c.id = s.checkout_id
        join totals t on t.checkout_id = s.checkout_id
        left join payments p on p.id = c.payment_id
       order by s.id`.execute(scope.db);
    const out: Discrepancy[] = [];
    type Value = number | string;
    const add = (o: OrderRow, merchantId: number | null, message: string, expected: Value, actual: Value, extra = {}) =>
      out.push({
        check: 'reconciliation.order_payments',
        merchantId,
        subject: `order:${o.id}`,
        message,
        expected,
        actual,
        rows: [
          {
            orderId: o.id,
            checkoutNo: o.checkout_no,
            status: o.status,
            totalFen: o.total_fen,
            refundedFen: o.refunded_fen,
            paymentId: o.payment_id,
            paymentStatus: o.payment_status,
            paymentAmountFen: o.amount_fen,
            ...extra,
          },
        ],
      });
    for (const o of rows) {
      // A payment shared by several shops' orders is the platform's to explain.
      const owner = o.checkout_shops > 1 ? null : o.merchant_id;
      if (PAID_STATUSES.includes(o.status) && o.checkout_total > 0) {
        if (o.payment_status !== 'succeeded') {
          const status = o.payment_status ?? 'missing';
          add(o, o.merchant_id, `Order is ${o.status} but its payment is ${status}`, 'succeeded', status);
        } else if (o.amount_fen !== o.checkout_total) {
          const message = "The payment is not the sum of its checkout's order totals";
          add(o, owner, message, o.checkout_total, o.amount_fen ?? 0, { checkoutTotalFen: o.checkout_total });
        } else if (
          o.biz_type !== 'order' ||
          o.biz_id !== o.checkout_no ||
          o.order_payment_id !== o.checkout_payment_id
        ) {
          add(
            o,
            owner,
            'The order points at a payment of something else',
            `order ${o.checkout_no} / payment ${o.checkout_payment_id}`,
            `${o.biz_type} ${o.biz_id} / payment ${o.order_payment_id}`,
          );
        }
      }
      if (o.status === 'pending_payment' && o.payment_status === 'succeeded' && o.paid_long_ago) {
        add(o, o.merchant_id, 'The payment succeeded but the order still waits to be paid', 'paid', o.status);
      }
      if (o.overdue) {
        const message = 'Unpaid past its deadline and not cancelled: its stock is still held';
        add(o, o.merchant_id, message, 'cancelled', o.status);
      }
    }
    out.push(...(await refundsAgainstOrders(scope, rows)));
    return out;
  },
};

/** Per succeeded payment: refunds that went through = what its orders say was given back. */
async function refundsAgainstOrders(scope: ReconcileScope, rows: OrderRow[]): Promise<Discrepancy[]> {
  const byPayment = new Map<number, OrderRow[]>();
  for (const o of rows) {
    if (o.payment_status !== 'succeeded' || o.payment_id === null) continue;
    byPayment.set(o.payment_id, [...(byPayment.get(o.payment_id) ?? []), o]);
  }
  if (byPayment.size === 0) return [];
  const ids = [...byPayment.keys()];
  const [refunds, allOrders] = await Promise.all([
    scope.db
      .selectFrom('refunds')
      .select(['payment_id', 'status', sql<number>`sum(amount_fen)`.as('fen')])
      .where('payment_id', 'in', ids)
      .groupBy(['payment_id', 'status'])
      .execute(),
    // Every order of those checkouts, also the ones outside this shop or range, so sums are whole.
    scope.db
      .selectFrom('orders')
      .select(['payment_id', 'id', 'status', 'total_fen', 'refunded_fen'])
      .where('payment_id', 'in', ids)
      .execute(),
  ]);
  const out: Discrepancy[] = [];
  for (const [paymentId, mine] of byPayment) {
    const orders = allOrders.filter((o) => o.payment_id === paymentId);
    const owed = orders.reduce((s, o) => s + (o.status === 'cancelled' ? o.total_fen : o.refunded_fen), 0);
    const sum = (status: string) =>
      refunds.filter((r) => r.payment_id === paymentId && r.status === status).reduce((s, r) => s + Number(r.fen), 0);
    const succeeded = sum('succeeded');
    const pending = sum('pending');
    if (succeeded <= owed && owed <= succeeded + pending) continue;
    const first = mine[0]!;
    out.push({
      check: 'reconciliation.order_payments',
      merchantId: first.checkout_shops > 1 ? null : first.merchant_id,
      subject: `payment:${paymentId}`,
      message:
        succeeded > owed
          ? 'More was refunded than the orders account for'
          : 'Money owed back to the buyer was never refunded',
      expected: owed,
      actual: succeeded,
      rows: [
        {
          paymentId,
          amountFen: first.amount_fen,
          refundsSucceededFen: succeeded,
          refundsPendingFen: pending,
          checkoutNo: first.checkout_no,
        },
        ...orders.map((o) => ({ orderId: o.id, status: o.status, totalFen: o.total_fen, refundedFen: o.refunded_fen })),
      ],
    });
  }
  return out;
}
