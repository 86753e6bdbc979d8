// Alipay (mobile web / wap pay) through the official alipay-sdk: requests are RSA2-signed with
// the app private key, answers and async notifications are verified with the Alipay public key.
import type { AlipaySdk } from 'alipay-sdk';
import {
  NotificationRejected,
  type IncomingNotification,
  type NotificationAck,
  type PaymentNotice,
  type PaymentProvider,
  type StartedPayment,
  type StartPayment,
} from './provider.ts';

export interface AlipayConfig {
  appId?: string | undefined;
  privateKeyPem?: string | undefined;
  alipayPublicKeyPem?: string | undefined;
  sellerId?: string | undefined;
  gateway: string;
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
/** "12.30" → 1230, exactly. */
export function yuanTextToFen(s: string): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s.trim());
  if (!m) throw new NotificationRejected(`bad amount ${s}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export class AlipayProvider implements PaymentProvider {
  readonly name = 'alipay' as const;
  private sdk: AlipaySdk | undefined;

  constructor(private readonly cfg: AlipayConfig) {}

  get configured(): boolean {
    return Boolean(this.cfg.appId && this.cfg.privateKeyPem && this.cfg.alipayPublicKeyPem);
  }
  get merchantAccount(): string {
    return this.cfg.sellerId ?? this.cfg.appId ?? '';
  }

  /** The SDK is imported on first use: loading it took a noticeable part of every node's start. */
  private async client(): Promise<AlipaySdk> {
    if (this.sdk) return this.sdk;
    const { AlipaySdk } = await import('alipay-sdk');
    this.sdk ??= new AlipaySdk({
      appId: this.cfg.appId!,
      privateKey: this.cfg.privateKeyPem!,
      alipayPublicKey: this.cfg.alipayPublicKeyPem!,
      gateway: this.cfg.gateway,
      signType: 'RSA2',
      keyType: 'PKCS8',
      camelcase: false,
      timeout: 10_000,
    });
    return this.sdk;
  }

  async start(p: StartPayment): Promise<StartedPayment> {
    const url = (await this.client()).pageExecute('alipay.trade.wap.pay', 'GET', {
      bizContent: {
        out_trade_no: p.paymentNo,
        total_amount: yuan(p.amountFen),
        subject: p.subject.slice(0, 256),
        product_code: 'QUICK_WAP_WAY',
        time_expire: alipayTime(p.expiresAt),
      },
      returnUrl: p.returnUrl,
      notifyUrl: p.notifyUrl,
    });
    return { cashierUrl: url };
  }

  async parseNotification(n: IncomingNotification): Promise<PaymentNotice> {
    const params = Object.fromEntries(new URLSearchParams(n.rawBody));
    if (!params.sign) throw new NotificationRejected('notification is not signed', 'SIGNATURE_MISSING');
    if (!(await this.client()).checkNotifySignV2(params))
      throw new NotificationRejected('Alipay signature does not verify', 'SIGNATURE_INVALID');
    if (params.app_id !== this.cfg.appId)
      throw new NotificationRejected(`notification for another app ${params.app_id}`, 'APP_MISMATCH');
    const trade = alipayTradeStatus(params.trade_status);
    return {
      eventId: params.notify_id ?? `${params.out_trade_no}:${params.trade_status}`,
      paymentNo: params.out_trade_no ?? '',
      providerTxnId: params.trade_no ?? '',
      amountFen: yuanTextToFen(params.total_amount ?? ''),
      status: trade === 'closed' ? 'failed' : trade,
      merchantAccount: this.cfg.sellerId ? (params.seller_id ?? '') : (params.app_id ?? ''),
    };
  }

  /** Alipay keeps retrying until it reads exactly "success". */
  ack(ok: boolean): NotificationAck {
    return { status: 200, contentType: 'text/plain', body: ok ? 'success' : 'fail' };
  }

  async query(paymentNo: string) {
    const client = await this.client();
    const r = (await client.exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: paymentNo } },
      { validateSign: true },
    )) as Record<string, string>;
    if (r.code !== '10000') return { status: 'pending' as const };
    return {
      status: alipayTradeStatus(r.trade_status),
      ...(r.trade_no ? { providerTxnId: r.trade_no } : {}),
      ...(r.total_amount ? { amountFen: yuanTextToFen(r.total_amount) } : {}),
    };
  }

  async refund(r: { paymentNo: string; refundNo: string; amountFen: number; reason: string }) {
    const client = await this.client();
    const res = (await client.exec(
      'alipay.trade.refund',
      {
        bizContent: {
          out_trade_no: r.paymentNo,
          refund_amount: yuan(r.amountFen),
          out_request_no: r.refundNo,
          refund_reason: r.reason.slice(0, 256),
        },
      },
      { validateSign: true },
    )) as Record<string, string>;
    if (res.code !== '10000')
      throw new Error(
        `Alipay refund ${r.refundNo} failed: ${res.code} ${res.sub_code ?? ''} ${res.sub_msg ?? res.msg ?? ''}`,
      );
    return { status: 'succeeded' as const, providerRefundId: `${res.trade_no ?? ''}:${r.refundNo}` };
  }
}

/**
 * Alipay's trade_status: TRADE_SUCCESS / TRADE_FINISHED are paid, TRADE_CLOSED is over (unpaid in
 * time, or fully refunded); WAIT_BUYER_PAY and anything else is not final and leaves it payable.
 */
export function alipayTradeStatus(s: string | undefined): 'succeeded' | 'closed' | 'pending' {
  if (s === 'TRADE_SUCCESS' || s === 'TRADE_FINISHED') return 'succeeded';
  return s === 'TRADE_CLOSED' ? 'closed' : 'pending';
}

/** "2026-11-24 12:00:00" in China time, as Alipay wants. */
function alipayTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
