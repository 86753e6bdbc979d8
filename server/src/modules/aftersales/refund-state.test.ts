// What the shop's order page shows before and after asking for money back: per line what is
// refunded, being refunded, held by an open request and still refundable; the estimate of a request
// before it is sent is the amount it is stored with; and once refunded, the refunds equal the
// estimates shown, summing to the order's total. Both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import type { ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { asBuyer, asShop, paidCheckout, product, settle, shopWithShipping } from './test-support.ts';

describe.each(APP_BACKENDS)('refund state and estimates for the shopper on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let phone = 13966620000;
  const buyer = () => node.userToken(String(++phone));
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await shopWithShipping(node, '退款进度店', '13866620001');
  });
  afterAll(async () => {
    await node?.close();
  });

  const stateOf = (token: string, orderId: number) => node.api('GET', `/api/orders/${orderId}/refundable`, { token });
  const estimate = (token: string, orderId: number, lines: Array<{ lineId: number; quantity: number }>) =>
    node.api('POST', `/api/orders/${orderId}/aftersales/estimate`, { token, body: { lines } });

  it('shows what is refundable, held and refunded, and refunds exactly the estimates it showed', async () => {
    const skuId = await product(node, shop, '进度水杯', 1001);
    const c = await paidCheckout(node, await buyer(), 'refund-state-1', [{ skuId, quantity: 3 }]);
    const order = c.orders[0]!;
    const line = order.lines[0]!;
    const token = c.buyer.token;
    expect(order.totalFen).toBe(3003 + 800); // 600 + 2 × 100 shipping
    const before = (await stateOf(token, order.orderId)).body;
    expect(before).toMatchObject({
      canRequest: true,
      refundedFen: 0,
      refundingFen: 0,
      requestedFen: 0,
      types: ['refund_only'],
    });
    expect(before.lines).toEqual([
      expect.objectContaining({ lineId: line.id, refundableQuantity: 3, requestedQuantity: 0 }),
    ]);

    // One unit first: its share of the line, no shipping (units are left).
    const firstEstimate = (await estimate(token, order.orderId, [{ lineId: line.id, quantity: 1 }])).body;
    expect(firstEstimate).toEqual({
      amountFen: 1001,
      shippingFen: 0,
      lines: [{ lineId: line.id, quantity: 1, amountFen: 1001 }],
    });
    const shopper = asBuyer(node, token);
    const first = await shopper.request(order.orderId, [{ lineId: line.id, quantity: 1 }]);
    expect(first.body).toMatchObject({ status: 'requested', amountFen: firstEstimate.amountFen });
    const held = (await stateOf(token, order.orderId)).body;
    expect(held).toMatchObject({ requestedFen: 1001, canRequest: true });
    expect(held.lines[0]).toMatchObject({ requestedQuantity: 1, refundableQuantity: 2 });
    // The open request holds its unit: asking for all three again is refused, and writes nothing.
    const tooMany = await estimate(token, order.orderId, [{ lineId: line.id, quantity: 3 }]);
    expect(tooMany.body.error.code).toBe('QUANTITY_INVALID');

    await asShop(node, shop).approve(first.body.id);
    await settle(node);
    const partly = (await stateOf(token, order.orderId)).body;
    expect(partly).toMatchObject({ refundedFen: 1001, refundingFen: 0, requestedFen: 0 });
    expect(partly.lines[0]).toMatchObject({ refundedQuantity: 1, refundableQuantity: 2 });

    // The rest: the remaining goods and, since nothing shipped and nothing is left, the shipping fee.
    const restEstimate = (await estimate(token, order.orderId, [{ lineId: line.id, quantity: 2 }])).body;
    expect(restEstimate).toMatchObject({ amountFen: 2002 + 800, shippingFen: 800 });
    const rest = await shopper.request(order.orderId, [{ lineId: line.id, quantity: 2 }]);
    expect(rest.body.amountFen).toBe(restEstimate.amountFen);
    await asShop(node, shop).approve(rest.body.id);
    await settle(node);
    const done = (await stateOf(token, order.orderId)).body;
    expect(done).toMatchObject({ status: 'refunded', refundedFen: order.totalFen, canRequest: false });
    expect(done.lines[0]).toMatchObject({ refundedQuantity: 3, refundableQuantity: 0 });
    const listed = await node.api('GET', `/api/aftersales?orderId=${order.orderId}`, { token });
    const mine = listed.body as Array<{ amountFen: number; status: string }>;
    expect(mine.map((a) => [a.status, a.amountFen])).toEqual([
      ['refunded', 2802],
      ['refunded', 1001],
    ]);
    const refunds = await node.app.ctx.db
      .selectFrom('refunds')
      .select('amount_fen')
      .where('payment_id', '=', c.paymentId)
      .execute();
    expect(refunds.map((r) => r.amount_fen).sort((a, b) => a - b)).toEqual([1001, 2802]);
  }, 60_000);

  it("answers another shopper's order as not found, and refuses lines of other orders", async () => {
    const sku = await product(node, shop, '进度雨伞', 2000);
    const mine = await paidCheckout(node, await buyer(), 'refund-state-2', [{ skuId: sku, quantity: 1 }]);
    const theirs = await paidCheckout(node, await buyer(), 'refund-state-3', [{ skuId: sku, quantity: 1 }]);
    const order = mine.orders[0]!;
    expect((await stateOf(theirs.buyer.token, order.orderId)).body.error.code).toBe('ORDER_NOT_FOUND');
    const asked = [{ lineId: order.lines[0]!.id, quantity: 1 }];
    expect((await estimate(theirs.buyer.token, order.orderId, asked)).body.error.code).toBe('ORDER_NOT_FOUND');
    const foreignLine = [{ lineId: theirs.orders[0]!.lines[0]!.id, quantity: 1 }];
    expect((await estimate(mine.buyer.token, order.orderId, foreignLine)).body.error.code).toBe('LINE_NOT_IN_ORDER');
    const listed = await node.api('GET', `/api/aftersales?orderId=${order.orderId}`, { token: theirs.buyer.token });
    expect(listed.body.error.code).toBe('ORDER_NOT_FOUND');
  });
});
