// WeChat Pay v3 and Alipay, each against a local fake gateway that signs and encrypts as the
// real one does: prepay/cashier, verified notifications (replayed, forged, stale, tampered),
// amount and merchant mismatches, refunds through the provider.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor, until } from '../../../test/order-fixtures.ts';
import { startWechatPayFake, type WechatFake } from '../../../test/fakes/wechat-pay-fake.ts';
import { startAlipayFake, type AlipayFake } from '../../../test/fakes/alipay-fake.ts';
import { rsaKeyPair } from '../../../test/fakes/keys.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';

describe.each(APP_BACKENDS)('real payment providers against fake gateways on $name', (backend) => {
  let node: TestNode;
  let wx: WechatFake;
  let ali: AlipayFake;
  let shop: ShopFixture;
  beforeAll(async () => {
    wx = await startWechatPayFake();
    ali = await startAlipayFake();
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: { wechatPay: wx.config, alipay: ali.config },
    });
    shop = await makeShop(node, '支付测试店', '13888880001');
  });
  afterAll(async () => {
    await node?.close();
    await wx?.close();
    await ali?.close();
  });

  async function order(phone: string, priceFen = 2590) {
    const buyer = await node.userToken(phone);
    const p = await simpleProduct(node, shop, `支付货${phone}`, priceFen, 10);
    const addr = await addressFor(node, buyer.token, '北京市');
    const placed = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: { idempotencyKey: `pay-${phone}`, items: [{ skuId: p.skuId, quantity: 1 }], addressId: addr.id },
    });
    return {
      buyer,
      orderId: placed.body.orders[0].orderId as number,
      payment: placed.body.payment as { paymentNo: string; amountFen: number },
    };
  }
  const notifyWechat = (n: { headers: Record<string, string>; body: string }) =>
    fetch(`${node.url}/api/payments/notify/wechat`, { method: 'POST', headers: n.headers, body: n.body });
  const status = async (o: { buyer: { token: string }; orderId: number }) =>
    (await node.api('GET', `/api/orders/${o.orderId}`, { token: o.buyer.token })).body.status;

  it('WeChat Pay: signed prepay, JSAPI params, verified and decrypted notification, replay ignored, refund', async () => {
    const o = await order('13988880001');
    // The payer is the openid the shopper signed in with (code2session), never one from the body.
    const fromBody = await node.api('POST', `/api/payments/${o.payment.paymentNo}/start`, {
      token: o.buyer.token,
      body: { provider: 'wechat', openid: 'oSomeoneElse' },
    });
    expect([fromBody.status, fromBody.body.error.code]).toEqual([400, 'OPENID_NOT_ACCEPTED']);
    await node.app.ctx.db
      .updateTable('users')
      .set({ wechat_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' })
      .where('id', '=', o.buyer.userId)
      .execute();
    const started = await node.api('POST', `/api/payments/${o.payment.paymentNo}/start`, {
      token: o.buyer.token,
      body: { provider: 'wechat' },
    });
    expect(started.status).toBe(200);
    expect(wx.prepays.at(-1)).toMatchObject({
      out_trade_no: o.payment.paymentNo,
      amount: { total: o.payment.amountFen },
      payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    });
    const p = started.body.jsapiParams;
    expect(p.package).toMatch(/^prepay_id=wx/);
    expect(
      crypto.verify(
        'RSA-SHA256',
        Buffer.from(`${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`),
        wx.merchantPublicKey,
        Buffer.from(p.paySign, 'base64'),
      ),
    ).toBe(true);

    const n = wx.notification({ paymentNo: o.payment.paymentNo, amountFen: o.payment.amountFen, id: 'EV-WX-0001' });
    const first = await notifyWechat(n);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ code: 'SUCCESS', message: '成功' });
    await until(async () => (await status(o)) === 'paid');
    expect((await notifyWechat(n)).status).toBe(200); // replay: acknowledged, nothing changes
    const paidEvents = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select('id')
      .where('type', '=', 'order.paid')
      .where('aggregate_id', '=', String(o.orderId))
      .execute();
    expect(paidEvents).toHaveLength(1);

    const detail = (await node.api('GET', `/api/orders/${o.orderId}`, { token: o.buyer.token })).body;
    const as = await node.api('POST', `/api/orders/${o.orderId}/aftersales`, {
      token: o.buyer.token,
      body: { type: 'refund_only', reason: '测试退款', lines: [{ lineId: detail.lines[0].id, quantity: 1 }] },
    });
    await node.api('POST', `/api/merchants/${shop.merchantId}/aftersales/${as.body.id}/approve`, {
      token: shop.owner.token,
    });
    await until(async () => wx.refunds.length > 0);
    expect(wx.refunds.at(-1)).toMatchObject({
      out_trade_no: o.payment.paymentNo,
      amount: { refund: o.payment.amountFen, total: o.payment.amountFen },
    });
    await until(async () => (await status(o)) === 'refunded');
  });

  it('WeChat Pay: forged, stale, undecryptable, wrong-amount and wrong-merchant notifications are refused', async () => {
    const o = await order('13988880002');
    const mallory = rsaKeyPair();
    const cases: Array<[string, { headers: Record<string, string>; body: string }]> = [
      [
        'forged signature',
        wx.notification(
          { paymentNo: o.payment.paymentNo, amountFen: o.payment.amountFen },
          { signWith: mallory.privateKey },
        ),
      ],
      [
        'stale timestamp',
        wx.notification(
          { paymentNo: o.payment.paymentNo, amountFen: o.payment.amountFen },
          { timestamp: Math.floor(Date.now() / 1000) - 3600 },
        ),
      ],
      [
        'wrong APIv3 key',
        wx.notification(
          { paymentNo: o.payment.paymentNo, amountFen: o.payment.amountFen },
          { apiV3Key: crypto.randomBytes(16).toString('hex') },
        ),
      ],
      ['amount mismatch', wx.notification({ paymentNo: o.payment.paymentNo, amountFen: 1 })],
      [
        'merchant mismatch',
        wx.notification({ paymentNo: o.payment.paymentNo, amountFen: o.payment.amountFen, mchid: '1999999999' }),
      ],
    ];
    for (const [label, n] of cases) {
      const r = await notifyWechat(n);
      expect(r.status, label).toBe(400);
      expect(((await r.json()) as { code: string }).code, label).toBe('FAIL');
    }
    // A tampered body no longer matches its signature.
    const good = wx.notification({ paymentNo: o.payment.paymentNo, amountFen: o.payment.amountFen });
    expect(
      (
        await notifyWechat({
          headers: good.headers,
          body: good.body.replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESZ'),
        })
      ).status,
    ).toBe(400);
    expect(await status(o)).toBe('pending_payment');
    const recorded = await node.app.ctx.db
      .selectFrom('payment_notifications')
      .select('outcome')
      .where('payment_no', '=', o.payment.paymentNo)
      .execute();
    expect(recorded.map((r) => r.outcome).sort()).toEqual(['amount_mismatch', 'merchant_mismatch']);
  });

  it('Alipay: signed wap-pay URL, verified notification answered "success", forged refused, refund through the gateway', async () => {
    const o = await order('13988880003', 12345);
    const started = await node.api('POST', `/api/payments/${o.payment.paymentNo}/start`, {
      token: o.buyer.token,
      body: { provider: 'alipay', returnUrl: '/orders' },
    });
    const url = new URL(started.body.cashierUrl);
    expect(url.origin + url.pathname).toBe(ali.config.gateway);
    const params = Object.fromEntries(url.searchParams);
    expect(params.method).toBe('alipay.trade.wap.pay');
    expect(ali.verifyOurs(params)).toBe(true);
    expect(JSON.parse(params.biz_content!)).toMatchObject({
      out_trade_no: o.payment.paymentNo,
      total_amount: '123.45',
      product_code: 'QUICK_WAP_WAY',
    });

    const send = (body: string) =>
      fetch(`${node.url}/api/payments/notify/alipay`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body,
      });
    const forged = await send(
      ali.notification(
        { paymentNo: o.payment.paymentNo, amountFen: o.payment.amountFen },
        { signWith: rsaKeyPair().privateKey },
      ),
    );
    expect(await forged.text()).toBe('fail');
    const otherSeller = await send(
      ali.notification({
        paymentNo: o.payment.paymentNo,
        amountFen: o.payment.amountFen,
        sellerId: '2088000000000000',
      }),
    );
    expect(await otherSeller.text()).toBe('fail');
    expect(await status(o)).toBe('pending_payment');
    const good = ali.notification({
      paymentNo: o.payment.paymentNo,
      amountFen: o.payment.amountFen,
      notifyId: 'ali-notify-1',
    });
    expect(await (await send(good)).text()).toBe('success');
    expect(await (await send(good)).text()).toBe('success'); // Alipay retries: still "success", nothing doubled
    await until(async () => (await status(o)) === 'paid');

    const detail = (await node.api('GET', `/api/orders/${o.orderId}`, { token: o.buyer.token })).body;
    const as = await node.api('POST', `/api/orders/${o.orderId}/aftersales`, {
      token: o.buyer.token,
      body: { type: 'refund_only', reason: '测试', lines: [{ lineId: detail.lines[0].id, quantity: 1 }] },
    });
    await node.api('POST', `/api/merchants/${shop.merchantId}/aftersales/${as.body.id}/approve`, {
      token: shop.owner.token,
    });
    await until(async () => ali.refunds.length > 0);
    expect(ali.refunds.at(-1)).toMatchObject({
      out_trade_no: o.payment.paymentNo,
      refund_amount: (detail.totalFen / 100).toFixed(2),
    });
    await until(async () => (await status(o)) === 'refunded');
  });

  it('refuses a provider that is not configured', async () => {
    const bare = await startNode({ db: 'pglite' });
    try {
      const s = await makeShop(bare, '无支付店', '13888880009');
      const buyer = await bare.userToken('13988880009');
      const p = await simpleProduct(bare, s, '货', 100, 1);
      const addr = await addressFor(bare, buyer.token, '北京市');
      const placed = await bare.api('POST', '/api/orders', {
        token: buyer.token,
        body: { idempotencyKey: 'noprov-01', items: [{ skuId: p.skuId, quantity: 1 }], addressId: addr.id },
      });
      const r = await bare.api('POST', `/api/payments/${placed.body.payment.paymentNo}/start`, {
        token: buyer.token,
        body: { provider: 'wechat' },
      });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('PROVIDER_UNAVAILABLE');
    } finally {
      await bare.close();
    }
  });
});
