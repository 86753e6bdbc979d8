// A local stand-in for openapi.alipay.com/gateway.do: verifies our RSA2 request signatures with
// the app public key, answers signed with its Alipay key, and builds signed async notifications.
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { rsaKeyPair } from './keys.ts';

export interface AlipayFake {
  url: string;
  server: FastifyInstance;
  config: { appId: string; privateKeyPem: string; alipayPublicKeyPem: string; sellerId: string; gateway: string };
  refunds: Array<Record<string, string>>;
  /** The wap-pay pages a browser opened (their biz_content), once our signature checked out. */
  pagesShown: Array<Record<string, string>>;
  appPublicKey: string;
  /** Check a signed parameter set the way Alipay checks ours. */
  verifyOurs(params: Record<string, string>): boolean;
  notification(
    p: { paymentNo: string; amountFen: number; sellerId?: string; status?: string; notifyId?: string },
    opts?: { signWith?: string },
  ): string;
  close(): Promise<void>;
}

const signString = (params: Record<string, string>, exclude: string[]) =>
  Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');

export async function startAlipayFake(): Promise<AlipayFake> {
  const app = rsaKeyPair();
  const alipay = rsaKeyPair();
  const config = {
    appId: '2021000122671080',
    privateKeyPem: app.privateKey,
    alipayPublicKeyPem: alipay.publicKey,
    sellerId: '2088102147948060',
    gateway: '',
  };
  const refunds: Array<Record<string, string>> = [];
  const pagesShown: Array<Record<string, string>> = [];
  const verifyOurs = (params: Record<string, string>) =>
    crypto.verify(
      'RSA-SHA256',
      Buffer.from(signString(params, ['sign'])),
      app.publicKey,
      Buffer.from(params.sign ?? '', 'base64'),
    );
  const respond = (key: string, inner: Record<string, unknown>) => {
    const json = JSON.stringify(inner);
    const sign = crypto.sign('RSA-SHA256', Buffer.from(json), alipay.privateKey).toString('base64');
    return `{"${key}":${json},"sign":"${sign}"}`;
  };

  const server = Fastify();
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, b, done) =>
    done(null, Object.fromEntries(new URLSearchParams(b as string))),
  );
  server.post('/gateway.do', async (req, reply) => {
    const params = { ...(req.query as Record<string, string>), ...((req.body as Record<string, string>) ?? {}) };
    reply.header('content-type', 'application/json;charset=utf-8');
    const key = `${params.method?.replaceAll('.', '_')}_response`;
    if (!verifyOurs(params))
      return respond(key, {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-signature',
        sub_msg: '验签出错',
      });
    const biz = JSON.parse(params.biz_content ?? '{}');
    if (params.method === 'alipay.trade.refund') {
      refunds.push(biz);
      return respond(key, {
        code: '10000',
        msg: 'Success',
        trade_no: '2026112422001400000000000001',
        out_trade_no: biz.out_trade_no,
        refund_fee: biz.refund_amount,
        fund_change: 'Y',
      });
    }
    if (params.method === 'alipay.trade.query')
      return respond(key, {
        code: '10000',
        msg: 'Success',
        out_trade_no: biz.out_trade_no,
        trade_status: 'WAIT_BUYER_PAY',
        total_amount: '0.01',
      });
    return respond(key, { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.METHOD_NOT_SUPPORTED' });
  });
  // alipay.trade.wap.pay: the shopper's browser is sent here with the signed parameters in the query.
  server.get('/gateway.do', async (req, reply) => {
    const params = req.query as Record<string, string>;
    reply.header('content-type', 'text/html; charset=utf-8');
    if (params.method !== 'alipay.trade.wap.pay' || !verifyOurs(params)) {
      return reply.status(400).send('<h1 data-testid="alipay-standin-refused">验签出错 Invalid signature</h1>');
    }
    const biz = JSON.parse(params.biz_content ?? '{}') as Record<string, string>;
    pagesShown.push(biz);
    const text = (v: unknown) => String(v ?? '').replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return (
      '<!doctype html><meta charset="utf-8"><title>支付宝 (stand-in)</title>' +
      '<h1 data-testid="alipay-standin">支付宝收银台 · local stand-in</h1><p data-testid="alipay-signed">验签通过</p>' +
      `<p>¥<span data-testid="alipay-amount">${text(biz.total_amount)}</span></p>` +
      `<p data-testid="alipay-trade">${text(biz.out_trade_no)}</p><p data-testid="alipay-subject">${text(biz.subject)}</p>`
    );
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  config.gateway = `${url}/gateway.do`;
  return {
    url,
    server,
    config,
    refunds,
    pagesShown,
    appPublicKey: app.publicKey,
    verifyOurs,
    notification(p, opts = {}) {
      const params: Record<string, string> = {
        notify_time: '2026-11-24 12:00:00',
        notify_type: 'trade_status_sync',
        notify_id: p.notifyId ?? crypto.randomUUID().replaceAll('-', ''),
        app_id: config.appId,
        charset: 'utf-8',
        version: '1.0',
        sign_type: 'RSA2',
        trade_no: `2026112422${crypto.randomInt(10 ** 9, 10 ** 10 - 1)}`,
        out_trade_no: p.paymentNo,
        seller_id: p.sellerId ?? config.sellerId,
        trade_status: p.status ?? 'TRADE_SUCCESS',
        total_amount: `${Math.floor(p.amountFen / 100)}.${String(p.amountFen % 100).padStart(2, '0')}`,
        subject: 'LiveMall',
      };
      params.sign = crypto
        .sign('RSA-SHA256', Buffer.from(signString(params, ['sign', 'sign_type'])), opts.signWith ?? alipay.privateKey)
        .toString('base64');
      return new URLSearchParams(params).toString();
    },
    close: () => server.close(),
  };
}
