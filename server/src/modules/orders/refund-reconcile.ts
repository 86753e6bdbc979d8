// Reconciliation of the orders' refund books (platform/reconcile.ts): what an order and its lines
// say was refunded (or is being refunded) is the sum of its refund ledger, never more than was
// paid, and the shipping fee went back at most once.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Discrepancy, ReconcileScope } from '../../platform/reconcile.ts';
import './tables.ts';

const CHECK = 'orders.refunds';
const ledgerSum = (status: 'refunded' | 'refunding') => sql<number>`coalesce((
  select sum(r.amount_fen) from order_refunds r where r.order_id = o.id and r.status = ${status}), 0)`;

export function registerOrderRefundChecks(ctx: AppContext): void {
  ctx.reconcile.register({
    name: CHECK,
    description:
      'Each order and line: refunded, refunding = Σ refund ledger; refunded ≤ total; shipping back once at most',
    run: async (scope) => [...(await orderDiscrepancies(scope)), ...(await lineDiscrepancies(scope))],
  });
}

async function orderDiscrepancies({ db, merchantId }: ReconcileScope): Promise<Discrepancy[]> {
  let q = db
    .selectFrom('orders as o')
    .select([
      'o.id',
      'o.merchant_id',
      'o.total_fen',
      'o.refunded_fen',
      'o.refunding_fen',
      'o.shipping_refund_id',
      ledgerSum('refunded').as('ledger_refunded'),
      ledgerSum('refunding').as('ledger_refunding'),
      sql<number>`(select count(*) from order_refunds r where r.order_id = o.id and r.shipping_fen > 0)`.as(
        'shipping_refunds',
      ),
    ])
    .where((eb) =>
      eb.or([
        eb('o.refunded_fen', '>', 0),
        eb('o.refunding_fen', '>', 0),
        eb.exists(eb.selectFrom('order_refunds as r').select('r.id').whereRef('r.order_id', '=', 'o.id')),
      ]),
    );
  if (merchantId !== undefined) q = q.where('o.merchant_id', '=', merchantId);
  const out: Discrepancy[] = [];
  for (const o of await q.orderBy('o.id').execute()) {
    const rows = [{ orderId: o.id, totalFen: o.total_fen, refundedFen: o.refunded_fen, refundingFen: o.refunding_fen }];
    const add = (message: string, expected: number, actual: number) =>
      out.push({ check: CHECK, merchantId: o.merchant_id, subject: `order:${o.id}`, message, expected, actual, rows });
    const refunded = Number(o.ledger_refunded);
    const refunding = Number(o.ledger_refunding);
    const shippingBack = Number(o.shipping_refunds);
    const committed = o.refunded_fen + o.refunding_fen;
    if (o.refunded_fen !== refunded)
      add('refunded_fen differs from Σ refunded ledger entries', refunded, o.refunded_fen);
    if (o.refunding_fen !== refunding)
      add('refunding_fen differs from Σ refunds in progress', refunding, o.refunding_fen);
    if (committed > o.total_fen) add('more refunded than the order paid', o.total_fen, committed);
    if (shippingBack > 1) add('shipping fee refunded more than once', 1, shippingBack);
    const marked = o.shipping_refund_id === null ? 0 : 1;
    const carried = Math.min(shippingBack, 1);
    if (carried !== marked) add('shipping_refund_id does not match the ledger', carried, marked);
  }
  return out;
}

async function lineDiscrepancies({ db, merchantId }: ReconcileScope): Promise<Discrepancy[]> {
  const fromLedger = (column: 'amount_fen' | 'quantity', status: 'refunded' | 'refunding') =>
    sql<number>`coalesce(sum(rl.${sql.ref(column)}) filter (where r.status = ${status}), 0)`;
  let q = db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .leftJoin('order_refund_lines as rl', 'rl.order_line_id', 'l.id')
    .leftJoin('order_refunds as r', 'r.id', 'rl.order_refund_id')
    .select([
      'l.id',
      'l.order_id',
      'o.merchant_id',
      'l.refunded_fen',
      'l.refunded_quantity',
      'l.refunding_fen',
      'l.refunding_quantity',
      fromLedger('amount_fen', 'refunded').as('ledger_fen'),
      fromLedger('quantity', 'refunded').as('ledger_qty'),
      fromLedger('amount_fen', 'refunding').as('ledger_refunding_fen'),
      fromLedger('quantity', 'refunding').as('ledger_refunding_qty'),
    ])
    .groupBy(['l.id', 'l.order_id', 'o.merchant_id'])
    .having((eb) =>
      eb.or([
        eb('l.refunded_quantity', '>', 0),
        eb('l.refunding_quantity', '>', 0),
        eb(sql`count(rl.order_line_id)`, '>', 0),
      ]),
    );
  if (merchantId !== undefined) q = q.where('o.merchant_id', '=', merchantId);
  const out: Discrepancy[] = [];
  for (const l of await q.orderBy('l.id').execute()) {
    const pairs: Array<[string, number, number]> = [
      ['refunded_fen', Number(l.ledger_fen), l.refunded_fen],
      ['refunded_quantity', Number(l.ledger_qty), l.refunded_quantity],
      ['refunding_fen', Number(l.ledger_refunding_fen), l.refunding_fen],
      ['refunding_quantity', Number(l.ledger_refunding_qty), l.refunding_quantity],
    ];
    for (const [column, expected, actual] of pairs) {
      if (expected === actual) continue;
      out.push({
        check: CHECK,
        merchantId: l.merchant_id,
        subject: `order:${l.order_id} line:${l.id}`,
        message: `line ${column} differs from its refund ledger`,
        expected,
        actual,
        rows: [{ lineId: l.id, orderId: l.order_id }],
      });
    }
  }
  return out;
}
