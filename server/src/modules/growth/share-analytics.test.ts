// Share analytics from a constructed spread: per share/sharer/room/product figures, the tree (who
// reached whom, depth) and K by level with its decay; the lucky bag "share the room" condition;
// tenancy (another shop's ids are 404s) and bad input (4xx with stable codes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { transact } from '../../platform/db/transact.ts';
import { paidCheckout, pointsBalance, settle } from '../aftersales/test-support.ts';
import { Viewer } from '../realtime/test-support.ts';
import { newDevice, share, signUp, visit } from './test-support.ts';

describe.each(APP_BACKENDS)('share analytics on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  let roomId: number;
  let otherRoomId: number;
  let product: { productId: number; skuId: number };
  const get = (path: string, token = shop.owner.token) => node.api('GET', path, { token });
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '裂变统计店', '13863000001');
    other = await makeShop(node, '别人的店', '13863000002');
    product = await simpleProduct(node, shop, '统计芒果', 1000, 100);
    const room = (s: ShopFixture, title: string) =>
      node.api('POST', `/api/merchants/${s.merchantId}/rooms`, { token: s.owner.token, body: { title } });
    roomId = (await room(shop, '统计直播间')).body.id;
    otherRoomId = (await room(other, '别人的直播间')).body.id;
  }, 180_000);
  afterAll(async () => {
    await node?.close();
  });

  it('builds the spread tree with K by level and its decay, and the figures per share, sharer, room and product', async () => {
    // Level 0: Ann shares the room; three anonymous visitors come. Two of them share on (level 1):
    // the first brings two new visitors, the second one; one of those shares the product (level 2).
    const ann = await node.userToken('13863001001');
    const root = await share(node, { token: ann.token }, 'room', roomId);
    const [v1, v2, v3] = [newDevice(), newDevice(), newDevice()];
    for (const v of [v1, v2, v3]) await visit(node, root.token, { visitorKey: v });
    const s1 = await share(node, { visitorKey: v1 }, 'room', roomId);
    const s2 = await share(node, { visitorKey: v2 }, 'product', product.productId);
    expect([s1.parentShareId, s1.depth, s2.parentShareId, s2.depth]).toEqual([root.id, 1, root.id, 1]);
    const [v4, v5, v6] = [newDevice(), newDevice(), newDevice()];
    await visit(node, s1.token, { visitorKey: v4 });
    await visit(node, s1.token, { visitorKey: v5 });
    await visit(node, s1.token, { visitorKey: v5 }); // a second visit: one visitor, two visits
    await visit(node, s2.token, { visitorKey: v6 });
    await visit(node, s2.token, { visitorKey: v3 }); // not new: v3 came through the root first
    const s3 = await share(node, { visitorKey: v6 }, 'product', product.productId);
    expect(s3).toMatchObject({ parentShareId: s2.id, depth: 2 });
    // v4 signs up and buys: the order is the room share s1's (last touch).
    const buyer = await signUp(node, '13863001002', v4);
    const paid = await paidCheckout(node, buyer, 'analytics-1', [{ skuId: product.skuId, quantity: 3 }]);
    await settle(node);

    const spread = await get(`/api/merchants/${shop.merchantId}/growth/spread`);
    expect(spread.status).toBe(200);
    expect(spread.body.levels).toEqual([
      { depth: 0, shares: 1, sharers: 1, newVisitors: 3, k: 3, decay: null },
      { depth: 1, shares: 2, sharers: 2, newVisitors: 3, k: 1.5, decay: 0.5 },
      { depth: 2, shares: 1, sharers: 1, newVisitors: 0, k: 0, decay: 0 },
    ]);
    expect(spread.body).toMatchObject({ sharers: 4, newVisitors: 6, k: 1.5, maxDepth: 2 });
    expect(spread.body.nodes.map((n: { shareId: number; depth: number }) => [n.shareId, n.depth])).toEqual([
      [root.id, 0],
      [s1.id, 1],
      [s2.id, 1],
      [s3.id, 2],
    ]);
    const under = await get(`/api/merchants/${shop.merchantId}/growth/spread?rootShareId=${s2.id}`);
    expect(under.body.nodes.map((n: { shareId: number; depth: number }) => [n.shareId, n.depth])).toEqual([
      [s2.id, 0],
      [s3.id, 1],
    ]);

    const byShare = (await get(`/api/merchants/${shop.merchantId}/growth/shares?by=share`)).body;
    const row = (id: number) => byShare.rows.find((r: { id: number }) => r.id === id);
    expect(row(s1.id)).toMatchObject({ visitors: 2, visits: 3, newVisitors: 2, signups: 1, orders: 1 });
    expect(row(s1.id).gmvFen).toBe(paid.orders[0]!.totalFen);
    expect(row(s2.id)).toMatchObject({ visitors: 2, visits: 2, newVisitors: 1, orders: 0 });
    expect(byShare.totals).toMatchObject({ shares: 4, newVisitors: 6, orders: 1 });

    const byRoom = (await get(`/api/merchants/${shop.merchantId}/growth/shares?by=room`)).body.rows;
    expect(byRoom).toEqual([
      expect.objectContaining({ id: roomId, label: '统计直播间', shares: 2, newVisitors: 5, orders: 1 }),
    ]);
    const byProduct = (await get(`/api/merchants/${shop.merchantId}/growth/shares?by=product`)).body.rows;
    expect(byProduct).toEqual([expect.objectContaining({ id: product.productId, shares: 2, newVisitors: 1 })]);
    const live = await get(`/api/merchants/${shop.merchantId}/growth/rooms/${roomId}/live`);
    expect(live.body).toEqual({ shares: 2, visits: 6, attributedOrders: 0, attributedGmvFen: 0 });
    // Nothing in a range before any of it happened.
    const early = await get(
      `/api/merchants/${shop.merchantId}/growth/shares?by=share&to=${encodeURIComponent('2020-01-01T00:00:00Z')}`,
    );
    expect(early.body.rows).toEqual([]);
  });

  it('lets a viewer into a "share the room" lucky bag once they shared the room during it', async () => {
    await node.app.ctx.services.live.goLive(roomId);
    const bag = await node.api('POST', `/api/merchants/${shop.merchantId}/rooms/${roomId}/lucky-bags`, {
      token: shop.owner.token,
      body: {
        title: '分享福袋',
        prize: { kind: 'other', description: '神秘礼物' },
        winners: 1,
        condition: { kind: 'share_room' },
        minutes: 5,
      },
    });
    expect(bag.status).toBe(201);
    const fan = await node.userToken('13863002001');
    const enter = () => node.api('POST', `/api/lucky-bags/${bag.body.bagId}/enter`, { token: fan.token });
    expect((await enter()).body.error.code).toBe('CONDITION_NOT_MET');
    await share(node, { token: fan.token }, 'product', product.productId); // another thing: not enough
    expect((await enter()).body.error.code).toBe('CONDITION_NOT_MET');
    await share(node, { token: fan.token }, 'room', roomId);
    expect((await enter()).body).toEqual({ entered: true });
  });

  it("carries the room's share numbers in its live-metrics frame to the shop's staff", async () => {
    await node.app.ctx.services.live.goLive(roomId);
    const staff = await Viewer.connect(node, { token: shop.owner.token });
    try {
      await staff.join(roomId);
      await node.app.ctx.services.analytics.tick();
      const frame = await staff.waitFor((f) => f.type === 'analytics.metrics' && f.data.roomId === roomId, 15_000);
      const live = (await get(`/api/merchants/${shop.merchantId}/growth/rooms/${roomId}/live`)).body;
      expect(frame.data.shares).toEqual(live);
      expect(live.shares).toBeGreaterThanOrEqual(2);
    } finally {
      staff.close();
    }
  });

  it("answers 404 for another shop's ids and 4xx with a stable code for bad input", async () => {
    const ann = await node.userToken('13863003001');
    const foreign = await share(node, { token: ann.token }, 'room', otherRoomId);
    const base = `/api/merchants/${shop.merchantId}/growth`;
    // Another shop's staff are refused at the door (the route guard), not shown this shop's figures.
    expect((await get(`${base}/shares?by=share`, other.owner.token)).status).toBe(403);
    expect((await get(`${base}/spread?rootShareId=${foreign.id}`)).body.error.code).toBe('SHARE_NOT_FOUND');
    expect((await get(`${base}/rooms/${otherRoomId}/live`)).body.error.code).toBe('ROOM_NOT_FOUND');
    expect((await get(`${base}/shares?by=room&roomId=${otherRoomId}`)).body.error.code).toBe('ROOM_NOT_FOUND');
    const foreignCoupon = (
      await node.api('POST', `/api/merchants/${other.merchantId}/coupons`, {
        token: other.owner.token,
        body: { title: '别家券', kind: 'fixed', amountFen: 100, validDays: 3, totalQuantity: 10, channels: ['invite'] },
      })
    ).body.id;
    const put = await node.api('PUT', `${base}/invite-settings`, {
      token: shop.owner.token,
      body: {
        enabled: true,
        inviter: { couponTemplateIds: [foreignCoupon], points: 0 },
        invitee: { couponTemplateIds: [], points: 0 },
      },
    });
    expect(put.status).toBe(404);
    // A visit with another shop's room is not a room entry of this share.
    const mine = await share(node, { token: ann.token }, 'room', roomId);
    const cross = await node.api('POST', `/api/shares/${mine.token}/visits`, {
      body: { visitorKey: newDevice(), roomId: otherRoomId },
    });
    expect(cross.body.error.code).toBe('ROOM_NOT_FOUND');
    // Bad input.
    const bad = (body: unknown) => node.api('POST', '/api/shares', { body });
    expect((await bad({ targetKind: 'room', targetId: roomId })).body.error.code).toBe('VISITOR_KEY_REQUIRED');
    expect((await bad({ targetKind: 'spaceship', targetId: 1, visitorKey: newDevice() })).status).toBe(400);
    expect((await bad({ targetKind: 'room', targetId: 99_999_999, visitorKey: newDevice() })).status).toBe(404);
    expect(
      (await bad({ targetKind: 'invite', targetId: shop.merchantId, visitorKey: newDevice() })).body.error.code,
    ).toBe('SIGN_IN_TO_INVITE');
    expect(
      (await node.api('POST', '/api/shares', { token: ann.token, body: { targetKind: 'promoter', targetId: 1 } })).body
        .error.code,
    ).toBe('SHARE_TARGET_INVALID');
    expect(
      (await node.api('POST', '/api/shares', { token: ann.token, body: { targetKind: 'poster', targetId: 1 } })).body
        .error.code,
    ).toBe('MERCHANT_REQUIRED');
    expect(
      (
        await node.api('POST', '/api/shares', {
          token: ann.token,
          body: { targetKind: 'room', targetId: roomId, merchantId: other.merchantId },
        })
      ).body.error.code,
    ).toBe('SHARE_TARGET_INVALID');
    expect(
      (await node.api('POST', '/api/shares/nosuchtoken1/visits', { body: { visitorKey: newDevice() } })).status,
    ).toBe(404);
    expect((await node.api('POST', `/api/shares/${mine.token}/visits`, { body: { visitorKey: 'x' } })).status).toBe(
      400,
    );
    expect((await get(`${base}/shares?by=everything`)).status).toBe(400);
  });

  it('rewards one invitation when 20 first payments are handled at once', async () => {
    await node.api('PUT', `/api/merchants/${shop.merchantId}/growth/invite-settings`, {
      token: shop.owner.token,
      body: {
        enabled: true,
        inviter: { couponTemplateIds: [], points: 40 },
        invitee: { couponTemplateIds: [], points: 0 },
      },
    });
    const inviter = await node.userToken('13863004001');
    const link = await share(node, { token: inviter.token }, 'invite', shop.merchantId);
    const device = newDevice();
    await visit(node, link.token, { visitorKey: device });
    const invitee = await signUp(node, '13863004002', device);
    await settle(node);
    const invitations = node.app.ctx.services.growth.invitations;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        transact(node.app.ctx.db, (trx) =>
          invitations.onPaid(trx, { orderId: 900_000 + i, merchantId: shop.merchantId, userId: invitee.userId }),
        ),
      ),
    );
    expect(await pointsBalance(node, inviter.userId)).toBe(40);
    const sent = (await node.api('GET', '/api/me/invitations', { token: inviter.token })).body.sent;
    expect(sent).toHaveLength(1);
    expect(sent[0].rewards).toHaveLength(1);
  });
});
