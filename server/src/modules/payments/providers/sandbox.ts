// The built-in sandbox: no real money. Its cashier page (clearly labelled) lets the shopper
// confirm or fail the payment, and the result travels the same verified path as a real
// provider's notification (HMAC-signed with a key this deployment generated and keeps in the
// database: nothing a visitor can see or guess). Off, it takes no payment and accepts no notice;
// it still refunds payments it took while it was on (no money moved either way).
import crypto from 'node:crypto';
import type {
  IncomingNotification,
  NotificationAck,
  PaymentNotice,
  PaymentProvider,
  StartedPayment,
  StartPayment,
} from './provider.ts';
import { NotificationRejected } from './provider.ts';

export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  readonly merchantAccount = 'sandbox';

  constructor(
    private readonly secret: string,
    readonly enabled: boolean,
  ) {}

  get configured(): boolean {
    return this.enabled;
  }

  async start(p: StartPayment): Promise<StartedPayment> {
    if (!this.enabled) throw new Error('the payment sandbox is off on this platform');
    return { cashierUrl: p.sandboxCashierUrl };
  }

  /** The body the cashier posts to our notify endpoint. */
  sign(body: string): string {
    return crypto.createHmac('sha256', this.secret).update(body).digest('base64url');
  }

  async parseNotification(n: IncomingNotification): Promise<PaymentNotice> {
    if (!this.enabled) throw new NotificationRejected('the payment sandbox is off here', 'SANDBOX_DISABLED');
    const sig = n.headers['x-sandbox-signature'];
    const expected = this.sign(n.rawBody);
    if (
      typeof sig !== 'string' ||
      sig.length !== expected.length ||
      !crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected))
    ) {
      throw new NotificationRejected('bad sandbox signature', 'SIGNATURE_INVALID');
    }
    const b = JSON.parse(n.rawBody) as {
      eventId: string;
      paymentNo: string;
      amountFen: number;
      status: 'succeeded' | 'failed';
    };
    return {
      eventId: b.eventId,
      paymentNo: b.paymentNo,
      providerTxnId: `SBX${b.eventId}`,
      amountFen: b.amountFen,
      status: b.status,
      merchantAccount: 'sandbox',
    };
  }

  ack(ok: boolean, message?: string): NotificationAck {
    return {
      status: ok ? 200 : 400,
      contentType: 'application/json',
      body: JSON.stringify(ok ? { ok: true } : { ok: false, message }),
    };
  }

  async query(): Promise<{ status: 'pending' }> {
    return { status: 'pending' };
  }

  async refund(r: { refundNo: string }): Promise<{ status: 'succeeded'; providerRefundId: string }> {
    return { status: 'succeeded', providerRefundId: `SBXR${r.refundNo}` };
  }
}
