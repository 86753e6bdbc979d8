// Payments: a pending payment per checkout (or coin top-up…), started with a provider when the
// shopper pays, settled by the provider's verified notification (idempotent: replays and
// duplicates change nothing), refunded through the provider that took the money.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.ts';
import {
  NotificationRejected,
  type IncomingNotification,
  type NotificationAck,
  type PaymentNotice,
  type PaymentProvider,
} from './providers/provider.ts';
import type { ProviderName } from './tables.ts';
import './tables.ts';
import { transact } from '../../platform/db/transact.ts';
import { registerPaymentChecks } from './reconcile.ts';

export interface CreatePaymentInput {
  userId: number;
  amountFen: number;
  subject: string;
  bizType: string;
  bizId: string;
  merchantId: number | null;
  expiresAt?: Date | undefined;
}

/** Outcomes that refuse a notification: the provider is told it failed, on every delivery. */
const REFUSED = new Set(['amount_mismatch', 'merchant_mismatch', 'unknown_payment']);

const newNo = (prefix: string) =>
  `${prefix}${new Date().toISOString().slice(0, 10).replace(/-/g, '')}${crypto.randomInt(10 ** 9, 10 ** 10 - 1)}${crypto.randomInt(10, 99)}`;

export class PaymentService {
  readonly providers = new Map<ProviderName, PaymentProvider>();

  constructor(private readonly ctx: AppContext) {
    // Registered here rather than in index.ts, which the sandbox work is changing at the moment.
    registerPaymentChecks(ctx);
  }

  addProvider(p: PaymentProvider): void {
    this.providers.set(p.name, p);
  }

  /** Record a pending payment in the caller's transaction (no network). */
  async createPayment(db: Db, input: CreatePaymentInput) {
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
      throw badRequest('AMOUNT_INVALID', 'A payment needs a positive amount in fen');
    const expiresAt = input.expiresAt ?? new Date(Date.now() + this.ctx.config.orderPaymentTimeoutSec * 1000);
    const row = await db
      .insertInto('payments')
      .values({
        payment_no: newNo('P'),
        user_id: input.userId,
        merchant_id: input.merchantId,
        biz_type: input.bizType,
        biz_id: input.bizId,
        subject: input.subject.slice(0, 120),
        amount_fen: input.amountFen,
        expires_at: expiresAt,
      })
      .returning(['id', 'payment_no', 'expires_at'])
      .executeTakeFirstOrThrow();
    const cashierUrl = await this.testCashierUrl(row.payment_no);
    return {
      paymentId: row.id,
      paymentNo: row.payment_no,
      status: 'pending' as const,
      amountFen: input.amountFen,
      expiresAt: row.expires_at,
      cashierUrl,
    };
  }

  /**
   * The test-money cashier's link for a new payment, only where the sandbox is on; elsewhere null
   * (the shopper picks a provider from /api/payments/methods and starts the payment with it).
   */
  async testCashierUrl(paymentNo: string): Promise<string | null> {
    return this.providers.get('sandbox')?.configured ? this.sandboxCashierUrl(paymentNo) : null;
  }

  /** What an order page shows of its payment, or undefined when there is none with that id. */
  async briefOf(db: Db, paymentId: number) {
    return db
      .selectFrom('payments')
      .select(['payment_no', 'amount_fen', 'status', 'provider', 'paid_at', 'expires_at'])
      .where('id', '=', paymentId)
      .executeTakeFirst();
  }

  async sandboxCashierUrl(paymentNo: string): Promise<string> {
    const t = await this.ctx.tokens.signPayload({ p: paymentNo }, 'sandbox-cashier', 24 * 3600);
    return `${this.ctx.config.publicUrl}/pay/sandbox/${paymentNo}?t=${t}`;
  }

  async get(paymentNo: string) {
    const p = await this.ctx.db
      .selectFrom('payments')
      .selectAll()
      .where('payment_no', '=', paymentNo)
      .executeTakeFirst();
    if (!p) throw notFound('Payment', 'PAYMENT_NOT_FOUND');
    return p;
  }

