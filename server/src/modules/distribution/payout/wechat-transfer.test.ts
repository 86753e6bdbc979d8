// The WeChat Pay 商家转账到零钱 adapter against a local stand-in that checks our request signatures
// with the merchant public key and signs its answers with a platform key, as the real gateway does:
// a transfer is created once under its out-batch number, asking again looks it up instead of paying
// twice, success and refusal are read from the batch's detail, and unsigned answers are refused.
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rsaKeyPair } from '../../../../test/fakes/keys.ts';
import { WechatTransferPayout } from './wechat-transfer.ts';

interface Batch {
  out_batch_no: string;
  total_amount: number;
  openid: string;
  detail: 'PROCESSING' | 'SUCCESS' | 'FAIL';
}

describe('WeChat Pay transfer-to-balance payouts', () => {
  const merchant = rsaKeyPair();
  const platform = rsaKeyPair();
  const impostor = rsaKeyPair();
  let server: FastifyInstance;
  let base = '';
  const batches = new Map<string, Batch>();
  const posts: string[] = [];
  let signWith = platform.privateKey;
  /** What a batch becomes once looked up after creation. */
  let settlesAs: Batch['detail'] = 'SUCCESS';

  const signed = (body: string) => {
    const ts = Math.floor(Date.now() / 1000);
    const nonce = crypto.randomBytes(16).toString('hex');
    const sig = crypto.sign('RSA-SHA256', Buffer.from(`${ts}\n${nonce}\n${body}\n`), signWith).toString('base64');
    return { 'wechatpay-timestamp': String(ts), 'wechatpay-nonce': nonce, 'wechatpay-signature': sig };
  };

  beforeAll(async () => {
    server = Fastify();
    server.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, b, done) => done(null, b));
    server.addHook('preHandler', async (req, reply) => {
      const auth = String(req.headers.authorization ?? '');
      const field = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(auth)?.[1] ?? '';
      const message = `${req.method}\n${req.url}\n${field('timestamp')}\n${field('nonce_str')}\n${(req.body as string) ?? ''}\n`;
      const ok =
        auth.startsWith('WECHATPAY2-SHA256-RSA2048 ') &&
        field('mchid') === '1900000109' &&
        crypto.verify(
          'RSA-SHA256',
          Buffer.from(message),
          merchant.publicKey,
          Buffer.from(field('signature'), 'base64'),
        );
      if (!ok) {
        const body = JSON.stringify({ code: 'SIGN_ERROR', message: 'bad signature' });
        return reply.code(401).headers(signed(body)).send(body);
      }
    });
    const answer = (reply: { code: (n: number) => any }, status: number, data: unknown) => {
      const body = JSON.stringify(data);
      return reply
        .code(status)
        .headers({ ...signed(body), 'content-type': 'application/json' })
        .send(body);
    };
    server.get('/v3/transfer/batches/out-batch-no/:no', async (req, reply) => {
      const b = batches.get((req.params as { no: string }).no);
      if (!b) return answer(reply, 404, { code: 'NOT_FOUND', message: '记录不存在' });
      if (b.detail === 'PROCESSING') b.detail = settlesAs; // the next look finds it final
      return answer(reply, 200, {
        transfer_batch: { batch_id: `wx-${b.out_batch_no}`, batch_status: 'FINISHED' },
        transfer_detail_list: [
          { detail_status: b.detail, ...(b.detail === 'FAIL' ? { fail_reason: 'ACCOUNT_FROZEN' } : {}) },
        ],
      });
    });
    server.post('/v3/transfer/batches', async (req, reply) => {
      const body = JSON.parse(req.body as string);
      posts.push(body.out_batch_no);
      if (batches.has(body.out_batch_no)) return answer(reply, 400, { code: 'INVALID_REQUEST', message: '已存在' });
      batches.set(body.out_batch_no, {
        out_batch_no: body.out_batch_no,
        total_amount: body.total_amount,
        openid: body.transfer_detail_list[0].openid,
        detail: 'PROCESSING',
      });
      return answer(reply, 200, { out_batch_no: body.out_batch_no, batch_id: `wx-${body.out_batch_no}` });
    });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  const payout = () =>
    new WechatTransferPayout({
      mchId: '1900000109',
      appId: 'wxd678efh567hg6787',
      apiV3Key: crypto.randomBytes(16).toString('hex'),
      privateKeyPem: merchant.privateKey,
      certSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
      platformPublicKeyPem: platform.publicKey,
      apiBase: base,
    });
  const request = (outBatchNo: string) => ({
    outBatchNo,
    amountFen: 1234,
    openid: 'oPromoter1',
    remark: '推广佣金提现',
  });

  it('creates the transfer once, and asking again reads its result instead of paying twice', async () => {
    settlesAs = 'SUCCESS';
    const p = payout();
    expect(await p.transfer(request('LMWDONE0001'))).toEqual({
      status: 'processing',
      providerBatchId: 'wx-LMWDONE0001',
    });
    expect(await p.transfer(request('LMWDONE0001'))).toEqual({
      status: 'succeeded',
      providerBatchId: 'wx-LMWDONE0001',
    });
    expect(await p.transfer(request('LMWDONE0001'))).toMatchObject({ status: 'succeeded' });
    expect(posts.filter((n) => n === 'LMWDONE0001')).toHaveLength(1);
    expect(batches.get('LMWDONE0001')).toMatchObject({ total_amount: 1234, openid: 'oPromoter1' });
  });

  it("reports a refusal for good with WeChat's reason", async () => {
    settlesAs = 'FAIL';
    const p = payout();
    await p.transfer(request('LMWDFAIL0001'));
    expect(await p.transfer(request('LMWDFAIL0001'))).toEqual({ status: 'failed', reason: 'ACCOUNT_FROZEN' });
  });

  it('refuses to pay a promoter without an openid, without calling WeChat', async () => {
    const before = posts.length;
    expect(await payout().transfer({ ...request('LMWDNOID0001'), openid: null })).toMatchObject({ status: 'failed' });
    expect(posts.length).toBe(before);
  });

  it('throws (to be retried) on an answer not signed by the platform', async () => {
    signWith = impostor.privateKey;
    try {
      await expect(payout().transfer(request('LMWDFORGED01'))).rejects.toThrow(/signature/i);
    } finally {
      signWith = platform.privateKey;
    }
  });
});
