// Provider notifications against the local fakes (signed like the real gateways): a refused notice
// stays refused when the provider redelivers it, an accepted one is acknowledged again without being
// applied twice, and only a final trade status settles a payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startAlipayFake, type AlipayFake } from '../../../test/fakes/alipay-fake.ts';
import { startWechatPayFake, type WechatFake } from '../../../test/fakes/wechat-pay-fake.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor, until } from '../../../test/order-fixtures.ts';

describe.each(APP_BACKENDS)('payment notifications on $name', (backend) => {
  let node: TestNode;
  let wx: WechatFake;
  let ali: AlipayFake;
  let shop: ShopFixture;
  let phone = 13988870000;
  beforeAll(async () => {
    wx = await startWechatPayFake();
    ali = await startAlipayFake();
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: { wechatPay: wx.config, alipay: ali.config },
    });
    shop = await makeShop(node, '通知测试店', '13888870001');
  });
  afterAll(async () => {
    await node?.close();
    await wx?.close();
    await ali?.close();
  });

  async function pendingPayment() {
    const buyer = await node.userToken(String(++phone));
    const p = await simpleProduct(node, shop, `通知货${phone}`, 2590, 10);
    const addr = await addressFor(node, buyer.token, '北京市');
    const placed = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: { idempotencyKey: `ntf-${phone}`, items: [{ skuId: p.skuId, quantity: 1 }], addressId: addr.id },
    });
    return {
      buyer,
      orderId: placed.body.orders[0].orderId as number,
      paymentNo: placed.body.payment.paymentNo as string,
      amountFen: placed.body.payment.amountFen as number,
    };
  }
  const wechat = (n: { headers: Record<string, string>; body: string }) =>
    fetch(`${node.url}/api/payments/notify/wechat`, { method: 'POST', headers: n.headers, body: n.body });
  const alipay = (body: string) =>
    fetch(`${node.url}/api/payments/notify/alipay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    });
  const paymentStatus = async (o: { buyer: { token: string }; paymentNo: string }) =>
    (await node.api('GET', `/api/payments/${o.paymentNo}`, { token: o.buyer.token })).body.status as string;
  const paidEvents = async (orderId: number) =>
    (
      await node.app.ctx.db
        .selectFrom('outbox_events')
        .select('id')
        .where('type', '=', 'order.paid')
        .where('aggregate_id', '=', String(orderId))
        .execute()
    ).length;

  it('WeChat Pay: a refused notice is refused again on every redelivery; an accepted one is acknowledged once applied', async () => {
    const o = await pendingPayment();
    const wrongAmount = wx.notification({ paymentNo: o.paymentNo, amountFen: 1, id: `EV-WRONG-${phone}` });
    const wrongMerchant = wx.notification({
      paymentNo: o.paymentNo,
      amountFen: o.amountFen,
      mchid: '1999999999',
      id: `EV-MCH-${phone}`,
    });
    for (const n of [wrongAmount, wrongMerchant]) {
      for (let delivery = 1; delivery <= 3; delivery++) {
        const r = await wechat(n);
        expect(r.status, `delivery ${delivery}`).toBe(400);
        expect(((await r.json()) as { code: string }).code).toBe('FAIL');
      }
    }
    expect(await paymentStatus(o)).toBe('pending');
    const good = wx.notification({ paymentNo: o.paymentNo, amountFen: o.amountFen, id: `EV-OK-${phone}` });
    for (let delivery = 1; delivery <= 3; delivery++)
      expect((await wechat(good)).status, `delivery ${delivery}`).toBe(200);
    expect(await paymentStatus(o)).toBe('succeeded');
    await until(
      async () => (await node.api('GET', `/api/orders/${o.orderId}`, { token: o.buyer.token })).body.status === 'paid',
    );
    expect(await paidEvents(o.orderId)).toBe(1);
    const recorded = await node.app.ctx.db
      .selectFrom('payment_notifications')
      .select(['event_id', 'outcome', 'deliveries'])
      .where('payment_no', '=', o.paymentNo)
      .orderBy('id')
      .execute();
    expect(recorded).toEqual([
      { event_id: `EV-WRONG-${phone}`, outcome: 'amount_mismatch', deliveries: 3 },
      { event_id: `EV-MCH-${phone}`, outcome: 'merchant_mismatch', deliveries: 3 },
      { event_id: `EV-OK-${phone}`, outcome: 'succeeded', deliveries: 3 },
    ]);
  });

  it('Alipay: a notice for another seller stays "fail" when Alipay retries it', async () => {
    const o = await pendingPayment();
    const otherSeller = ali.notification({
      paymentNo: o.paymentNo,
      amountFen: o.amountFen,
      sellerId: '2088000000000000',
      notifyId: `ali-seller-${phone}`,
    });
    const wrongAmount = ali.notification({
      paymentNo: o.paymentNo,
      amountFen: o.amountFen + 1,
      notifyId: `ali-amount-${phone}`,
    });
    for (const body of [otherSeller, wrongAmount]) {
      for (let delivery = 1; delivery <= 3; delivery++)
        expect(await (await alipay(body)).text(), `delivery ${delivery}`).toBe('fail');
    }
    expect(await paymentStatus(o)).toBe('pending');
  });

  it('Alipay: WAIT_BUYER_PAY leaves the payment payable, TRADE_SUCCESS then pays it, TRADE_CLOSED fails another', async () => {
    const o = await pendingPayment();
    expect(
      await (
        await alipay(ali.notification({ paymentNo: o.paymentNo, amountFen: o.amountFen, status: 'WAIT_BUYER_PAY' }))
      ).text(),
    ).toBe('success');
    expect(await paymentStatus(o)).toBe('pending');
    const again = await node.api('POST', `/api/payments/${o.paymentNo}/start`, {
      token: o.buyer.token,
      body: { provider: 'alipay' },
    });
    expect(again.status).toBe(200);
    expect(
      await (
        await alipay(ali.notification({ paymentNo: o.paymentNo, amountFen: o.amountFen, status: 'TRADE_FINISHED' }))
      ).text(),
    ).toBe('success');
    expect(await paymentStatus(o)).toBe('succeeded');

    const closed = await pendingPayment();
    expect(
      await (
        await alipay(
          ali.notification({ paymentNo: closed.paymentNo, amountFen: closed.amountFen, status: 'TRADE_CLOSED' }),
        )
      ).text(),
    ).toBe('success');
    expect(await paymentStatus(closed)).toBe('failed');
  });

  it('WeChat Pay: only SUCCESS pays; NOTPAY and USERPAYING leave the payment pending; PAYERROR and CLOSED fail it', async () => {
    const o = await pendingPayment();
    for (const tradeState of ['NOTPAY', 'USERPAYING']) {
      expect(
        (await wechat(wx.notification({ paymentNo: o.paymentNo, amountFen: o.amountFen, tradeState }))).status,
        tradeState,
      ).toBe(200);
      expect(await paymentStatus(o), tradeState).toBe('pending');
    }
    expect(
      (await wechat(wx.notification({ paymentNo: o.paymentNo, amountFen: o.amountFen, tradeState: 'SUCCESS' }))).status,
    ).toBe(200);
    expect(await paymentStatus(o)).toBe('succeeded');
    for (const tradeState of ['PAYERROR', 'CLOSED']) {
      const other = await pendingPayment();
      expect(
        (await wechat(wx.notification({ paymentNo: other.paymentNo, amountFen: other.amountFen, tradeState }))).status,
        tradeState,
      ).toBe(200);
      expect(await paymentStatus(other), tradeState).toBe('failed');
    }
    // A late failure notice never undoes a payment that succeeded.
    expect(
      (await wechat(wx.notification({ paymentNo: o.paymentNo, amountFen: o.amountFen, tradeState: 'PAYERROR' })))
        .status,
    ).toBe(200);
    expect(await paymentStatus(o)).toBe('succeeded');
  });
});
