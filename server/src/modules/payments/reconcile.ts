// payments.books (对账, platform/reconcile.ts): the money agrees with the orders it paid for.
// - Each payment's refunded_fen = Σ its refunds that succeeded or are under way (reserved at once).
// - Per provider and local day of payment: payments received − refunds = orders paid − refunded,
//   where both refund sides count what is refunded or being refunded: after-sales books the order
//   side (orders/refunds.ts) in the same transaction that asks the payment for the refund, so the
//   two never drift apart, even while a refund is with the provider. An order cancelled before its
//   money arrived was never paid: its automatic refund balances its payment on the left side alone.
// A shop's run looks at its own one-shop payments; a payment shared by several shops' orders of one
// checkout is the platform's (merchantId null).
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Discrepancy, ReconcileScope } from '../../platform/reconcile.ts';
import './tables.ts';

const CHECK = 'payments.books';

interface ProviderDay {
  provider: string;
  day: string;
  money: number;
  orders: number;
  rows: unknown[];
}
interface PaymentRow {
  id: number;
  payment_no: string;
  provider: string | null;
  merchant_id: number | null;
  biz_type: string;
  amount_fen: number;
  refunded_fen: number;
  committed_refunds: number;
  day: string;
}

export function registerPaymentChecks(ctx: AppContext): void {
  ctx.reconcile.register({
    name: CHECK,
    description:
      'Per provider and day: payments received − refunds = orders paid − refunded; ' +
      "each payment's refunded = Σ its refunds",
    run: (scope) => paymentBookDiscrepancies(ctx, scope),
  });
}

async function paymentBookDiscrepancies(ctx: AppContext, scope: ReconcileScope): Promise<Discrepancy[]> {
  const tz = ctx.config.analytics.timeZone;
  const { rows } = await sql<PaymentRow>`
    select p.id, p.payment_no, p.provider, p.merchant_id, p.biz_type, p.amount_fen, p.refunded_fen,
           coalesce((select sum(r.amount_fen) from refunds r
                      where r.payment_id = p.id and r.status in ('pending', 'succeeded')), 0) as committed_refunds,
           to_char((p.paid_at at time zone ${tz})::date, 'YYYY-MM-DD') as day
      from payments p
     where p.status = 'succeeded'
       and (p.paid_at >= ${scope.from} and p.paid_at < ${scope.to}
            or exists (select 1 from refunds r
                        where r.payment_id = p.id and r.created_at >= ${scope.from} and r.created_at < ${scope.to}))
       and ${scope.merchantId === undefined ? sql`true` : sql`p.merchant_id = ${scope.merchantId}`}
     order by p.id`.execute(scope.db);
  const out: Discrepancy[] = [];
  for (const p of rows) {
    if (p.refunded_fen !== Number(p.committed_refunds)) {
      out.push({
        check: CHECK,
        merchantId: p.merchant_id,
        subject: `payment:${p.id}`,
        message: 'refunded_fen differs from Σ its succeeded and pending refunds',
        expected: Number(p.committed_refunds),
        actual: p.refunded_fen,
        rows: [{ paymentId: p.id, paymentNo: p.payment_no, amountFen: p.amount_fen }],
      });
    }
  }
  // Orders' side, from the orders module's service (no query into its tables from here).
  const orderPayments = rows.filter((p) => p.biz_type === 'order');
  const books = await ctx.services.orderRefunds.booksByPayment(
    scope.db,
    orderPayments.map((p) => p.id),
  );
  const days = new Map<string, ProviderDay>();
  for (const p of orderPayments) {
    const b = books.get(p.id) ?? { paidFen: 0, committedRefundFen: 0, orderIds: [] };
    const key = `${p.provider ?? 'none'} ${p.day}`;
    const d = days.get(key) ?? { provider: p.provider ?? 'none', day: p.day, money: 0, orders: 0, rows: [] };
    const money = p.amount_fen - Number(p.committed_refunds);
    const orders = b.paidFen - b.committedRefundFen;
    d.money += money;
    d.orders += orders;
    if (money !== orders) {
      d.rows.push({
        paymentId: p.id,
        paymentNo: p.payment_no,
        amountFen: p.amount_fen,
        refundsFen: Number(p.committed_refunds),
        ordersPaidFen: b.paidFen,
        ordersRefundedFen: b.committedRefundFen,
        orderIds: b.orderIds,
      });
    }
    days.set(key, d);
  }
  for (const d of days.values()) {
    if (d.money === d.orders && d.rows.length === 0) continue;
    out.push({
      check: CHECK,
      merchantId: scope.merchantId ?? null,
      subject: `provider:${d.provider} day:${d.day}`,
      message: 'payments received − refunds differs from orders paid − refunded',
      expected: d.orders,
      actual: d.money,
      rows: d.rows,
    });
  }
  return out;
}
