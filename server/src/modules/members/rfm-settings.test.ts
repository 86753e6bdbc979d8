import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('RFM thresholds on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  const path = (m: number) => `/api/merchants/${m}/customers/rfm-settings`;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '会员小店', '13800009201');
    other = await makeShop(node, '别家会员店', '13800009202');
  });
  afterAll(async () => {
    await node?.close();
  });

  it('starts from readable defaults in the shop’s time zone', async () => {
    const r = await node.api('GET', path(shop.merchantId), { token: shop.owner.token });
    expect(r.body).toEqual({
      activeDays: 30,
      lapsedDays: 90,
      loyalOrders: 3,
      bigSpendFen: 50_000,
      timeZone: 'Asia/Shanghai',
    });
  });

  it('lets the owner change them, for this shop only', async () => {
    const body = { activeDays: 14, lapsedDays: 60, loyalOrders: 5, bigSpendFen: 100_000 };
    const put = await node.api('PUT', path(shop.merchantId), { token: shop.owner.token, body });
    expect(put.body).toMatchObject(body);
    const again = await node.api('PUT', path(shop.merchantId), {
      token: shop.owner.token,
      body: { ...body, activeDays: 7 },
    });
    expect(again.body.activeDays).toBe(7);
    expect((await node.api('GET', path(other.merchantId), { token: other.owner.token })).body.activeDays).toBe(30);
    expect((await node.api('PUT', path(shop.merchantId), { token: other.owner.token, body })).status).toBe(403);
  });

  it('refuses a lapsed period not longer than the recent one', async () => {
    const r = await node.api('PUT', path(shop.merchantId), {
      token: shop.owner.token,
      body: { activeDays: 30, lapsedDays: 30, loyalOrders: 3, bigSpendFen: 50_000 },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('RFM_LAPSED_BEFORE_ACTIVE');
  });
});
