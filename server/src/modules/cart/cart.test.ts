import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor, until } from '../../../test/order-fixtures.ts';

describe.each(APP_BACKENDS)('cart on $name', (backend) => {
  let node: TestNode;
  let a: ShopFixture;
  let b: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    a = await makeShop(node, '购物车甲店', '13899990001');
    b = await makeShop(node, '购物车乙店', '13899990002');
  });
  afterAll(async () => {
    await node?.close();
  });

  it('groups lines by shop and flags off-shelf, out-of-stock, short and repriced lines', async () => {
    const buyer = await node.userToken('13999990001');
    const x = await simpleProduct(node, a, '甲-正常', 1000, 10);
    const y = await simpleProduct(node, a, '甲-将下架', 2000, 10);
    const z = await simpleProduct(node, b, '乙-将改价', 3000, 2);
    for (const [skuId, quantity] of [
      [x.skuId, 2],
      [y.skuId, 1],
      [z.skuId, 1],
      [x.skuId, 1],
    ] as const) {
      expect(
        (await node.api('POST', '/api/cart/items', { token: buyer.token, body: { skuId, quantity } })).status,
      ).toBe(200);
    }
    await node.api('POST', `/api/merchants/${a.merchantId}/products/status`, {
      token: a.owner.token,
      body: { productIds: [y.productId], status: 'off_shelf' },
    });
    await node.api('PUT', `/api/merchants/${b.merchantId}/products/${z.productId}`, {
      token: b.owner.token,
      headers: { 'if-match': '*' },
      body: { title: '乙-将改价', status: 'on_shelf', specs: [], skus: [{ specValues: [], priceFen: 2500 }] },
    });
    await node.api('PATCH', `/api/cart/items/${z.skuId}`, { token: buyer.token, body: { quantity: 3 } });
    const cart = (await node.api('GET', '/api/cart', { token: buyer.token })).body;
    expect(cart.groups.map((g: any) => g.merchantId).sort()).toEqual([a.merchantId, b.merchantId].sort());
    const line = (skuId: number) => cart.groups.flatMap((g: any) => g.lines).find((l: any) => l.skuId === skuId);
    expect(line(x.skuId)).toMatchObject({
      quantity: 3,
      flags: { offShelf: false, outOfStock: false, insufficientStock: false, repriced: false },
    });
    expect(line(y.skuId).flags.offShelf).toBe(true);
    expect(line(z.skuId)).toMatchObject({
      priceFen: 2500,
      priceFenAtAdd: 3000,
      flags: { repriced: true, insufficientStock: true },
    });
    // Only buyable, selected lines count towards the total.
    expect(cart.selectedTotalFen).toBe(3000);
    const off = await node.api('POST', '/api/cart/items', {
      token: buyer.token,
      body: { skuId: y.skuId, quantity: 1 },
    });
    expect(off.body.error.code).toBe('SKU_NOT_PURCHASABLE');
    await node.api('DELETE', `/api/cart/items/${y.skuId}`, { token: buyer.token });
    expect((await node.api('GET', '/api/cart', { token: buyer.token })).body.count).toBe(2);
  });

  it('keeps a line at 999 at most when adds arrive at once (the fuzz found a 500 past the limit)', async () => {
    const buyer = await node.userToken('13999990002');
    const { skuId } = await simpleProduct(node, a, '甲-抢购', 100, 5_000);
    const adds = await Promise.all(
      Array.from({ length: 20 }, () =>
        node.api('POST', '/api/cart/items', { token: buyer.token, body: { skuId, quantity: 60 } }),
      ),
    );
    const accepted = adds.filter((r) => r.status === 200).length;
    expect(adds.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.error.code}`)).toEqual(
      Array.from({ length: 20 - accepted }, () => '400 QUANTITY_INVALID'),
    );
    expect(accepted).toBe(16);
    const cart = (await node.api('GET', '/api/cart', { token: buyer.token })).body;
    expect(cart.groups.flatMap((g: any) => g.lines).find((l: any) => l.skuId === skuId).quantity).toBe(960);
  });

  it('an order placed from the cart takes its SKUs out; a buy-now order of the same SKU leaves the cart alone', async () => {
    const buyer = await node.userToken('13999990003');
    const address = await addressFor(node, buyer.token, '浙江省');
    const x = await simpleProduct(node, a, '甲-结算', 1500, 50);
    const y = await simpleProduct(node, a, '甲-留着', 900, 50);
    for (const skuId of [x.skuId, y.skuId])
      await node.api('POST', '/api/cart/items', { token: buyer.token, body: { skuId, quantity: 2 } });
    const skusInCart = async () =>
      (await node.api('GET', '/api/cart', { token: buyer.token })).body.groups
        .flatMap((g: any) => g.lines)
        .map((l: any) => l.skuId)
        .sort();
    const place = (fromCart: boolean | undefined, key: string) =>
      node.api('POST', '/api/orders', {
        token: buyer.token,
        body: { items: [{ skuId: x.skuId, quantity: 1 }], addressId: address.id, idempotencyKey: key, fromCart },
      });
    expect((await place(undefined, `buy-now-${x.skuId}`)).status).toBe(201);
    // The buy-now order's event is handled too; the cart still holds both lines after it.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await skusInCart()).toEqual([x.skuId, y.skuId].sort());
    expect((await place(true, `from-cart-${x.skuId}`)).status).toBe(201);
    await until(async () => (await skusInCart()).length === 1);
    expect(await skusInCart()).toEqual([y.skuId]);
  });
});
