// A promoter's balance and its ledger: every change is one entry, unique per (reason, ref), written
// with the balance in the same statement order, so balance = Σ entries always (the reconciliation
// check distribution.ledger verifies it). Settled commissions credit, refunds after settlement and
// withdrawals debit, rejected or failed withdrawals credit back.
//
// A negative balance is possible: a refund after settlement takes the commission back even when the
// promoter has already withdrawn it. It is a debt to the shop: nothing can be withdrawn until later
// settled commissions bring the balance back above the amount asked for (withdrawals require
// balance ≥ amount), and the shop never collects it any other way.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/types.ts';
import { conflict } from '../../platform/errors.ts';
import type { LedgerReason } from './tables.ts';
import './tables.ts';

export interface LedgerChange {
  promoterId: number;
  merchantId: number;
  deltaFen: number;
  reason: LedgerReason;
  ref: string;
  /** Debits that must be covered (withdrawals): refused when the balance is smaller. */
  requireCover?: boolean;
}

/** Apply a change once; false when this (reason, ref) was already applied. Runs in the caller's transaction. */
export async function applyLedger(db: Db, c: LedgerChange): Promise<boolean> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`distribution:${c.reason}:${c.ref}`}, 0))`.execute(db);
  const seen = await db
    .selectFrom('distribution_ledger')
    .select('id')
    .where('reason', '=', c.reason)
    .where('ref', '=', c.ref)
    .executeTakeFirst();
  if (seen || c.deltaFen === 0) return false;
  await db
    .insertInto('distribution_accounts')
    .values({ promoter_id: c.promoterId, merchant_id: c.merchantId })
    .onConflict((oc) => oc.column('promoter_id').doNothing())
    .execute();
  let q = db
    .updateTable('distribution_accounts')
    .set({ balance_fen: sql`balance_fen + ${c.deltaFen}`, updated_at: sql`now()` })
    .where('promoter_id', '=', c.promoterId);
  // The conditional update is the lock: of many withdrawals at once, only those the balance covers pass.
  if (c.requireCover) q = q.where('balance_fen', '>=', -c.deltaFen);
  const acc = await q.returning('balance_fen').executeTakeFirst();
  if (!acc) throw conflict('WITHDRAWAL_INSUFFICIENT_BALANCE', 'The amount is more than your withdrawable balance');
  await db
    .insertInto('distribution_ledger')
    .values({
      promoter_id: c.promoterId,
      merchant_id: c.merchantId,
      delta_fen: c.deltaFen,
      balance_after: acc.balance_fen,
      reason: c.reason,
      ref: c.ref,
    })
    .execute();
  return true;
}

export async function balanceOf(db: Db, promoterId: number): Promise<number> {
  const r = await db
    .selectFrom('distribution_accounts')
    .select('balance_fen')
    .where('promoter_id', '=', promoterId)
    .executeTakeFirst();
  return Number(r?.balance_fen ?? 0);
}
