// distribution.books (对账, platform/reconcile.ts): each promoter balance = Σ its ledger (and the last
// running balance agrees); each commission's credited amount = Σ its ledger entries, its state agrees
// with it, and its amount is what its lines earn (never more than the rate on what the buyer kept);
// each withdrawal's ledger nets to its state; and each commission matches its order's goods paid and
// refunded (orders' own figures, through their service).
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Discrepancy, ReconcileCheck, ReconcileScope } from '../../platform/reconcile.ts';
import { earned } from './rules.ts';
import type { CommissionLine } from './tables.ts';
import './tables.ts';

const CHECK = 'distribution.books';

export function distributionBooksCheck(ctx: AppContext): ReconcileCheck {
  return {
    name: CHECK,
    description: 'Promoter balances = Σ ledger; commissions = their ledger, their lines and their orders',
    async run(scope: ReconcileScope): Promise<Discrepancy[]> {
      const out: Discrepancy[] = [];
      const m = scope.merchantId ?? null;
      const add = (
        merchantId: number,
        subject: string,
        message: string,
        expected: number,
        actual: number,
        rows: unknown[],
      ) => out.push({ check: CHECK, merchantId, subject, message, expected, actual, rows });
      const { rows: accounts } = await sql<{
        promoter_id: number;
        merchant_id: number;
        balance: number | null;
        sum: number | null;
        last: number | null;
      }>`
        with l as (
          select promoter_id, max(merchant_id) as merchant_id, sum(delta_fen) as sum,
                 (array_agg(balance_after order by id desc))[1] as last
            from distribution_ledger group by promoter_id
        )
        select coalesce(a.promoter_id, l.promoter_id) as promoter_id,
               coalesce(a.merchant_id, l.merchant_id) as merchant_id, a.balance_fen as balance, l.sum, l.last
          from distribution_accounts a full join l on l.promoter_id = a.promoter_id
         where ${m}::bigint is null or coalesce(a.merchant_id, l.merchant_id) = ${m}
         order by 1`.execute(scope.db);
      for (const a of accounts) {
        const balance = Number(a.balance ?? 0);
        const sum = Number(a.sum ?? 0);
        const rows = [{ promoterId: a.promoter_id, balance, ledgerSum: sum, last: a.last }];
        if (balance !== sum)
          add(a.merchant_id, `promoter:${a.promoter_id}`, 'balance differs from Σ ledger', sum, balance, rows);
        else if (a.last !== null && Number(a.last) !== balance)
          add(a.merchant_id, `promoter:${a.promoter_id}`, 'last balance_after differs', balance, Number(a.last), rows);
      }

      const { rows: commissions } = await sql<{
        id: number;
        merchant_id: number;
        order_id: number;
        status: string;
        lines: CommissionLine[] | string;
        paid_fen: number;
        original_fen: number;
        amount_fen: number;
        credited_fen: number;
        ledger: number | null;
      }>`
        select c.id, c.merchant_id, c.order_id, c.status, c.lines, c.paid_fen, c.original_fen, c.amount_fen,
               c.credited_fen,
               (select sum(l.delta_fen) from distribution_ledger l
                 where l.ref = 'commission:' || c.id or l.ref like 'commission:' || c.id || ':%') as ledger
          from distribution_commissions c
         where ${m}::bigint is null or c.merchant_id = ${m}
         order by c.id`.execute(scope.db);
      const orders = new Map<number, { paid: number; refunded: number }>();
      for (const c of commissions) {
        const subject = `commission:${c.id}`;
        const lines = (typeof c.lines === 'string' ? JSON.parse(c.lines) : c.lines) as CommissionLine[];
        const rows = [{ commissionId: c.id, orderId: c.order_id, status: c.status, amountFen: Number(c.amount_fen) }];
        const ledger = Number(c.ledger ?? 0);
        const credited = Number(c.credited_fen);
        const amount = Number(c.amount_fen);
        if (ledger !== credited)
          add(c.merchant_id, subject, 'credited differs from Σ its ledger', credited, ledger, rows);
        const expectCredited = c.status === 'pending' ? 0 : c.status === 'settled' ? amount : 0;
        if (credited !== expectCredited)
          add(c.merchant_id, subject, `credited does not fit the state ${c.status}`, expectCredited, credited, rows);
        const now = earned(lines);
        if (now.amountFen !== amount)
          add(c.merchant_id, subject, 'amount differs from its lines', now.amountFen, amount, rows);
        const shares = lines.reduce((a, l) => a + l.shareFen, 0);
        if (shares !== amount)
          add(c.merchant_id, subject, 'line shares do not sum to the amount', amount, shares, rows);
        if (amount > Number(c.original_fen))
          add(c.merchant_id, subject, 'amount above what the order earned', Number(c.original_fen), amount, rows);
        let order = orders.get(c.order_id);
        if (!order) {
          const basis = await ctx.services.orderQueries.pointsBasis(scope.db, c.order_id);
          order = { paid: basis?.goodsPaidFen ?? 0, refunded: basis?.goodsRefundedFen ?? 0 };
          orders.set(c.order_id, order);
        }
        if (order.paid !== Number(c.paid_fen))
          add(c.merchant_id, subject, "paid differs from the order's goods paid", order.paid, Number(c.paid_fen), rows);
        const refunded = lines.reduce((a, l) => a + l.refundedFen, 0);
        if (order.refunded !== refunded)
          add(
            c.merchant_id,
            subject,
            "refunded differs from the order's goods refunded",
            order.refunded,
            refunded,
            rows,
          );
      }

      const { rows: withdrawals } = await sql<{
        id: number;
        merchant_id: number;
        status: string;
        amount_fen: number;
        ledger: number | null;
      }>`
        select w.id, w.merchant_id, w.status, w.amount_fen,
               (select sum(l.delta_fen) from distribution_ledger l where l.ref = 'withdrawal:' || w.id) as ledger
          from distribution_withdrawals w
         where ${m}::bigint is null or w.merchant_id = ${m}
         order by w.id`.execute(scope.db);
      for (const w of withdrawals) {
        const expected = w.status === 'rejected' || w.status === 'failed' ? 0 : -Number(w.amount_fen);
        const actual = Number(w.ledger ?? 0);
        if (expected !== actual)
          add(w.merchant_id, `withdrawal:${w.id}`, `ledger does not fit the state ${w.status}`, expected, actual, [
            { withdrawalId: w.id, status: w.status, amountFen: Number(w.amount_fen) },
          ]);
      }
      return out;
    },
  };
}
