// Withdrawals (提现): the promoter asks (the balance is debited at once, by a conditional update, so
// many requests at once never take more than there is); the shop approves (a payout job is scheduled,
// once) or rejects (the money goes back); the job pays through the payout adapter with retries under
// one out-batch number, and a refused payout returns the money to the balance.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { transact } from '../../platform/db/transact.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Job } from '../../platform/events/jobs.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { applyLedger } from './ledger.ts';
import type { PayoutProvider } from './payout/provider.ts';
import type { WithdrawalStatus } from './tables.ts';
import './tables.ts';

export const PAYOUT_JOB = 'distribution.payout';
export const PAYOUT_ATTEMPTS = 6;
const OPERATORS = ['merchant_owner', 'merchant_staff'] as const;

type WithdrawalRow = {
  id: number;
  merchant_id: number;
  promoter_id: number;
  amount_fen: number;
  status: WithdrawalStatus;
  out_batch_no: string;
  provider: string | null;
  provider_batch_id: string | null;
  last_error: string | null;
  note: string;
  requested_at: Date;
  decided_at: Date | null;
  finished_at: Date | null;
};

export class WithdrawalService {
  constructor(
    private readonly ctx: AppContext,
    readonly payout: PayoutProvider,
  ) {}

  async request(userId: number, merchantId: number, body: { amountFen: number; idempotencyKey: string }) {
    const promoter = await this.ctx.services.promoters.requireMine(this.ctx.db, merchantId, userId);
    if (promoter.status !== 'approved' && promoter.status !== 'suspended')
      throw conflict('PROMOTER_NOT_APPROVED', 'Only an approved promoter can withdraw');
    const settings = await this.ctx.services.distributionSettings.settingsOf(this.ctx.db, merchantId);
    if (body.amountFen < settings.minWithdrawFen)
      throw badRequest('WITHDRAWAL_BELOW_MINIMUM', `The least you can withdraw is ${settings.minWithdrawFen} fen`);
    return transact(this.ctx.db, async (trx) => {
      const row = await trx
        .insertInto('distribution_withdrawals')
        .values({
          merchant_id: merchantId,
          promoter_id: promoter.id,
          amount_fen: body.amountFen,
          status: 'requested',
          out_batch_no: outBatchNo(),
          idempotency_key: body.idempotencyKey,
        })
        .onConflict((oc) => oc.columns(['promoter_id', 'idempotency_key']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        // The same request again (a retried tap): the first answer, never a second debit.
        const first = await trx
          .selectFrom('distribution_withdrawals')
          .selectAll()
          .where('promoter_id', '=', promoter.id)
          .where('idempotency_key', '=', body.idempotencyKey)
          .executeTakeFirstOrThrow();
        if (first.amount_fen !== body.amountFen)
          throw conflict('IDEMPOTENCY_KEY_REUSED', 'This key was used for another amount');
        return withdrawalView(first);
      }
      await applyLedger(trx, {
        promoterId: promoter.id,
        merchantId,
        deltaFen: -body.amountFen,
        reason: 'withdrawal',
        ref: `withdrawal:${row.id}`,
        requireCover: true,
      });
      return withdrawalView(row);
    });
  }

  /** Money leaves the shop: the owner's decision. */
  async approve(actor: Actor, merchantId: number, withdrawalId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner']);
    return transact(this.ctx.db, async (trx) => {
      const row = await this.move(trx, merchantId, withdrawalId, 'requested', 'paying');
      await this.ctx.jobs.schedule(trx, {
        type: PAYOUT_JOB,
        payload: { withdrawalId },
        uniqueKey: `${PAYOUT_JOB}:${withdrawalId}`,
        maxAttempts: PAYOUT_ATTEMPTS,
      });
      return withdrawalView(row);
    });
  }

  async reject(actor: Actor, merchantId: number, withdrawalId: number, note: string) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...OPERATORS]);
    return transact(this.ctx.db, async (trx) => {
      const row = await this.move(trx, merchantId, withdrawalId, 'requested', 'rejected', { note, finished: true });
      await this.giveBack(trx, row);
      return withdrawalView(row);
    });
  }

  /** One state move, conditional on the state: of two approvals at once only one passes. */
  private async move(
    trx: Db,
    merchantId: number,
    withdrawalId: number,
    from: WithdrawalStatus,
    to: WithdrawalStatus,
    extra: { note?: string; finished?: boolean } = {},
  ): Promise<WithdrawalRow> {
    const row = await trx
      .updateTable('distribution_withdrawals')
      .set({
        status: to,
        decided_at: sql<Date>`now()`,
        ...(extra.note !== undefined ? { note: extra.note } : {}),
        ...(extra.finished ? { finished_at: sql<Date>`now()` } : {}),
      })
      .where('id', '=', withdrawalId)
      .where('merchant_id', '=', merchantId)
      .where('status', '=', from)
      .returningAll()
      .executeTakeFirst();
    if (row) return row;
    const exists = await trx
      .selectFrom('distribution_withdrawals')
      .select('status')
      .where('id', '=', withdrawalId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!exists) throw notFound('Withdrawal', 'WITHDRAWAL_NOT_FOUND');
    throw conflict('WITHDRAWAL_STATE', `The withdrawal is ${exists.status}, not ${from}`);
  }

  private giveBack(trx: Db, w: WithdrawalRow) {
    return applyLedger(trx, {
      promoterId: w.promoter_id,
      merchantId: w.merchant_id,
      deltaFen: w.amount_fen,
      reason: 'withdrawal_returned',
      ref: `withdrawal:${w.id}`,
    });
  }

  /** The payout job (outside a transaction: it calls the provider over the network). */
  async runPayout(job: Job<{ withdrawalId: number }>): Promise<void> {
    const db = this.ctx.db;
    const w = await db
      .selectFrom('distribution_withdrawals')
      .selectAll()
      .where('id', '=', job.payload.withdrawalId)
      .executeTakeFirst();
    if (w?.status !== 'paying') return;
    const promoter = await this.ctx.services.promoters.byId(db, w.promoter_id);
    const openids = await this.ctx.services.directory.wechatOpenids(promoter ? [promoter.user_id] : []);
    let result: Awaited<ReturnType<PayoutProvider['transfer']>>;
    try {
      result = await this.payout.transfer({
        outBatchNo: w.out_batch_no,
        amountFen: w.amount_fen,
        openid: promoter ? (openids.get(promoter.user_id) ?? null) : null,
        remark: '推广佣金提现',
      });
    } catch (err) {
      // Unknown outcome (the transfer may have gone through): retried under the same number, never
      // failed over to a refund, which could pay twice. After the last attempt an operator retries it.
      await this.note(w.id, err);
      throw err;
    }
    if (result.status === 'processing') {
      await this.note(w.id, 'processing at the provider', result.providerBatchId);
      throw new Error(`payout ${w.out_batch_no} is still processing`);
    }
    await transact(db, async (trx) => {
      const done = await trx
        .updateTable('distribution_withdrawals')
        .set({
          status: result.status === 'succeeded' ? 'paid' : 'failed',
          provider: this.payout.name,
          provider_batch_id: result.status === 'succeeded' ? result.providerBatchId : w.provider_batch_id,
          last_error: result.status === 'failed' ? result.reason.slice(0, 500) : null,
          finished_at: sql<Date>`now()`,
        })
        .where('id', '=', w.id)
        .where('status', '=', 'paying')
        .returningAll()
        .executeTakeFirst();
      if (done?.status === 'failed') await this.giveBack(trx, done);
    });
  }

  private async note(id: number, err: unknown, providerBatchId?: string): Promise<void> {
    await this.ctx.db
      .updateTable('distribution_withdrawals')
      .set({
        last_error: (err instanceof Error ? err.message : String(err)).slice(0, 500),
        provider: this.payout.name,
        ...(providerBatchId ? { provider_batch_id: providerBatchId } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  listForPromoter(promoterId: number, page: number, pageSize: number) {
    return this.page({ promoterId }, { page, pageSize });
  }

  async listForShop(
    actor: Actor,
    merchantId: number,
    f: { status?: WithdrawalStatus; page: number; pageSize: number },
  ) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    return this.page({ merchantId, status: f.status }, f);
  }

  private async page(
    by: { promoterId?: number; merchantId?: number; status?: WithdrawalStatus | undefined },
    f: { page: number; pageSize: number },
  ) {
    let q = this.ctx.db.selectFrom('distribution_withdrawals');
    if (by.promoterId !== undefined) q = q.where('promoter_id', '=', by.promoterId);
    if (by.merchantId !== undefined) q = q.where('merchant_id', '=', by.merchantId);
    if (by.status) q = q.where('status', '=', by.status);
    const [rows, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute(),
      q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map((r) => withdrawalView(r)), total: Number(count.n), page: f.page, pageSize: f.pageSize };
  }
}

/** 5–32 letters and digits, as WeChat wants; fixed per withdrawal, so every retry names the same transfer. */
const outBatchNo = () => `LMWD${Date.now().toString(36).toUpperCase()}${crypto.randomBytes(6).toString('hex')}`;

export function withdrawalView(r: WithdrawalRow) {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    promoterId: r.promoter_id,
    amountFen: r.amount_fen,
    status: r.status,
    outBatchNo: r.out_batch_no,
    provider: r.provider,
    lastError: r.last_error,
    note: r.note,
    requestedAt: r.requested_at,
    decidedAt: r.decided_at,
    finishedAt: r.finished_at,
  };
}