  /** The shopper chooses how to pay; returns the cashier URL or the JSAPI parameters. */
  async start(
    userId: number,
    paymentNo: string,
    providerName: ProviderName,
    opts: { returnUrl?: string | undefined } = {},
  ) {
    const p = await this.get(paymentNo);
    if (p.user_id !== userId) throw notFound('Payment', 'PAYMENT_NOT_FOUND');
    if (p.status !== 'pending') throw conflict('PAYMENT_NOT_PENDING', `This payment is ${p.status}`);
    if (p.expires_at.getTime() <= Date.now()) throw conflict('PAYMENT_EXPIRED', 'The time to pay has run out');
    const provider = this.providers.get(providerName);
    if (!provider?.configured)
      throw new AppError(422, 'PROVIDER_UNAVAILABLE', `${providerName} payments are not configured on this platform`);
    // JSAPI pays as a WeChat user of our app: the openid the shopper signed in with (wx.login → code2session).
    const openid =
      providerName === 'wechat' ? (await this.ctx.services.directory.wechatOpenids([userId])).get(userId) : undefined;
    if (providerName === 'wechat' && !openid) {
      throw new AppError(
        422,
        'WECHAT_PAY_NEEDS_WECHAT',
        'WeChat Pay is paid inside WeChat (the mini-program): it needs the payer openid',
      );
    }
    await this.ctx.db
      .updateTable('payments')
      .set({ provider: providerName, updated_at: sql`now()` })
      .where('id', '=', p.id)
      .where('status', '=', 'pending')
      .execute();
    // Network call: no transaction is open here.
    const started = await provider.start({
      paymentNo,
      amountFen: p.amount_fen,
      subject: p.subject,
      expiresAt: p.expires_at,
      openid,
      notifyUrl: `${this.ctx.config.publicUrl}/api/payments/notify/${providerName}`,
      returnUrl: opts.returnUrl ?? `${this.ctx.config.publicUrl}/`,
      sandboxCashierUrl: await this.sandboxCashierUrl(paymentNo),
    });
    // The mini-program cannot open the H5 cashier: its sandbox pay sheet confirms with this token.
    const sandboxPay =
      providerName === 'sandbox'
        ? {
            testMoney: true as const,
            confirmPath: `/pay/sandbox/${paymentNo}/confirm`,
            token: await this.ctx.tokens.signPayload({ p: paymentNo }, 'sandbox-cashier', 24 * 3600),
          }
        : undefined;
    return {
      paymentNo,
      provider: providerName,
      amountFen: p.amount_fen,
      ...started,
      ...(sandboxPay ? { sandboxPay } : {}),
    };
  }

