// One seat per shopper per group: however many orders a shopper places for a group at once, one
// takes the seat and the others are refused with 409 GROUP_ALREADY_JOINED (never a 500, never a
// second seat or a second reserved unit); a shopper whose order was cancelled may join again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../../test/harness.ts';
import { APP_BACKENDS } from '../../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../../test/commerce-fixtures.ts';
import { bulkBuyers, until } from '../../../../test/order-fixtures.ts';

const at = (ms: number) => new Date(Date.now() + ms).toISOString();
type Buyer = { userId: number; token: string; addressId: number };

describe.each(APP_BACKENDS)('group-buy seats on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let buyers: Buyer[];
  let skuId: number;
  let dealId: number;
  let groupId: number;
  let n = 0;
  const order = (b: Buyer, extra: Record<string, unknown> = {}) =>
    node.api('POST', '/api/orders', {
      token: b.token,
      body: {
        idempotencyKey: `group-seat-${++n}`,
        items: [{ skuId, quantity: 1 }],
        addressId: b.addressId,
        couponIds: [],
        ...extra,
      },
    });
  const seatsOf = (userId: number) =>
    node.app.ctx.db
      .selectFrom('group_buy_members')
      .select(['status', 'order_id'])
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .execute();

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '拼团座位店', '13877770001');
    buyers = await bulkBuyers(node, 4, '1387778');
    skuId = (await simpleProduct(node, shop, '拼团座位杯', 5000, 1000)).skuId;
    const deal = await node.api('POST', `/api/merchants/${shop.merchantId}/group-buys`, {
      token: shop.owner.token,
      body: {
        skuId,
        title: '十人团',
        groupPriceFen: 2990,
        groupSize: 10,
        expireMinutes: 60,
        startsAt: at(-1000),
        endsAt: at(86_400_000),
      },
    });
    dealId = deal.body.id;
    const opened = await order(buyers[0]!, { groupBuy: { dealId } });
    expect(opened.status).toBe(201);
    groupId = (
      await node.app.ctx.db
        .selectFrom('group_buy_members')
        .select('group_id')
        .where('order_id', '=', opened.body.orders[0].orderId)
        .executeTakeFirstOrThrow()
    ).group_id;
  }, 120_000);
  afterAll(async () => {
    await node?.close();
  });

  it('gives a shopper one seat however many orders for the group they place at once', async () => {
    const buyer = buyers[1]!;
    const before = (await node.app.ctx.services.inventory.available([skuId])).get(skuId)!;
    const join = { groupBuy: { dealId, groupId } };
    const answers = await Promise.all(Array.from({ length: 20 }, () => order(buyer, join)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 201).map((a) => `${a.status} ${a.body.error?.code}`)).toEqual(
      Array(19).fill('409 GROUP_ALREADY_JOINED'),
    );
    expect(await seatsOf(buyer.userId)).toHaveLength(1);
    // The refused orders left nothing behind: one order, one unit reserved.
    const orders = await node.app.ctx.db
      .selectFrom('orders')
      .select('id')
      .where('user_id', '=', buyer.userId)
      .execute();
    expect(orders).toHaveLength(1);
    expect((await node.app.ctx.services.inventory.available([skuId])).get(skuId)).toBe(before - 1);
    const group = (await node.api('GET', `/api/group-buys/groups/${groupId}`)).body;
    expect(group.members.filter((m: { userId: number }) => m.userId === buyer.userId)).toHaveLength(1);
  });

  it('lets a shopper whose order was cancelled take a seat again with a new order', async () => {
    const buyer = buyers[2]!;
    const first = await order(buyer, { groupBuy: { dealId, groupId } });
    expect(first.status).toBe(201);
    const orderId = first.body.orders[0].orderId;
    const cancelled = await node.api('POST', `/api/orders/${orderId}/cancel`, { token: buyer.token });
    expect(cancelled.status).toBe(200);
    await until(async () => (await seatsOf(buyer.userId)).every((s) => s.status === 'left'));
    const again = await order(buyer, { groupBuy: { dealId, groupId } });
    expect(again.status).toBe(201);
    const seats = await seatsOf(buyer.userId);
    expect(seats.filter((s) => s.status === 'pending').map((s) => s.order_id)).toEqual([again.body.orders[0].orderId]);
    const group = (await node.api('GET', `/api/group-buys/groups/${groupId}`)).body;
    const mine = group.members.filter((m: { userId: number; status: string }) => m.userId === buyer.userId);
    expect(mine.filter((m: { status: string }) => m.status === 'pending')).toHaveLength(1);
  });
});
