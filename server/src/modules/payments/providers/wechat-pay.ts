// WeChat Pay API v3 (JSAPI / mini-program). Requests are signed with the merchant's private key
// (WECHATPAY2-SHA256-RSA2048), answers and notifications are verified with the platform public
// key, and the notification resource is decrypted with the APIv3 key (AEAD_AES_256_GCM).
import crypto from 'node:crypto';
import {
  NotificationRejected,
  type IncomingNotification,
  type NotificationAck,
  type PaymentNotice,
  type PaymentProvider,
  type StartedPayment,
  type StartPayment,
} from './provider.ts';

export interface WechatPayConfig {
  mchId?: string | undefined;
  appId?: string | undefined;
  apiV3Key?: string | undefined;
  privateKeyPem?: string | undefined;
  certSerial?: string | undefined;
  platformPublicKeyPem?: string | undefined;
  apiBase: string;
}

const MAX_CLOCK_SKEW_SEC = 300;
const header = (h: IncomingNotification['headers'], name: string) => {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

export class WechatPayProvider implements PaymentProvider {
  readonly name = 'wechat' as const;

  constructor(private readonly cfg: WechatPayConfig) {}

  get configured(): boolean {
    return Boolean(
      this.cfg.mchId &&
        this.cfg.appId &&
        this.cfg.apiV3Key &&
        this.cfg.privateKeyPem &&
        this.cfg.certSerial &&
        this.cfg.platformPublicKeyPem,
    );
  }
  get merchantAccount(): string {
    return this.cfg.mchId ?? '';
  }

  /** The Authorization header for one request: signs method, path+query, timestamp, nonce and body. */
  authorization(
    method: string,
    urlPath: string,
    body: string,
    timestamp = Math.floor(Date.now() / 1000),
    nonce = crypto.randomBytes(16).toString('hex'),
  ): string {
    const message = `${method}\n${urlPath}\n${timestamp}\n${nonce}\n${body}\n`;
    const signature = crypto.sign('RSA-SHA256', Buffer.from(message), this.cfg.privateKeyPem!).toString('base64');
    return `WECHATPAY2-SHA256-RSA2048 mchid="${this.cfg.mchId}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${this.cfg.certSerial}"`;
  }

  /** Checks the Wechatpay-* signature headers over the body (answers and notifications alike). */
  verifySignature(headers: IncomingNotification['headers'], body: string): void {
    const timestamp = header(headers, 'wechatpay-timestamp');
    const nonce = header(headers, 'wechatpay-nonce');
    const signature = header(headers, 'wechatpay-signature');
    if (!timestamp || !nonce || !signature)
      throw new NotificationRejected('missing Wechatpay signature headers', 'SIGNATURE_MISSING');
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SEC)
      throw new NotificationRejected('Wechatpay-Timestamp is too old or in the future (replay?)', 'SIGNATURE_STALE');
    const ok = crypto.verify(
      'RSA-SHA256',
      Buffer.from(`${timestamp}\n${nonce}\n${body}\n`),
      this.cfg.platformPublicKeyPem!,
      Buffer.from(signature, 'base64'),
    );
    if (!ok) throw new NotificationRejected('Wechatpay signature does not verify', 'SIGNATURE_INVALID');
  }

  decrypt(resource: { ciphertext: string; nonce: string; associated_data?: string }): string {
    const data = Buffer.from(resource.ciphertext, 'base64');
    const tag = data.subarray(data.length - 16);
    const decipher = crypto.createDecipheriv(
      'aes-256-gcm',
      Buffer.from(this.cfg.apiV3Key!, 'utf8'),
      Buffer.from(resource.nonce, 'utf8'),
    );
    decipher.setAuthTag(tag);
    if (resource.associated_data) decipher.setAAD(Buffer.from(resource.associated_data, 'utf8'));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  }

  private async call<T>(method: 'GET' | 'POST', urlPath: string, body?: unknown): Promise<{ status: number; data: T }> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const res = await fetch(this.cfg.apiBase + urlPath, {
      method,
      headers: {
        authorization: this.authorization(method, urlPath, text),
        accept: 'application/json',
        'content-type': 'application/json',
        'user-agent': 'LiveMall',
      },
      ...(body === undefined ? {} : { body: text }),
      signal: AbortSignal.timeout(10_000),
    });
    const raw = await res.text();
    // Every answer (errors included) is signed by the platform; never trust an unsigned one.
    this.verifySignature(Object.fromEntries(res.headers), raw);
    const data = (raw ? JSON.parse(raw) : {}) as T & { code?: string; message?: string };
    if (res.status >= 300)
      throw new Error(`WeChat Pay ${urlPath} answered ${res.status} ${data.code ?? ''}: ${data.message ?? raw}`);
    return { status: res.status, data };
  }

  async start(p: StartPayment): Promise<StartedPayment> {
    if (!p.openid) throw new Error('WeChat Pay (JSAPI) needs the payer openid');
    const { data } = await this.call<{ prepay_id: string }>('POST', '/v3/pay/transactions/jsapi', {
      appid: this.cfg.appId,
      mchid: this.cfg.mchId,
      description: p.subject.slice(0, 127),
      out_trade_no: p.paymentNo,
      time_expire: rfc3339(p.expiresAt),
      notify_url: p.notifyUrl,
      amount: { total: p.amountFen, currency: 'CNY' },
      payer: { openid: p.openid },
    });
    const timeStamp = String(Math.floor(Date.now() / 1000));
    const nonceStr = crypto.randomBytes(16).toString('hex');
    const pkg = `prepay_id=${data.prepay_id}`;
    const paySign = crypto
      .sign(
        'RSA-SHA256',
        Buffer.from(`${this.cfg.appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`),
        this.cfg.privateKeyPem!,
      )
      .toString('base64');
    return { jsapiParams: { appId: this.cfg.appId!, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign } };
  }

  async parseNotification(n: IncomingNotification): Promise<PaymentNotice> {
    this.verifySignature(n.headers, n.rawBody);
    const body = JSON.parse(n.rawBody) as {
      id: string;
      event_type: string;
      resource: { algorithm: string; ciphertext: string; nonce: string; associated_data?: string };
    };
    if (body.resource?.algorithm !== 'AEAD_AES_256_GCM')
      throw new NotificationRejected(`unexpected algorithm ${body.resource?.algorithm}`);
    let tx: {
      mchid: string;
      appid: string;
      out_trade_no: string;
      transaction_id: string;
      trade_state: string;
      amount: { total: number };
    };
    try {
      tx = JSON.parse(this.decrypt(body.resource));
    } catch {
      throw new NotificationRejected('resource does not decrypt with the APIv3 key', 'DECRYPT_FAILED');
    }
    if (tx.appid !== this.cfg.appId)
      throw new NotificationRejected(`notification for another app ${tx.appid}`, 'APP_MISMATCH');
    return {
      eventId: body.id,
      paymentNo: tx.out_trade_no,
      providerTxnId: tx.transaction_id,
      amountFen: tx.amount.total,
      status: noticeStatus(wechatTradeState(tx.trade_state)),
      merchantAccount: tx.mchid,
    };
  }

  ack(ok: boolean, message?: string): NotificationAck {
    return ok
      ? { status: 200, contentType: 'application/json', body: JSON.stringify({ code: 'SUCCESS', message: '成功' }) }
      : {
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify({ code: 'FAIL', message: message ?? 'rejected' }),
        };
  }

  async query(paymentNo: string) {
    const { data } = await this.call<{ trade_state: string; transaction_id?: string; amount?: { total: number } }>(
      'GET',
      `/v3/pay/transactions/out-trade-no/${encodeURIComponent(paymentNo)}?mchid=${this.cfg.mchId}`,
    );
    return {
      status: wechatTradeState(data.trade_state),
      ...(data.transaction_id ? { providerTxnId: data.transaction_id } : {}),
      ...(data.amount ? { amountFen: data.amount.total } : {}),
    };
  }

  async refund(r: { paymentNo: string; refundNo: string; amountFen: number; totalFen: number; reason: string }) {
    const { data } = await this.call<{ refund_id: string; status: string }>('POST', '/v3/refund/domestic/refunds', {
      out_trade_no: r.paymentNo,
      out_refund_no: r.refundNo,
      reason: r.reason.slice(0, 80),
      amount: { refund: r.amountFen, total: r.totalFen, currency: 'CNY' },
    });
    if (data.status === 'CLOSED' || data.status === 'ABNORMAL')
      throw new Error(`WeChat Pay refund ${r.refundNo} is ${data.status}`);
    return {
      status: data.status === 'SUCCESS' ? ('succeeded' as const) : ('pending' as const),
      providerRefundId: data.refund_id,
    };
  }

  async close(paymentNo: string): Promise<void> {
    await this.call('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(paymentNo)}/close`, {
      mchid: this.cfg.mchId,
    });
  }
}

/**
 * WeChat Pay's trade_state: only SUCCESS is paid; CLOSED, REVOKED and PAYERROR are over; NOTPAY,
 * USERPAYING (and REFUND, which only follows a success we already have) leave the payment as it is.
 */
export function wechatTradeState(s: string): 'succeeded' | 'closed' | 'failed' | 'pending' {
  if (s === 'SUCCESS') return 'succeeded';
  if (s === 'CLOSED' || s === 'REVOKED') return 'closed';
  return s === 'PAYERROR' ? 'failed' : 'pending';
}
const noticeStatus = (s: ReturnType<typeof wechatTradeState>): 'succeeded' | 'failed' | 'pending' =>
  s === 'closed' ? 'failed' : s;

/** 2026-11-24T12:00:00+08:00 — the format WeChat Pay wants for time_expire. */
export function rfc3339(d: Date): string {
  const cst = new Date(d.getTime() + 8 * 3600_000);
  return `${cst.toISOString().slice(0, 19)}+08:00`;
}
