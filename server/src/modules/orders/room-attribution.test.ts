// A room credits only the orders it sold: in a checkout that spans two shops, the room's own
// shop's order carries the room, the other shop's order does not (its room analytics and reports
// would otherwise show another shop's sales and title).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor } from '../../../test/order-fixtures.ts';

describe.each(APP_BACKENDS)('room attribution of a multi-shop checkout ($name)', (backend) => {
  let node: TestNode;
  let shopA: ShopFixture;
  let shopB: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shopA = await makeShop(node, '直播归属A店', '13855550001');
    shopB = await makeShop(node, '直播归属B店', '13855550002');
  });
  afterAll(async () => {
    await node?.close();
  });

  it('puts the room only on the order of the shop whose room it is', async () => {
    const a = await simpleProduct(node, shopA, 'A店芒果', 2990, 10);
    const b = await simpleProduct(node, shopB, 'B店外套', 9900, 10);
    const room = await node.api('POST', `/api/merchants/${shopA.merchantId}/rooms`, {
      token: shopA.owner.token,
      body: { title: 'A店直播间' },
    });
    expect(room.status).toBe(201);
    const buyer = await node.userToken('13955550001');
    const address = await addressFor(node, buyer.token, '广东省');
    const placed = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: {
        idempotencyKey: 'room-attr-1',
        items: [
          { skuId: a.skuId, quantity: 1 },
          { skuId: b.skuId, quantity: 1 },
        ],
        addressId: address.id,
        roomId: room.body.id,
      },
    });
    expect(placed.status).toBe(201);
    const orders = await node.app.ctx.db
      .selectFrom('orders')
      .select(['merchant_id', 'room_id'])
      .where('user_id', '=', buyer.userId)
      .execute();
    expect(orders).toHaveLength(2);
    expect(orders.find((o) => o.merchant_id === shopA.merchantId)?.room_id).toBe(room.body.id);
    expect(orders.find((o) => o.merchant_id === shopB.merchantId)?.room_id).toBeNull();
  });
});
