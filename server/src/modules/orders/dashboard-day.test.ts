// The dashboard's "today" is the shop's calendar day (Asia/Shanghai by default) for every figure:
// orders paid at 23:30 there yesterday are yesterday's even when it is the same day in UTC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor, payWithSandbox, until } from '../../../test/order-fixtures.ts';

describe.each(APP_BACKENDS)('the dashboard day on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '看板小店', '13855560001');
  });
  afterAll(async () => {
    await node?.close();
  });

  async function paidOrder(key: string): Promise<number> {
    const buyer = await node.userToken('13955560001');
    const { skuId } = await simpleProduct(node, shop, `看板商品 ${key}`, 1000, 5);
    const addr = await addressFor(node, buyer.token, '广东省');
    const placed = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: { idempotencyKey: `dash-${key}-000001`, items: [{ skuId, quantity: 1 }], addressId: addr.id },
    });
    await payWithSandbox(node, placed.body.payment.cashierUrl, 'succeeded');
    const orderId = placed.body.orders[0].orderId as number;
    await until(
      async () => (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body.status === 'paid',
    );
    return orderId;
  }

  it('puts an order paid just before local midnight in yesterday, one just after in today', async () => {
    const summary = async () =>
      (await node.api('GET', `/api/merchants/${shop.merchantId}/orders/summary?days=7`, { token: shop.owner.token }))
        .body;
    const first = await summary();
    expect(first.timeZone).toBe('Asia/Shanghai');
    expect(first.today).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()));
    const midnight = new Date(first.todayStart);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', timeStyle: 'short' }).format(midnight)).toBe(
      '00:00',
    );

    const late = await paidOrder('late');
    const early = await paidOrder('early');
    const at = (id: number, d: Date) =>
      node.app.ctx.db.updateTable('orders').set({ paid_at: d }).where('id', '=', id).execute();
    await at(late, new Date(midnight.getTime() - 30 * 60_000));
    await at(early, new Date(Math.min(midnight.getTime() + 60_000, Date.now())));

    const s = await summary();
    const today = s.series.find((r: any) => r.day === s.today);
    expect(today).toMatchObject({ orders: 1 });
    expect(s.series.filter((r: any) => r.day !== s.today).map((r: any) => r.orders)).toEqual([1]);
    expect(s.paidOrders).toBe(2);
    const dash = (await node.api('GET', '/api/platform/dashboard', { token: shop.admin.token })).body;
    expect(dash.find((d: any) => d.merchantId === shop.merchantId)).toMatchObject({ todayOrders: 1, weekOrders: 2 });
  });
});
