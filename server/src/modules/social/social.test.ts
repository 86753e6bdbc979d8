// Favourites and follows on both backends: idempotent toggles, counts, one follow event per follower.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';

describe.each(APP_BACKENDS)('favourites and follows on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '关注测试店', '13855551001');
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });

  it('saves products and follows shops, idempotently, with counts and one event per follower', async () => {
    const u = await node.userToken('13855552001');
    const { productId } = await simpleProduct(node, shop, '收藏的商品', 1000, 5);
    expect((await node.api('PUT', `/api/me/favourites/${productId}`)).status).toBe(401);
    for (let i = 0; i < 2; i++)
      expect((await node.api('PUT', `/api/me/favourites/${productId}`, { token: u.token })).body).toEqual({
        favourite: true,
      });
    expect(
      (await node.api('GET', '/api/me/favourites', { token: u.token })).body.map((p: { id: number }) => p.id),
    ).toEqual([productId]);
    expect((await node.api('GET', `/api/products/${productId}/favourite`, { token: u.token })).body).toEqual({
      favourite: true,
    });
    expect((await node.api('PUT', '/api/me/favourites/999999', { token: u.token })).body.error.code).toBe(
      'PRODUCT_NOT_FOUND',
    );
    await node.api('DELETE', `/api/me/favourites/${productId}`, { token: u.token });
    expect((await node.api('GET', '/api/me/favourites', { token: u.token })).body).toEqual([]);

    const v = await node.userToken('13855552002');
    expect((await node.api('PUT', `/api/me/follows/${shop.merchantId}`, { token: u.token })).body).toEqual({
      following: true,
      followers: 1,
    });
    expect((await node.api('PUT', `/api/me/follows/${shop.merchantId}`, { token: u.token })).body).toEqual({
      following: true,
      followers: 1,
    });
    expect((await node.api('PUT', `/api/me/follows/${shop.merchantId}`, { token: v.token })).body.followers).toBe(2);
    expect((await node.api('GET', `/api/merchants/${shop.merchantId}/followers`, { token: v.token })).body).toEqual({
      followers: 2,
      following: true,
    });
    expect((await node.api('DELETE', `/api/me/follows/${shop.merchantId}`, { token: v.token })).body).toEqual({
      following: false,
      followers: 1,
    });
    expect(
      (await node.api('GET', '/api/me/follows', { token: u.token })).body.map(
        (f: { merchantId: number }) => f.merchantId,
      ),
    ).toEqual([shop.merchantId]);
    expect((await node.api('PUT', '/api/me/follows/999999', { token: u.token })).body.error.code).toBe(
      'MERCHANT_NOT_FOUND',
    );
    const events = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'merchant.followed')
      .execute();
    expect(events).toHaveLength(2);
  });
});
