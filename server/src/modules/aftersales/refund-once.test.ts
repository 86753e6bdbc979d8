// Refund amounts are decided when the refund starts, against what is already refunded or being
// refunded: shipping goes back exactly once, no order gets back more than it paid, every unit stays
// refundable whatever happened to other requests, and no handler dies on a refund the books allowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import type { ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import {
  asBuyer,
  asShop,
  failures,
  paidCheckout,
  product,
  runJobNow,
  settle,
  shopWithShipping,
} from './test-support.ts';

describe.each(APP_BACKENDS)('refund amounts decided at refund time on $name', (backend) => {
  let node: TestNode;
  let shopA: ShopFixture;
  let shopB: ShopFixture;
  let phone = 13966610000;
  const buyer = () => node.userToken(String(++phone));
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shopA = await shopWithShipping(node, '退款甲店', '13866610001');
    shopB = await shopWithShipping(node, '退款乙店', '13866610002');
  });
  afterAll(async () => {
    await node?.close();
  });

  const refundsOf = (paymentId: number) =>
    node.app.ctx.db
      .selectFrom('refunds')
      .select(['amount_fen', 'status'])
      .where('payment_id', '=', paymentId)
      .execute();
  const paymentRefunded = async (paymentId: number) =>
    (
      await node.app.ctx.db
        .selectFrom('payments')
        .select('refunded_fen')
        .where('id', '=', paymentId)
        .executeTakeFirstOrThrow()
    ).refunded_fen;

  /** 3 units of 1001 with shipping 800; the request that was estimated with the shipping fee is not the one that ends the order. */
  async function withdrawnShippingSequence(c: Awaited<ReturnType<typeof paidCheckout>>) {
    const order = c.orders.find((o) => o.merchantId === shopA.merchantId)!;
    const line = order.lines[0]!;
    const shopper = asBuyer(node, c.buyer.token);
    const shop = asShop(node, shopA);
    const one = await shopper.request(order.orderId, [{ lineId: line.id, quantity: 1 }]);
    const two = await shopper.request(order.orderId, [{ lineId: line.id, quantity: 2 }]);
    // The estimate shown: everything left is asked for (with the open request), so the fee comes back.
    expect(two.body).toMatchObject({ amountFen: 2002 + 800, shippingFen: 800, status: 'requested' });
    expect((await shopper.withdraw(one.body.id)).body.status).toBe('cancelled');
    expect((await shop.approve(two.body.id)).body).toMatchObject({
      status: 'refunding',
      amountFen: 2002,
      shippingFen: 0,
    });
    const last = await shopper.request(order.orderId, [{ lineId: line.id, quantity: 1 }]);
    expect(last.status).toBe(201);
    const approved = await shop.approve(last.body.id);
    expect(approved.status).toBe(200);
    // The refund that makes everything refunded carries the fee, once.
    expect(approved.body).toMatchObject({ status: 'refunding', amountFen: 1001 + 800, shippingFen: 800 });
    await settle(node);
    return { order, shopper };
  }

  it('returns shipping once when the request estimated with it is not the one that ends the order (several shops, one payment)', async () => {
    const b = await buyer();
    const c = await paidCheckout(node, b, `once-multi-${phone}`, [
      { skuId: await product(node, shopA, '甲货', 1001), quantity: 3 },
      { skuId: await product(node, shopB, '乙货', 2000), quantity: 1 },
    ]);
    expect(c.orders.map((o) => o.totalFen).sort()).toEqual([2600, 3803]);
    const { order, shopper } = await withdrawnShippingSequence(c);
    expect(await shopper.order(order.orderId)).toMatchObject({
      status: 'refunded',
      refundedFen: 3803,
      totalFen: 3803,
      refundStatus: 'full',
    });
    // The provider was asked for exactly this order's money, never the other shop's.
    const refunds = await refundsOf(c.paymentId);
    expect(refunds.reduce((s, r) => s + r.amount_fen, 0)).toBe(3803);
    expect(await paymentRefunded(c.paymentId)).toBe(3803);
    expect(await failures(node)).toEqual({ events: [], jobs: [] });
  });

  it('lets the last unit be refunded with the fee on a one-shop payment', async () => {
    const b = await buyer();
    const c = await paidCheckout(node, b, `once-single-${phone}`, [
      { skuId: await product(node, shopA, '甲货单', 1001), quantity: 3 },
    ]);
    const { order, shopper } = await withdrawnShippingSequence(c);
    expect(await shopper.order(order.orderId)).toMatchObject({ status: 'refunded', refundedFen: 3803 });
    expect(await paymentRefunded(c.paymentId)).toBe(3803);
  });

  it('returns no shipping once anything has shipped, and a full refund of the goods still ends the order', async () => {
    const b = await buyer();
    const sku = await product(node, shopA, '发货后退', 1500);
    const c = await paidCheckout(node, b, `once-shipped-${phone}`, [{ skuId: sku, quantity: 2 }]);
    const order = c.orders[0]!;
    const shopper = asBuyer(node, b.token);
    const shop = asShop(node, shopA);
    expect((await shop.ship(order.orderId)).status).toBe(200);
    const r = await shopper.request(order.orderId, [{ lineId: order.lines[0]!.id, quantity: 2 }], 'return_refund');
    expect(r.body).toMatchObject({ amountFen: 3000, shippingFen: 0 });
    await shop.approve(r.body.id);
    await shopper.sendBack(r.body.id);
    expect((await shop.receive(r.body.id)).body).toMatchObject({
      status: 'refunding',
      amountFen: 3000,
      shippingFen: 0,
    });
    await settle(node);
    expect(await shopper.order(order.orderId)).toMatchObject({
      status: 'refunded',
      refundedFen: 3000,
      totalFen: 3700,
      refundStatus: 'full',
    });
    // Nothing is left to refund: a new request is refused.
    const again = await shopper.request(order.orderId, [{ lineId: order.lines[0]!.id, quantity: 1 }]);
    expect(again.status).toBe(409);
  });

  it('refunds each unit exactly once under 20 concurrent approvals of the same request and of sibling requests', async () => {
    const b = await buyer();
    const skus = [await product(node, shopA, '并发甲', 999), await product(node, shopA, '并发乙', 1333)];
    const c = await paidCheckout(node, b, `once-conc-${phone}`, [
      { skuId: skus[0]!, quantity: 2 },
      { skuId: skus[1]!, quantity: 2 },
    ]);
    const order = c.orders[0]!;
    const shopper = asBuyer(node, b.token);
    const shop = asShop(node, shopA);
    const requests = [];
    for (const l of order.lines)
      for (let i = 0; i < l.quantity; i++)
        requests.push((await shopper.request(order.orderId, [{ lineId: l.id, quantity: 1 }])).body.id as number);
    const answers = await Promise.all(requests.flatMap((id) => Array.from({ length: 5 }, () => shop.approve(id))));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(requests.length);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.body.error.code === 'AFTERSALE_STATE')).toBe(true);
    await settle(node);
    const views = (
      await node.api('GET', `/api/merchants/${shopA.merchantId}/aftersales`, { token: shopA.owner.token })
    ).body.filter((a: { orderId: number }) => a.orderId === order.orderId) as Array<{
      shippingFen: number;
      amountFen: number;
      status: string;
    }>;
    expect(views.every((v) => v.status === 'refunded')).toBe(true);
    expect(views.reduce((s, v) => s + v.shippingFen, 0)).toBe(900); // 4 pieces: 600 + 3 × 100
    expect(views.reduce((s, v) => s + v.amountFen, 0)).toBe(order.totalFen);
    expect(await shopper.order(order.orderId)).toMatchObject({ status: 'refunded', refundedFen: order.totalFen });
    expect(await paymentRefunded(c.paymentId)).toBe(order.totalFen);
    expect(await failures(node)).toEqual({ events: [], jobs: [] });
  });

  it('keeps auto-confirm and completion going for a partially refunded shipped order, which earns points on what was kept', async () => {
    const b = await buyer();
    const sku = await product(node, shopA, '部分退', 5000);
    const c = await paidCheckout(node, b, `partial-confirm-${phone}`, [{ skuId: sku, quantity: 2 }]);
    const order = c.orders[0]!; // 10000 + 700 shipping
    const shopper = asBuyer(node, b.token);
    const shop = asShop(node, shopA);
    await shop.ship(order.orderId);
    const r = await shopper.request(order.orderId, [{ lineId: order.lines[0]!.id, quantity: 1 }]);
    await shop.approve(r.body.id);
    await settle(node);
    expect(await shopper.order(order.orderId)).toMatchObject({
      status: 'shipped',
      refundedFen: 5000,
      refundStatus: 'partial',
    });
    expect(await runJobNow(node, `order-autoconfirm:${order.orderId}`)).toBe(true);
    await settle(node);
    expect((await shopper.order(order.orderId)).status).toBe('delivered');
    expect(await runJobNow(node, `order-complete:${order.orderId}`)).toBe(true);
    await settle(node);
    expect((await shopper.order(order.orderId)).status).toBe('completed');
    const earned = await node.app.ctx.db
      .selectFrom('points_ledger')
      .select('delta')
      .where('reason', '=', 'earned')
      .where('ref', '=', `order:${order.orderId}`)
      .executeTakeFirst();
    expect(earned?.delta).toBe(Math.floor((order.totalFen - 5000) / 100));
  });

  it('ships the order once the units that did not ship are refunded, so it can still complete', async () => {
    const b = await buyer();
    const skus = [await product(node, shopA, '分批甲', 800), await product(node, shopA, '分批乙', 900)];
    const c = await paidCheckout(node, b, `partial-ship-${phone}`, [
      { skuId: skus[0]!, quantity: 1 },
      { skuId: skus[1]!, quantity: 1 },
    ]);
    const order = c.orders[0]!;
    const shopper = asBuyer(node, b.token);
    const shop = asShop(node, shopA);
    await shop.ship(order.orderId, [{ lineId: order.lines[0]!.id, quantity: 1 }]);
    expect((await shopper.order(order.orderId)).status).toBe('paid');
    const r = await shopper.request(order.orderId, [{ lineId: order.lines[1]!.id, quantity: 1 }]);
    expect(r.body.shippingFen).toBe(0);
    await shop.approve(r.body.id);
    await settle(node);
    expect(await shopper.order(order.orderId)).toMatchObject({ status: 'shipped', refundedFen: 900 });
    expect(await runJobNow(node, `order-autoconfirm:${order.orderId}`)).toBe(true);
    await settle(node);
    expect((await shopper.order(order.orderId)).status).toBe('delivered');
  });
});
