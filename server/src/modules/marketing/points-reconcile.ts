// marketing.points (对账, platform/reconcile.ts): every points balance is the sum of its ledger, the
// ledger's running balance ends where the account is, and no balance is negative. Points are the
// platform's (a shop's run has nothing to check here).
import { sql } from 'kysely';
import type { Discrepancy, ReconcileCheck, ReconcileScope } from '../../platform/reconcile.ts';
import './tables.ts';

const CHECK = 'marketing.points';

interface AccountRow {
  user_id: number;
  balance: number | null;
  ledger_sum: number | null;
  last_balance_after: number | null;
  entries: number;
}

export const pointsBooksCheck: ReconcileCheck = {
  name: CHECK,
  description: 'Each points balance = Σ its points ledger, and the last running balance agrees',
  async run(scope: ReconcileScope): Promise<Discrepancy[]> {
    if (scope.merchantId !== undefined) return [];
    // Every account and every user with ledger rows: a ledger without an account is a discrepancy too.
    const { rows } = await sql<AccountRow>`
      with l as (
        select user_id, sum(delta) as ledger_sum, count(*) as entries,
               (array_agg(balance_after order by id desc))[1] as last_balance_after
          from points_ledger group by user_id
      )
      select coalesce(a.user_id, l.user_id) as user_id, a.balance, l.ledger_sum, l.last_balance_after,
             coalesce(l.entries, 0) as entries
        from points_accounts a full join l on l.user_id = a.user_id
       order by 1`.execute(scope.db);
    const out: Discrepancy[] = [];
    for (const r of rows) {
      const balance = Number(r.balance ?? 0);
      const sum = Number(r.ledger_sum ?? 0);
      const last = r.last_balance_after === null ? null : Number(r.last_balance_after);
      const rowsInvolved = [
        {
          userId: r.user_id,
          balance: r.balance,
          ledgerSum: sum,
          entries: Number(r.entries),
          lastBalanceAfter: last,
        },
      ];
      const add = (message: string, expected: number, actual: number) =>
        out.push({
          check: CHECK,
          merchantId: null,
          subject: `user:${r.user_id}`,
          message,
          expected,
          actual,
          rows: rowsInvolved,
        });
      if (balance !== sum) add('balance differs from Σ points ledger', sum, balance);
      else if (last !== null && last !== balance)
        add('last ledger balance_after differs from the balance', balance, last);
      if (balance < 0) add('negative points balance', 0, balance);
    }
    return out;
  },
};
