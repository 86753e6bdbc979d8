// aftersales.refunds (对账, platform/reconcile.ts): every after-sales refund is booked on its order,
// once, for the amount it says: a request that is refunding or refunded has its entry in the
// order's refund ledger (orders/refunds.ts) with the same status, amount and shipping share. With
// orders.refunds (an order's refunded_fen = Σ its ledger) this makes an order's refunded amount the
// sum of its refunded after-sales (plus any group-buy refund, which has no request).
import type { AppContext } from '../../platform/context.ts';
import type { Discrepancy, ReconcileScope } from '../../platform/reconcile.ts';
import './aftersale-service.ts';

const CHECK = 'aftersales.refunds';

export function registerAftersaleChecks(ctx: AppContext): void {
  ctx.reconcile.register({
    name: CHECK,
    description:
      "Each refunding or refunded after-sales request is on its order's refund ledger, same status and amount",
    run: (scope) => aftersaleDiscrepancies(ctx, scope),
  });
}

async function aftersaleDiscrepancies(ctx: AppContext, scope: ReconcileScope): Promise<Discrepancy[]> {
  let q = scope.db
    .selectFrom('aftersales')
    .select(['id', 'order_id', 'merchant_id', 'status', 'amount_fen', 'shipping_fen', 'refund_id'])
    .where('status', 'in', ['refunding', 'refunded'])
    // In-flight refunds always; finished ones when they finished in the range.
    .where((eb) =>
      eb.or([
        eb('status', '=', 'refunding'),
        eb.and([eb('updated_at', '>=', scope.from), eb('updated_at', '<', scope.to)]),
      ]),
    );
  if (scope.merchantId !== undefined) q = q.where('merchant_id', '=', scope.merchantId);
  const requests = await q.orderBy('id').execute();
  const refs = requests.flatMap((a) => [`aftersale:${a.id}`, `before-ledger:${a.order_id}`]);
  const ledger = await ctx.services.orderRefunds.entriesByRef(scope.db, [...new Set(refs)]);
  const out: Discrepancy[] = [];
  for (const a of requests) {
    const e = ledger.get(`aftersale:${a.id}`);
    const add = (message: string, expected: number | string, actual: number | string) =>
      out.push({
        check: CHECK,
        merchantId: a.merchant_id,
        subject: `aftersale:${a.id} order:${a.order_id}`,
        message,
        expected,
        actual,
        rows: [
          {
            aftersaleId: a.id,
            orderId: a.order_id,
            status: a.status,
            amountFen: a.amount_fen,
            shippingFen: a.shipping_fen,
            refundId: a.refund_id,
            ledger: e ?? null,
          },
        ],
      });
    if (!e) {
      // Refunded before the order ledger existed: covered by the order's one "before-ledger" entry.
      const coveredBeforeLedger = a.status === 'refunded' && ledger.has(`before-ledger:${a.order_id}`);
      if (!coveredBeforeLedger) add('not booked on the order', 'a ledger entry', 'none');
      continue;
    }
    if (e.orderId !== a.order_id) add('booked on another order', a.order_id, e.orderId);
    if (e.status !== a.status) add("status differs from the order's ledger", e.status, a.status);
    if (e.amountFen !== a.amount_fen) add("amount differs from the order's ledger", e.amountFen, a.amount_fen);
    if (e.shippingFen !== a.shipping_fen) add('shipping share differs from the ledger', e.shippingFen, a.shipping_fen);
    if (a.status === 'refunding' && a.amount_fen > 0 && a.refund_id === null) {
      add('refunding without a payment refund', 'a refund', 'none');
    }
  }
  return out;
}
