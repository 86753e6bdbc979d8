// A real deployment (sandbox off, Alipay and WeChat Pay configured against their local stand-ins):
// no answer hands the shopper a test-money cashier, the sandbox is neither offered nor accepted, and
// the shop pays with what GET /api/payments/methods lists: Alipay with the adapter's signed page-pay
// URL, WeChat Pay only inside WeChat (it needs the payer's openid).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startAlipayFake, type AlipayFake } from '../../../test/fakes/alipay-fake.ts';
import { startWechatPayFake, type WechatFake } from '../../../test/fakes/wechat-pay-fake.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor } from '../../../test/order-fixtures.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';

describe.each(APP_BACKENDS)('payments with the sandbox off on $name', (backend) => {
  let node: TestNode;
  let ali: AlipayFake;
  let wx: WechatFake;
  let shop: ShopFixture;
  beforeAll(async () => {
    [ali, wx] = await Promise.all([startAlipayFake(), startWechatPayFake()]);
    const config = { paymentsSandbox: false, alipay: ali.config, wechatPay: wx.config };
    node = await startNode({ db: backend.db, cache: backend.cache, config });
    shop = await makeShop(node, '正式支付店', '13877760001');
  });
  afterAll(async () => {
    await node?.close();
    await ali?.close();
    await wx?.close();
  });

  async function placeOrder(phone: string, priceFen = 4321) {
    const buyer = await node.userToken(phone);
    const p = await simpleProduct(node, shop, `正式货${phone}`, priceFen, 5);
    const addr = await addressFor(node, buyer.token, '上海市');
    const body = { idempotencyKey: `real-${phone}`, items: [{ skuId: p.skuId, quantity: 1 }], addressId: addr.id };
    const placed = await node.api('POST', '/api/orders', { token: buyer.token, body });
    expect(placed.status).toBe(201);
    return {
      buyer,
      body,
      placed,
      payment: placed.body.payment as { paymentNo: string; amountFen: number; cashierUrl: unknown },
    };
  }

  it('lists Alipay and WeChat Pay as the ways to pay, and no test money', async () => {
    const methods = await node.api('GET', '/api/payments/methods');
    expect(methods.status).toBe(200);
    expect(methods.body.sandbox).toBe(false);
    const listed = methods.body.methods as Array<{ provider: string; testMoney: boolean }>;
    expect(listed.map((m) => m.provider).sort()).toEqual(['alipay', 'wechat']);
    expect(listed.every((m) => !m.testMoney)).toBe(true);
  });

  it('places an order without a sandbox cashier link, and a replay of it has none either', async () => {
    const o = await placeOrder('13977760001');
    expect(o.payment.cashierUrl).toBeNull();
    expect(JSON.stringify(o.placed.body)).not.toContain('/pay/sandbox');
    const again = await node.api('POST', '/api/orders', { token: o.buyer.token, body: o.body });
    expect(again.body.payment.paymentNo).toBe(o.payment.paymentNo);
    expect(JSON.stringify(again.body)).not.toContain('/pay/sandbox');
  });

  it('tops up coins without a sandbox cashier link', async () => {
    const buyer = await node.userToken('13977760002');
    const topup = await node.api('POST', '/api/me/wallet/topups', { token: buyer.token, body: { coins: 10 } });
    expect(topup.status).toBe(201);
    expect(topup.body.cashierUrl).toBeNull();
    expect(topup.body.paymentNo).toMatch(/^P\d+/);
  });

  it('refuses to start a sandbox payment with PROVIDER_UNAVAILABLE, and its cashier stays shut', async () => {
    const o = await placeOrder('13977760003');
    const r = await node.api('POST', `/api/payments/${o.payment.paymentNo}/start`, {
      token: o.buyer.token,
      body: { provider: 'sandbox' },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('PROVIDER_UNAVAILABLE');
    // Even a correctly signed cashier link (as the server used to hand out) opens nothing.
    const link = new URL(await node.app.ctx.services.payments.sandboxCashierUrl(o.payment.paymentNo));
    const page = await fetch(`${node.url}${link.pathname}${link.search}`);
    expect(page.status).toBe(404);
    expect((await node.app.ctx.services.payments.get(o.payment.paymentNo)).provider).toBeNull();
  });

  it('starts Alipay with the page-pay URL the adapter signed, for this payment and amount', async () => {
    const o = await placeOrder('13977760004', 12345);
    const r = await node.api('POST', `/api/payments/${o.payment.paymentNo}/start`, {
      token: o.buyer.token,
      body: { provider: 'alipay', returnUrl: '/shop/orders' },
    });
    expect(r.status).toBe(200);
    expect(r.body.provider).toBe('alipay');
    const url = new URL(r.body.cashierUrl);
    expect(url.origin + url.pathname).toBe(ali.config.gateway);
    const params = Object.fromEntries(url.searchParams);
    expect(params.method).toBe('alipay.trade.wap.pay');
    expect(params.app_id).toBe(ali.config.appId);
    expect(ali.verifyOurs(params)).toBe(true);
    expect(ali.verifyOurs({ ...params, total_amount: '0.01' })).toBe(false);
    expect(JSON.parse(params.biz_content!)).toMatchObject({
      out_trade_no: o.payment.paymentNo,
      total_amount: '123.45',
    });
    expect(params.return_url).toBe(`${node.config.publicUrl}/shop/orders`);
    expect(params.notify_url).toBe(`${node.config.publicUrl}/api/payments/notify/alipay`);
  });

  it('asks for WeChat (an openid) before starting WeChat Pay, with a code the shop can explain', async () => {
    const o = await placeOrder('13977760005');
    const r = await node.api('POST', `/api/payments/${o.payment.paymentNo}/start`, {
      token: o.buyer.token,
      body: { provider: 'wechat' },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('WECHAT_PAY_NEEDS_WECHAT');
    // Signed in with WeChat (code2session stored the openid): the shopper's own openid pays.
    await node.app.ctx.db
      .updateTable('users')
      .set({ wechat_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' })
      .where('id', '=', o.buyer.userId)
      .execute();
    const inWechat = await node.api('POST', `/api/payments/${o.payment.paymentNo}/start`, {
      token: o.buyer.token,
      body: { provider: 'wechat' },
    });
    expect(inWechat.status).toBe(200);
    expect(inWechat.body.jsapiParams.package).toMatch(/^prepay_id=/);
  });
});
