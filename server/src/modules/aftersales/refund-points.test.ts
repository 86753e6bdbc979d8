// Points paid with come back in proportion to the goods refunded, cumulatively and exactly once:
// the returns of all refunds of an order add up to exactly the points it used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import type { ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import {
  asBuyer,
  asShop,
  failures,
  grantPoints,
  paidCheckout,
  pointsBalance,
  product,
  settle,
  shopWithShipping,
} from './test-support.ts';

describe.each(APP_BACKENDS)('points returned on refunds on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let phone = 13966620000;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await shopWithShipping(node, '积分退款店', '13866620001');
  });
  afterAll(async () => {
    await node?.close();
  });

  async function pointsOrder(priceFen: number, quantity: number) {
    const b = await node.userToken(String(++phone));
    await grantPoints(node, b.userId, 10_000, `grant-${phone}`);
    const c = await paidCheckout(
      node,
      b,
      `pts-${phone}`,
      [{ skuId: await product(node, shop, `积分货${phone}`, priceFen), quantity }],
      { usePoints: true },
    );
    const order = c.orders[0]!;
    const used = (
      await node.app.ctx.db
        .selectFrom('orders')
        .select('points_used')
        .where('id', '=', order.orderId)
        .executeTakeFirstOrThrow()
    ).points_used;
    return { b, order, used, shopper: asBuyer(node, b.token), merchant: asShop(node, shop) };
  }

  it('returns points in proportion to each partial refund, summing to exactly what was used', async () => {
    const { b, order, used, shopper, merchant } = await pointsOrder(1001, 3); // 3003 goods: 1501 points take 15.01 yuan off
    expect(used).toBe(1501);
    expect(await pointsBalance(node, b.userId)).toBe(10_000 - 1501);
    const line = order.lines[0]!;
    const goodsPaid = line.payableFen;
    let refundedGoods = 0;
    for (let i = 0; i < 3; i++) {
      const r = await shopper.request(order.orderId, [{ lineId: line.id, quantity: 1 }]);
      const approved = await merchant.approve(r.body.id);
      await settle(node);
      refundedGoods += approved.body.amountFen - approved.body.shippingFen;
      const returned = (await pointsBalance(node, b.userId)) - (10_000 - 1501);
      const expected = i === 2 ? used : Math.floor((used * refundedGoods) / goodsPaid);
      expect(returned, `after refund ${i + 1}`).toBe(expected);
    }
    expect(await shopper.order(order.orderId)).toMatchObject({ status: 'refunded', refundedFen: order.totalFen });
    expect(await pointsBalance(node, b.userId)).toBe(10_000);
  });

  it('returns every point used when all goods are refunded after shipping (the fee is kept)', async () => {
    const { b, order, used, shopper, merchant } = await pointsOrder(2000, 2);
    expect(used).toBe(2000);
    await merchant.ship(order.orderId);
    const line = order.lines[0]!;
    for (let i = 0; i < 2; i++) {
      const r = await shopper.request(order.orderId, [{ lineId: line.id, quantity: 1 }], 'return_refund');
      await merchant.approve(r.body.id);
      await shopper.sendBack(r.body.id);
      await merchant.receive(r.body.id);
      await settle(node);
      expect(await pointsBalance(node, b.userId), `after return ${i + 1}`).toBe(10_000 - 2000 + (i + 1) * 1000);
    }
    expect(await shopper.order(order.orderId)).toMatchObject({ status: 'refunded', refundedFen: order.totalFen - 700 });
    // Delivered again (a redelivered event) changes nothing.
    const events = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select('id')
      .where('type', '=', 'order.refunded')
      .where('aggregate_id', '=', String(order.orderId))
      .execute();
    await node.app.ctx.db
      .deleteFrom('processed_events')
      .where(
        'event_id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    await node.app.ctx.db
      .updateTable('outbox_events')
      .set({ dispatched_at: null })
      .where(
        'id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    await settle(node);
    expect(await pointsBalance(node, b.userId)).toBe(10_000);
    expect(await failures(node)).toEqual({ events: [], jobs: [] });
  });
});
