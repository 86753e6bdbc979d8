// Reconciliation of the orders' refund books (platform/reconcile.ts): what an order and its lines
// say was refunded (or is being refunded) is the sum of its refund ledger, never more than was
// paid, and the shipping fee went back at most once.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Discrepancy, ReconcileScope } from '../../platform/reconcile.ts';
import './tables.ts';

const CHECK = 'orders.refunds';

export function registerOrderRefundChecks(ctx: AppContext): void {
  ctx.reconcile.register({
    name: CHECK,
    description: 'Each order: refunded and refunding = Σ its refund ledger, per line too; refunded ≤ total; shipping refunded at most once',
    run: (scope) => orderRefundDiscrepancies(scope),
  });
}

async function orderRefundDiscrepancies(scope: ReconcileScope): Promise<Discrepancy[]> {
  const { db, merchantId } = scope;
  const out: Discrepancy[] = [];
  let orders = db.selectFrom('orders as o')
    .select(['o.id', 'o.merchant_id', 'o.total_fen', 'o.refunded_fen', 'o.refunding_fen', 'o.shipping_refund_id',
      sql<number>`coalesce((select sum(r.amount_fen) from order_refunds r where r.order_id = o.id and r.status = 'refunded'), 0)`.as('ledger_refunded'),
      sql<number>`coalesce((select sum(r.amount_fen) from order_refunds r where r.order_id = o.id and r.status = 'refunding'), 0)`.as('ledger_refunding'),
      sql<number>`(select count(*) from order_refunds r where r.order_id = o.id and r.shipping_fen > 0)`.as('shipping_refunds')])
    .where((eb) => eb.or([eb('o.refunded_fen', '>', 0), eb('o.refunding_fen', '>', 0), eb.exists(eb.selectFrom('order_refunds as r').select('r.id').whereRef('r.order_id', '=', 'o.id'))]));
  if (merchantId !== undefined) orders = orders.where('o.merchant_id', '=', merchantId);
  for (const o of await orders.orderBy('o.id').execute()) {
    const subject = `order:${o.id}`;
    const add = (message: string, expected: number, actual: number) =>
      out.push({ check: CHECK, merchantId: o.merchant_id, subject, message, expected, actual, rows: [{ orderId: o.id, totalFen: o.total_fen, refundedFen: o.refunded_fen, refundingFen: o.refunding_fen }] });
    if (o.refunded_fen !== Number(o.ledger_refunded)) add('refunded_fen differs from Σ refunded ledger entries', Number(o.ledger_refunded), o.refunded_fen);
    if (o.refunding_fen !== Number(o.ledger_refunding)) add('refunding_fen differs from Σ refunds in progress', Number(o.ledger_refunding), o.refunding_fen);
    if (o.refunded_fen + o.refunding_fen > o.total_fen) add('more refunded than the order paid', o.total_fen, o.refunded_fen + o.refunding_fen);
    if (Number(o.shipping_refunds) > 1) add('shipping fee refunded more than once', 1, Number(o.shipping_refunds));
    if ((Number(o.shipping_refunds) > 0) !== (o.shipping_refund_id !== null)) add('shipping_refund_id does not match the ledger', Number(o.shipping_refunds), o.shipping_refund_id === null ? 0 : 1);
  }
  let lines = db.selectFrom('order_lines as l').innerJoin('orders as o', 'o.id', 'l.order_id')
    .select(['l.id', 'l.order_id', 'o.merchant_id', 'l.refunded_fen', 'l.refunded_quantity', 'l.refunding_fen', 'l.refunding_quantity',
      sql<number>`coalesce(sum(rl.amount_fen) filter (where r.status = 'refunded'), 0)`.as('ledger_fen'),
      sql<number>`coalesce(sum(rl.quantity) filter (where r.status = 'refunded'), 0)`.as('ledger_qty'),
      sql<number>`coalesce(sum(rl.amount_fen) filter (where r.status = 'refunding'), 0)`.as('ledger_refunding_fen'),
      sql<number>`coalesce(sum(rl.quantity) filter (where r.status = 'refunding'), 0)`.as('ledger_refunding_qty')])
    .leftJoin('order_refund_lines as rl', 'rl.order_line_id', 'l.id')
    .leftJoin('order_refunds as r', 'r.id', 'rl.order_refund_id')
    .groupBy(['l.id', 'l.order_id', 'o.merchant_id'])
    .having((eb) => eb.or([eb('l.refunded_quantity', '>', 0), eb('l.refunding_quantity', '>', 0), eb(sql`count(rl.order_line_id)`, '>', 0)]));
  if (merchantId !== undefined) lines = lines.where('o.merchant_id', '=', merchantId);
  for (const l of await lines.orderBy('l.id').execute()) {
    const pairs: Array<[string, number, number]> = [
      ['refunded_fen', Number(l.ledger_fen), l.refunded_fen], ['refunded_quantity', Number(l.ledger_qty), l.refunded_quantity],
      ['refunding_fen', Number(l.ledger_refunding_fen), l.refunding_fen], ['refunding_quantity', Number(l.ledger_refunding_qty), l.refunding_quantity],
    ];
    for (const [column, expected, actual] of pairs) {
      if (expected !== actual) {
        out.push({ check: CHECK, merchantId: l.merchant_id, subject: `order:${l.order_id} line:${l.id}`, message: `line ${column} differs from its refund ledger`, expected, actual, rows: [{ lineId: l.id, orderId: l.order_id }] });
      }
    }
  }
  return out;
}
