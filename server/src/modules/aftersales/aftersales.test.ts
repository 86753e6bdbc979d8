import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor, payWithSandbox, until } from '../../../test/order-fixtures.ts';
import { lineRefundAmount } from './aftersale-service.ts';

describe('line refund amounts', () => {
  it('partial refunds of a line add up to exactly what it cost, never more', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        (qty, payable, steps) => {
          let q = 0;
          let f = 0;
          for (const s of steps) {
            const take = Math.min(s, qty - q);
            if (take === 0) break;
            const amt = lineRefundAmount({ quantity: qty, payable_fen: payable }, q, f, take);
            expect(amt).toBeGreaterThanOrEqual(0);
            q += take;
            f += amt;
            expect(f).toBeLessThanOrEqual(payable);
          }
          if (q === qty) expect(f).toBe(payable);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe.each(APP_BACKENDS)('after-sales, timeouts and late payments on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { orderPaymentTimeoutSec: 5 } });
    shop = await makeShop(node, '售后测试店', '13877770001');
    await node.api('POST', `/api/merchants/${shop.merchantId}/shipping-templates`, {
      token: shop.owner.token,
      body: {
        name: '默认',
        chargeBy: 'pieces',
        isDefault: true,
        rules: [{ regions: ['*'], firstUnits: 1, firstFeeFen: 600, extraUnits: 1, extraFeeFen: 100 }],
      },
    });
  });
  afterAll(async () => {
    await node?.close();
  });

  async function paidOrder(phone: string, quantity: number, priceFen = 1000) {
    const buyer = await node.userToken(phone);
    const p = await simpleProduct(node, shop, `售后货${phone}`, priceFen, 10);
    const addr = await addressFor(node, buyer.token, '上海市');
    const placed = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: { idempotencyKey: `as-${phone}`, items: [{ skuId: p.skuId, quantity }], addressId: addr.id },
    });
    await payWithSandbox(node, placed.body.payment.cashierUrl, 'succeeded');
    const orderId = placed.body.orders[0].orderId as number;
    await until(
      async () => (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body.status === 'paid',
    );
    const detail = (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body;
    return { buyer, orderId, detail, skuId: p.skuId, paymentNo: placed.body.payment.paymentNo as string };
  }
  const stock = (skuId: number) =>
    node.app.ctx.db
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();

  it('refunds part of an unshipped order, then the rest with the shipping fee, exactly and back into stock', async () => {
    const { buyer, orderId, detail, skuId } = await paidOrder('13977770001', 3, 1001); // 3003 + shipping 800
    expect(detail.totalFen).toBe(3003 + 800);
    const line = detail.lines[0];
    const first = await node.api('POST', `/api/orders/${orderId}/aftersales`, {
      token: buyer.token,
      body: { type: 'refund_only', reason: '不想要了', lines: [{ lineId: line.id, quantity: 1 }] },
    });
    expect(first.body).toMatchObject({ amountFen: 1001, shippingFen: 0, status: 'requested' });
    // Cannot ask again for more than is left (2 left, 1 in the open request).
    const tooMuch = await node.api('POST', `/api/orders/${orderId}/aftersales`, {
      token: buyer.token,
      body: { type: 'refund_only', reason: 'x', lines: [{ lineId: line.id, quantity: 3 }] },
    });
    expect(tooMuch.body.error.code).toBe('QUANTITY_INVALID');
    const ok = await node.api('POST', `/api/merchants/${shop.merchantId}/aftersales/${first.body.id}/approve`, {
      token: shop.owner.token,
    });
    expect(ok.body.status).toBe('refunding');
    await until(
      async () => (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body.refundedFen === 1001,
    );
    expect(await stock(skuId)).toEqual({ on_hand: 8, reserved: 0 });
    const rest = await node.api('POST', `/api/orders/${orderId}/aftersales`, {
      token: buyer.token,
      body: { type: 'refund_only', reason: '全退', lines: [{ lineId: line.id, quantity: 2 }] },
    });
    expect(rest.body).toMatchObject({ amountFen: 2002 + 800, shippingFen: 800 });
    await node.api('POST', `/api/merchants/${shop.merchantId}/aftersales/${rest.body.id}/approve`, {
      token: shop.owner.token,
    });
    await until(
      async () => (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body.status === 'refunded',
    );
    const final = (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body;
    expect(final).toMatchObject({ refundedFen: final.totalFen, refundStatus: 'full' });
    expect(await stock(skuId)).toEqual({ on_hand: 10, reserved: 0 });
    const payment = await node.app.ctx.db
      .selectFrom('payments')
      .select(['refunded_fen', 'amount_fen'])
      .where(
        'id',
        '=',
        (
          await node.app.ctx.db
            .selectFrom('orders')
            .select('payment_id')
            .where('id', '=', orderId)
            .executeTakeFirstOrThrow()
        ).payment_id!,
      )
      .executeTakeFirstOrThrow();
    expect(payment.refunded_fen).toBe(payment.amount_fen);
  });

  it('return and refund: approve, the buyer ships back, the shop receives, stock restored; rejection stays rejected', async () => {
    const { buyer, orderId, detail, skuId } = await paidOrder('13977770002', 2);
    await node.api('POST', `/api/merchants/${shop.merchantId}/orders/${orderId}/ship`, {
      token: shop.owner.token,
      body: { carrier: '中通', trackingNo: 'ZT9000001' },
    });
    expect(await stock(skuId)).toEqual({ on_hand: 8, reserved: 0 });
    const req = await node.api('POST', `/api/orders/${orderId}/aftersales`, {
      token: buyer.token,
      body: { type: 'return_refund', reason: '尺码不合适', lines: [{ lineId: detail.lines[0].id, quantity: 1 }] },
    });
    expect(req.body.shippingFen).toBe(0);
    expect(
      (
        await node.api('POST', `/api/merchants/${shop.merchantId}/aftersales/${req.body.id}/approve`, {
          token: shop.owner.token,
        })
      ).body.status,
    ).toBe('awaiting_return');
    expect(
      (
        await node.api('POST', `/api/aftersales/${req.body.id}/return`, {
          token: buyer.token,
          body: { carrier: '中通', trackingNo: 'ZT-BACK-01' },
        })
      ).body.status,
    ).toBe('returned');
    expect(
      (
        await node.api('POST', `/api/merchants/${shop.merchantId}/aftersales/${req.body.id}/receive`, {
          token: shop.owner.token,
        })
      ).body.status,
    ).toBe('refunding');
    await until(
      async () => (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body.refundedFen === 1000,
    );
    expect(await stock(skuId)).toEqual({ on_hand: 9, reserved: 0 });
    const second = await node.api('POST', `/api/orders/${orderId}/aftersales`, {
      token: buyer.token,
      body: { type: 'refund_only', reason: '再退', lines: [{ lineId: detail.lines[0].id, quantity: 1 }] },
    });
    const rejected = await node.api('POST', `/api/merchants/${shop.merchantId}/aftersales/${second.body.id}/reject`, {
      token: shop.owner.token,
      body: { reason: '商品已使用' },
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: '商品已使用' });
    const other = await makeShop(node, '别家售后店', '13877770009');
    expect(
      (
        await node.api('POST', `/api/merchants/${other.merchantId}/aftersales/${second.body.id}/approve`, {
          token: other.owner.token,
        })
      ).status,
    ).toBe(404);
  });

  it('cancels an unpaid order when the time to pay runs out, releasing its stock', async () => {
    const buyer = await node.userToken('13977770003');
    const p = await simpleProduct(node, shop, '超时货', 500, 4);
    const addr = await addressFor(node, buyer.token, '上海市');
    const placed = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: { idempotencyKey: 'timeout-0001', items: [{ skuId: p.skuId, quantity: 3 }], addressId: addr.id },
    });
    expect(await stock(p.skuId)).toEqual({ on_hand: 4, reserved: 3 });
    const orderId = placed.body.orders[0].orderId;
    await until(
      async () => (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body.status === 'cancelled',
      20_000,
    );
    expect(await stock(p.skuId)).toEqual({ on_hand: 4, reserved: 0 });
    const detail = (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body;
    expect(detail.cancelReason).toBe('payment_timeout');

    // The money arrives anyway (the shopper paid at the last second): it is refunded automatically.
    const outcome = await payWithSandbox(node, placed.body.payment.cashierUrl, 'succeeded');
    expect(outcome).toBe('succeeded_after_close');
    await until(async () => {
      const r = await node.app.ctx.db
        .selectFrom('refunds as r')
        .innerJoin('payments as p', 'p.id', 'r.payment_id')
        .select(['r.status', 'r.amount_fen'])
        .where('p.payment_no', '=', placed.body.payment.paymentNo)
        .executeTakeFirst();
      return r?.status === 'succeeded' && r.amount_fen === placed.body.payment.amountFen;
    });
    expect((await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body.status).toBe('cancelled');
  });

  it('ignores a replayed payment notification', async () => {
    const { orderId, paymentNo } = await paidOrder('13977770004', 1);
    const sandbox = node.app.ctx.services.payments.providers.get(
      'sandbox',
    ) as import('../payments/providers/sandbox.ts').SandboxProvider;
    const p = await node.app.ctx.db
      .selectFrom('payments')
      .select(['amount_fen'])
      .where('payment_no', '=', paymentNo)
      .executeTakeFirstOrThrow();
    const body = JSON.stringify({ eventId: 'replay-evt-1', paymentNo, amountFen: p.amount_fen, status: 'succeeded' });
    const send = () =>
      fetch(`${node.url}/api/payments/notify/sandbox`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sandbox-signature': sandbox.sign(body) },
        body,
      });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const paidEvents = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select('id')
      .where('type', '=', 'order.paid')
      .where('aggregate_id', '=', String(orderId))
      .execute();
    expect(paidEvents).toHaveLength(1);
    const forged = await fetch(`${node.url}/api/payments/notify/sandbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sandbox-signature': 'nope' },
      body,
    });
    expect(forged.status).toBe(400);
  });
});
