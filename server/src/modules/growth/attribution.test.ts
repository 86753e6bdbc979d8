// Attribution through real HTTP: a visit through a share, a sign-up by the anonymous visitor (linked
// at sign-in), a room entry, then an order whose first and last touch are the right shares; the
// sharer's own visit is not a touch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { paidCheckout, settle } from '../aftersales/test-support.ts';
import { growthEvents, newDevice, share, signUp, visit } from './test-support.ts';

describe.each(APP_BACKENDS)('share attribution on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let roomId: number;
  let product: { productId: number; skuId: number };
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '裂变水果店', '13861000001');
    product = await simpleProduct(node, shop, '分享芒果', 2990, 100);
    roomId = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '分享直播间' },
      })
    ).body.id;
  }, 180_000);
  afterAll(async () => {
    await node?.close();
  });

  it('keeps first and last touch from visit, sign-up and room entry to the paid order', async () => {
    const alice = await node.userToken('13861001001');
    const erin = await node.userToken('13861001002');
    const roomShare = await share(node, { token: alice.token }, 'room', roomId);
    expect(roomShare.url).toContain(`/shop/room/${roomId}?share=${roomShare.token}`);
    expect((await share(node, { token: alice.token }, 'room', roomId)).token).toBe(roomShare.token);

    // The sharer opening her own link is not a touch.
    expect(await visit(node, roomShare.token, { token: alice.token })).toMatchObject({ recorded: false, self: true });

    // An anonymous viewer arrives through Alice's share, then signs up on that device.
    const device = newDevice();
    expect(await visit(node, roomShare.token, { visitorKey: device })).toMatchObject({ recorded: true, self: false });
    const bob = await signUp(node, '13861001003', device);
    expect(bob.linked).toBe(1);
    await settle(node);
    const touchedBob = (await growthEvents(node, 'share.touched')).filter((p) => p.visitorUserId === bob.userId);
    expect(touchedBob.map((p) => p.touch).sort()).toEqual(['signup', 'visit']);
    expect(touchedBob[0]).toMatchObject({
      merchantId: shop.merchantId,
      shareId: roomShare.id,
      sharerUserId: alice.userId,
      targetKind: 'room',
      targetId: roomId,
    });

    // Bob enters the room through the link, then comes back through Erin's product share.
    expect(await visit(node, roomShare.token, { token: bob.token }, roomId)).toMatchObject({
      recorded: true,
      kind: 'room_entry',
    });
    const productShare = await share(node, { token: erin.token }, 'product', product.productId);
    await visit(node, productShare.token, { token: bob.token });

    const checkout = await paidCheckout(node, bob, 'growth-attr-1', [{ skuId: product.skuId, quantity: 2 }]);
    await settle(node);
    const attributed = await growthEvents(node, 'share.order_attributed');
    expect(attributed).toEqual([
      {
        merchantId: shop.merchantId,
        orderId: checkout.orders[0]!.orderId,
        buyerUserId: bob.userId,
        firstTouch: { shareId: roomShare.id, sharerUserId: alice.userId },
        lastTouch: { shareId: productShare.id, sharerUserId: erin.userId },
      },
    ]);
    const touched = (await growthEvents(node, 'share.touched')).filter((p) => p.visitorUserId === bob.userId);
    expect(touched.map((p) => p.touch)).toEqual(['visit', 'signup', 'room_entry', 'visit']);
    expect(touched.some((p) => p.visitorUserId === alice.userId)).toBe(false);

    // The shop sees it per sharer: Alice brought Bob (first touch), Erin's share carried the order.
    const bySharer = await node.api('GET', `/api/merchants/${shop.merchantId}/growth/shares?by=sharer`, {
      token: shop.owner.token,
    });
    expect(bySharer.status).toBe(200);
    const row = (id: number) => bySharer.body.rows.find((r: { id: number }) => r.id === id);
    expect(row(alice.userId)).toMatchObject({ newVisitors: 1, signups: 1, roomEntries: 1, visitors: 1, orders: 0 });
    expect(row(erin.userId)).toMatchObject({ newVisitors: 0, orders: 1, gmvFen: checkout.orders[0]!.totalFen });
  });

  it('makes a share of a shopper who arrived through one a child of it (spread depth)', async () => {
    const carol = await node.userToken('13861002001');
    const dave = await node.userToken('13861002002');
    const root = await share(node, { token: carol.token }, 'product', product.productId);
    await visit(node, root.token, { token: dave.token });
    const child = await share(node, { token: dave.token }, 'room', roomId);
    expect(child).toMatchObject({ parentShareId: root.id, depth: root.depth + 1 });
    const viaToken = await node.api('GET', `/api/shares/${child.token}`);
    expect(viaToken.body).toMatchObject({ id: child.id, sharerUserId: dave.userId, targetKind: 'room' });
  });

  it('ignores an anonymous sharer opening their own link, and links their share to them at sign-in', async () => {
    const device = newDevice();
    const anon = await share(node, { visitorKey: device }, 'product', product.productId);
    expect(anon).toMatchObject({ depth: 0 });
    expect(await visit(node, anon.token, { visitorKey: device })).toMatchObject({ recorded: false, self: true });
    const other = newDevice();
    await visit(node, anon.token, { visitorKey: other });
    // The sharer signs up later: their share (with its touches) becomes theirs, and a touch made
    // as a device is told once the visitor is known.
    const friend = await signUp(node, '13861003001', other);
    expect(friend.linked).toBe(1);
    const sharer = await signUp(node, '13861003002', device);
    expect(sharer.linked).toBe(0);
    const mine = await node.api('GET', '/api/me/shares', { token: sharer.token });
    expect(mine.body.map((s: { id: number }) => s.id)).toEqual([anon.id]);
    expect((await node.api('GET', '/api/me/shares', { token: friend.token })).body).toEqual([]);
    await settle(node);
    const told = (await growthEvents(node, 'share.touched')).filter((p) => p.shareId === anon.id);
    expect(told.map((p) => [p.visitorUserId, p.sharerUserId, p.touch])).toEqual([
      [friend.userId, null, 'visit'],
      [friend.userId, null, 'signup'],
    ]);
  });
});