  /** Verify and apply a provider notification. Always answers the provider in its own format. */
  async handleNotification(
    providerName: string,
    incoming: IncomingNotification,
  ): Promise<NotificationAck & { outcome: string }> {
    const provider = this.providers.get(providerName as ProviderName);
    if (!provider)
      return { status: 404, contentType: 'text/plain', body: 'unknown provider', outcome: 'unknown_provider' };
    let notice: Awaited<ReturnType<typeof provider.parseNotification>>;
    try {
      notice = await provider.parseNotification(incoming);
    } catch (err) {
      const reason = err instanceof NotificationRejected ? err.message : `unreadable: ${(err as Error).message}`;
      this.ctx.log.warn({ provider: providerName, reason }, 'payment notification rejected');
      return { ...provider.ack(false, reason), outcome: 'rejected' };
    }
    const outcome = await transact(this.ctx.db, async (trx) => {
      const seen = await trx
        .insertInto('payment_notifications')
        .values({
          provider: providerName,
          event_id: notice.eventId,
          payment_no: notice.paymentNo,
          outcome: 'processing',
        })
        .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      let id = seen?.id;
      if (!id) {
        // A redelivery. One we accepted is acknowledged again and not applied twice; one we refused
        // is looked at again — and refused again for as long as it still does not match.
        const first = await trx
          .selectFrom('payment_notifications')
          .select(['id', 'outcome'])
          .where('provider', '=', providerName)
          .where('event_id', '=', notice.eventId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('payment_notifications')
          .set({ deliveries: sql`deliveries + 1`, last_received_at: sql`now()` })
          .where('id', '=', first.id)
          .execute();
        if (!REFUSED.has(first.outcome)) return 'duplicate';
        id = first.id;
      }
      const result = await this.apply(trx, provider, notice);
      await trx
        .updateTable('payment_notifications')
        .set({ outcome: result.outcome, detail: result.detail ?? null })
        .where('id', '=', id)
        .execute();
      return result.outcome;
    });
    const ok = !REFUSED.has(outcome);
    if (!ok)
      this.ctx.log.error(
        { provider: providerName, paymentNo: notice.paymentNo, outcome },
        'payment notification refused',
      );
    return { ...provider.ack(ok, outcome), outcome };
  }

  private async apply(
    trx: Db,
    provider: PaymentProvider,
    n: PaymentNotice,
  ): Promise<{ outcome: string; detail?: string }> {
    const p = await trx
      .selectFrom('payments')
      .selectAll()
      .where('payment_no', '=', n.paymentNo)
      .forUpdate()
      .executeTakeFirst();
    if (!p) return { outcome: 'unknown_payment' };
    if (n.merchantAccount !== provider.merchantAccount)
      return { outcome: 'merchant_mismatch', detail: `paid to ${n.merchantAccount}` };
    if (n.amountFen !== p.amount_fen)
      return { outcome: 'amount_mismatch', detail: `notified ${n.amountFen}, expected ${p.amount_fen}` };
    if (p.status === 'succeeded') return { outcome: 'already_succeeded' };
    // Waiting for the buyer, paying…: nothing is decided, the payment stays payable.
    if (n.status === 'pending') return { outcome: 'not_final' };
    if (n.status === 'failed') {
      if (p.status === 'pending')
        await trx
          .updateTable('payments')
          .set({ status: 'failed', provider: provider.name, updated_at: sql`now()` })
          .where('id', '=', p.id)
          .execute();
      return { outcome: 'failed' };
    }
    const wasClosed = p.status === 'closed';
    await trx
      .updateTable('payments')
      .set({
        status: 'succeeded',
        provider: provider.name,
        provider_txn_id: n.providerTxnId,
        paid_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', p.id)
      .execute();
    await this.ctx.events.emit(trx, {
      type: 'payment.succeeded',
      aggregateType: 'payment',
      aggregateId: p.id,
      payload: {
        paymentId: p.id,
        paymentNo: p.payment_no,
        userId: p.user_id,
        amountFen: p.amount_fen,
        bizType: p.biz_type,
        bizId: p.biz_id,
        provider: provider.name,
        lateAfterClose: wasClosed,
      },
    });
    return { outcome: wasClosed ? 'succeeded_after_close' : 'succeeded' };
  }

  /** Stop accepting a pending payment (order cancelled). A late success is still recorded and refunded. */
  async close(db: Db, paymentId: number): Promise<void> {
    await db
      .updateTable('payments')
      .set({ status: 'closed', updated_at: sql`now()` })
      .where('id', '=', paymentId)
      .where('status', '=', 'pending')
      .execute();
  }

  /**
   * Ask for a refund in the caller's transaction: the amount is reserved against the payment at
   * once (never more than was paid), and a durable job calls the provider. Idempotent by key.
   */
  async refund(
    db: Db,
    input: { paymentId: number; amountFen: number; reason: string; idempotencyKey: string },
  ): Promise<{ refundId: number; status: 'pending' | 'succeeded' | 'failed' }> {
    const existing = await db
      .selectFrom('refunds')
      .select(['id', 'status', 'payment_id', 'amount_fen'])
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirst();
    if (existing) {
      if (existing.payment_id !== input.paymentId || existing.amount_fen !== input.amountFen)
        throw conflict('IDEMPOTENCY_KEY_REUSED', 'This refund key was used for another refund');
      return { refundId: existing.id, status: existing.status };
    }
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
      throw badRequest('AMOUNT_INVALID', 'A refund needs a positive amount in fen');
    const reserved = await db
      .updateTable('payments')
      .set({ refunded_fen: sql`refunded_fen + ${input.amountFen}`, updated_at: sql`now()` })
      .where('id', '=', input.paymentId)
      .where('status', '=', 'succeeded')
      .where(sql<boolean>`refunded_fen + ${input.amountFen} <= amount_fen`)
      .returning('id')
      .executeTakeFirst();
    if (!reserved) throw conflict('REFUND_EXCEEDS_PAYMENT', 'The refund is more than what is left of the payment');
    const refund = await db
      .insertInto('refunds')
      .values({
        refund_no: newNo('R'),
        payment_id: input.paymentId,
        amount_fen: input.amountFen,
        reason: input.reason.slice(0, 200),
        idempotency_key: input.idempotencyKey,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.ctx.jobs.schedule(db, {
      type: 'payments.execute_refund',
      payload: { refundId: refund.id },
      uniqueKey: `refund:${refund.id}`,
      maxAttempts: 20,
    });
    return { refundId: refund.id, status: 'pending' };
  }

  /** The job: call the provider (no transaction open), then record the result and tell the world. */
  async executeRefund(refundId: number): Promise<void> {
    const r = await this.ctx.db
      .selectFrom('refunds as r')
      .innerJoin('payments as p', 'p.id', 'r.payment_id')
      .select([
        'r.id',
        'r.refund_no',
        'r.amount_fen',
        'r.reason',
        'r.status',
        'p.payment_no',
        'p.amount_fen as total_fen',
        'p.provider',
        'p.id as payment_id',
        'p.biz_type',
        'p.biz_id',
      ])
      .where('r.id', '=', refundId)
      .executeTakeFirst();
    if (r?.status !== 'pending') return;
    const provider = this.providers.get((r.provider ?? 'sandbox') as ProviderName);
    if (!provider) throw new Error(`refund ${refundId}: provider ${r.provider} is not available`);
    try {
      const res = await provider.refund({
        paymentNo: r.payment_no,
        refundNo: r.refund_no,
        amountFen: r.amount_fen,
        totalFen: r.total_fen,
        reason: r.reason,
      });
      // WeChat may answer PROCESSING; the provider's query/notification completes it. We treat an
      // accepted refund as done for the shop's books and keep the provider's id for reconciliation.
      await transact(this.ctx.db, async (trx) => {
        const done = await trx
          .updateTable('refunds')
          .set({
            status: 'succeeded',
            provider_refund_id: res.providerRefundId,
            succeeded_at: sql`now()`,
            last_error: null,
          })
          .where('id', '=', refundId)
          .where('status', '=', 'pending')
          .returning('id')
          .executeTakeFirst();
        if (!done) return;
        await this.ctx.events.emit(trx, {
          type: 'payment.refunded',
          aggregateType: 'payment',
          aggregateId: r.payment_id,
          payload: { paymentId: r.payment_id, refundId, amountFen: r.amount_fen, bizType: r.biz_type, bizId: r.biz_id },
        });
      });
    } catch (err) {
      await this.ctx.db
        .updateTable('refunds')
        .set({ last_error: (err as Error).message.slice(0, 500) })
        .where('id', '=', refundId)
        .execute();
      throw err;
    }
  }

  async ensureOwner(userId: number, paymentNo: string): Promise<void> {
    const p = await this.get(paymentNo);
    if (p.user_id !== userId) throw forbidden();
  }
}
