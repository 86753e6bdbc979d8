// What a payment provider does for us. Each real provider is exercised in tests against a local
// fake gateway that signs and encrypts exactly as the real one does.

export interface StartPayment {
  paymentNo: string;
  amountFen: number;
  subject: string;
  expiresAt: Date;
  notifyUrl: string;
  returnUrl: string;
  /** WeChat JSAPI / mini-program: the payer's openid. */
  openid?: string | undefined;
  /** Pre-signed link to our own sandbox cashier. */
  sandboxCashierUrl: string;
}

export interface StartedPayment {
  /** Where to send the browser (sandbox cashier, Alipay wap page). */
  cashierUrl?: string;
  /** What the mini-program / WeChat browser passes to wx.requestPayment. */
  jsapiParams?: Record<string, string>;
}

/**
 * A verified notification: the provider says this payment succeeded, failed for good (closed,
 * payment error), or is not final yet (waiting for the buyer, paying): that leaves it payable.
 */
export interface PaymentNotice {
  eventId: string;
  paymentNo: string;
  providerTxnId: string;
  amountFen: number;
  status: 'succeeded' | 'failed' | 'pending';
  /** Who the provider says the money went to; checked against our configuration. */
  merchantAccount: string;
}

export interface IncomingNotification {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export interface NotificationAck {
  status: number;
  contentType: string;
  body: string;
}

export class NotificationRejected extends Error {
  constructor(
    message: string,
    readonly code = 'NOTIFICATION_REJECTED',
  ) {
    super(message);
  }
}

export interface PaymentProvider {
  readonly name: 'sandbox' | 'wechat' | 'alipay';
  readonly configured: boolean;
  /** Our merchant account at the provider (mchid / seller id); notices must name it. */
  readonly merchantAccount: string;
  start(p: StartPayment): Promise<StartedPayment>;
  /** Verify signature (and decrypt); throws NotificationRejected on anything suspicious. */
  parseNotification(n: IncomingNotification): Promise<PaymentNotice>;
  ack(ok: boolean, message?: string): NotificationAck;
  query(
    paymentNo: string,
  ): Promise<{ status: 'succeeded' | 'pending' | 'closed' | 'failed'; providerTxnId?: string; amountFen?: number }>;
  refund(r: {
    paymentNo: string;
    refundNo: string;
    amountFen: number;
    totalFen: number;
    reason: string;
  }): Promise<{ status: 'pending' | 'succeeded'; providerRefundId: string }>;
  close?(paymentNo: string): Promise<void>;
}
