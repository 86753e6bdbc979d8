// A local stand-in for api.mch.weixin.qq.com that behaves like WeChat Pay API v3: it checks our
// WECHATPAY2-SHA256-RSA2048 request signatures with the merchant public key, signs every answer
// with its platform key, and sends notifications encrypted with the APIv3 key (AEAD_AES_256_GCM).
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { rsaKeyPair } from './keys.ts';

export interface WechatFake {
  url: string;
  server: FastifyInstance;
  config: {
    mchId: string;
    appId: string;
    apiV3Key: string;
    privateKeyPem: string;
    certSerial: string;
    platformPublicKeyPem: string;
    apiBase: string;
  };
  prepays: Array<{ out_trade_no: string; amount: { total: number }; payer: { openid: string } }>;
  refunds: Array<{ out_trade_no: string; out_refund_no: string; amount: { refund: number; total: number } }>;
  merchantPublicKey: string;
  /** Build a signed, encrypted notification exactly as WeChat Pay sends it. */
  notification(
    tx: { paymentNo: string; amountFen: number; mchid?: string; tradeState?: string; id?: string },
    opts?: { signWith?: string; timestamp?: number; apiV3Key?: string },
  ): { headers: Record<string, string>; body: string };
  close(): Promise<void>;
}

export async function startWechatPayFake(): Promise<WechatFake> {
  const merchant = rsaKeyPair();
  const platform = rsaKeyPair();
  const config = {
    mchId: '1900000109',
    appId: 'wxd678efh567hg6787',
    apiV3Key: crypto.randomBytes(16).toString('hex'),
    privateKeyPem: merchant.privateKey,
    certSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    platformPublicKeyPem: platform.publicKey,
    apiBase: '',
  };
  const prepays: WechatFake['prepays'] = [];
  const refunds: WechatFake['refunds'] = [];
  const signed = (body: string, key = platform.privateKey, ts = Math.floor(Date.now() / 1000)) => {
    const nonce = crypto.randomBytes(16).toString('hex');
    const signature = crypto.sign('RSA-SHA256', Buffer.from(`${ts}\n${nonce}\n${body}\n`), key).toString('base64');
    return {
      'wechatpay-timestamp': String(ts),
      'wechatpay-nonce': nonce,
      'wechatpay-signature': signature,
      'wechatpay-serial': 'PLATFORM-SERIAL',
      'content-type': 'application/json',
    };
  };

  const server = Fastify();
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, b, done) => done(null, b));
  // Check the Authorization header like the real gateway does.
  server.addHook('preHandler', async (req, reply) => {
    const auth = req.headers.authorization ?? '';
    const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(auth);
    const fields = Object.fromEntries(
      (m?.[1] ?? '').split(',').map((kv) => {
        const i = kv.indexOf('=');
        return [kv.slice(0, i), kv.slice(i + 1).replace(/^"|"$/g, '')];
      }),
    );
    const body = typeof req.body === 'string' ? req.body : '';
    const message = `${req.method}\n${req.url}\n${fields.timestamp}\n${fields.nonce_str}\n${body}\n`;
    const ok =
      fields.mchid === config.mchId &&
      fields.serial_no === config.certSerial &&
      fields.signature &&
      crypto.verify('RSA-SHA256', Buffer.from(message), merchant.publicKey, Buffer.from(fields.signature, 'base64'));
    if (!ok) {
      const err = JSON.stringify({ code: 'SIGN_ERROR', message: '签名错误' });
      return reply.status(401).headers(signed(err)).send(err);
    }
  });
  server.post('/v3/pay/transactions/jsapi', async (req, reply) => {
    const b = JSON.parse(req.body as string);
    prepays.push(b);
    const out = JSON.stringify({ prepay_id: `wx${Date.now()}${crypto.randomInt(1000, 9999)}` });
    return reply.headers(signed(out)).send(out);
  });
  server.post('/v3/refund/domestic/refunds', async (req, reply) => {
    const b = JSON.parse(req.body as string);
    refunds.push(b);
    const out = JSON.stringify({
      refund_id: `50000${crypto.randomInt(10 ** 8, 10 ** 9)}`,
      out_refund_no: b.out_refund_no,
      status: 'SUCCESS',
      amount: b.amount,
    });
    return reply.headers(signed(out)).send(out);
  });
  server.get('/v3/pay/transactions/out-trade-no/:no', async (req, reply) => {
    const out = JSON.stringify({ trade_state: 'NOTPAY', out_trade_no: (req.params as { no: string }).no });
    return reply.headers(signed(out)).send(out);
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  config.apiBase = url;

  return {
    url,
    server,
    config,
    prepays,
    refunds,
    merchantPublicKey: merchant.publicKey,
    notification(tx, opts = {}) {
      const plain = JSON.stringify({
        mchid: tx.mchid ?? config.mchId,
        appid: config.appId,
        out_trade_no: tx.paymentNo,
        transaction_id: `4200000${crypto.randomInt(10 ** 8, 10 ** 9)}`,
        trade_type: 'JSAPI',
        trade_state: tx.tradeState ?? 'SUCCESS',
        trade_state_desc: '支付成功',
        bank_type: 'OTHERS',
        success_time: new Date().toISOString(),
        payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
        amount: { total: tx.amountFen, payer_total: tx.amountFen, currency: 'CNY', payer_currency: 'CNY' },
      });
      const nonce = crypto.randomBytes(6).toString('hex');
      const aad = 'transaction';
      const cipher = crypto.createCipheriv(
        'aes-256-gcm',
        Buffer.from(opts.apiV3Key ?? config.apiV3Key, 'utf8'),
        Buffer.from(nonce, 'utf8'),
      );
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString(
        'base64',
      );
      const body = JSON.stringify({
        id: tx.id ?? crypto.randomUUID(),
        create_time: new Date().toISOString(),
        resource_type: 'encrypt-resource',
        event_type: 'TRANSACTION.SUCCESS',
        summary: '支付成功',
        resource: {
          original_type: 'transaction',
          algorithm: 'AEAD_AES_256_GCM',
          ciphertext,
          associated_data: aad,
          nonce,
        },
      });
      return { headers: signed(body, opts.signWith ?? platform.privateKey, opts.timestamp), body };
    },
    close: () => server.close(),
  };
}
