// Rooms through the HTTP API and a real WebSocket viewer: scheduling, bag and pin, reminders,
// visibility and invites, stream keys, tenancy. (Video itself: media/media.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { Viewer } from '../realtime/test-support.ts';

describe.each(APP_BACKENDS)('live rooms on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  let products: number[];
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, 'Rooms Shop', '13810000001');
    other = await makeShop(node, 'Other Shop', '13810000002');
    products = [];
    for (const t of ['芒果', '荔枝', '椰子']) products.push((await simpleProduct(node, shop, t, 1990, 10)).productId);
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });

  const create = (body: Record<string, unknown>, s = shop) =>
    node.api('POST', `/api/merchants/${s.merchantId}/rooms`, { token: s.owner.token, body });

  it('schedules a trailer with a product bag and lists it as upcoming, never as live', async () => {
    const at = new Date(Date.now() + 3600_000).toISOString();
    const r = await create({ title: '  晚八点 芒果专场 ', scheduledAt: at, productIds: [products[1], products[0]] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      title: '晚八点 芒果专场',
      status: 'scheduled',
      isPrivate: false,
      play: { flv: null, hls: null },
      replays: [],
    });
    expect(r.body.products.map((p: { id: number }) => p.id)).toEqual([products[1], products[0]]);
    const upcoming = await node.api('GET', `/api/rooms?kind=upcoming&merchantId=${shop.merchantId}`);
    expect(upcoming.body.map((x: { id: number }) => x.id)).toContain(r.body.id);
    const live = await node.api('GET', `/api/rooms?kind=live&merchantId=${shop.merchantId}`);
    expect(live.body.map((x: { id: number }) => x.id)).not.toContain(r.body.id);
  });

  it('answers bad input with stable 4xx codes', async () => {
    expect((await create({ title: '' })).status).toBe(400);
    expect((await create({ title: 'x', extra: 1 })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await create({ title: 'x', scheduledAt: 'tomorrow' })).status).toBe(400);
    const foreign = await simpleProduct(node, other, '别家的货', 100, 1);
    expect((await create({ title: 'x', productIds: [foreign.productId] })).body.error.code).toBe('PRODUCT_NOT_IN_SHOP');
    const anchor = await node.userToken('13810000009');
    expect((await create({ title: 'x', anchorUserId: anchor.userId })).body.error.code).toBe('ANCHOR_NOT_IN_TEAM');
    expect((await node.api('GET', '/api/rooms?kind=bogus')).status).toBe(400);
    expect((await node.api('GET', '/api/rooms/999999')).body.error.code).toBe('ROOM_NOT_FOUND');
  });

  it('keeps each merchant to its own rooms', async () => {
    const mine = (await create({ title: 'A 的直播间' })).body;
    const theirs = (await create({ title: 'B 的直播间' }, other)).body;
    // B's staff on A's path: refused by the guard; on B's path with A's room: not found.
    expect(
      (await node.api('GET', `/api/merchants/${shop.merchantId}/rooms`, { token: other.owner.token })).status,
    ).toBe(403);
    expect(
      (await node.api('GET', `/api/merchants/${other.merchantId}/rooms/${mine.id}/push`, { token: other.owner.token }))
        .status,
    ).toBe(404);
    expect(
      (
        await node.api('PATCH', `/api/merchants/${other.merchantId}/rooms/${mine.id}`, {
          token: other.owner.token,
          body: { title: 'hijack' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await node.api('POST', `/api/merchants/${other.merchantId}/rooms/${mine.id}/end`, { token: other.owner.token }))
        .status,
    ).toBe(404);
    expect(
      (
        await node.api('PUT', `/api/merchants/${other.merchantId}/rooms/${mine.id}/pin`, {
          token: other.owner.token,
          body: { productId: null },
        })
      ).status,
    ).toBe(404);
    const list = await node.api('GET', `/api/merchants/${other.merchantId}/rooms`, { token: other.owner.token });
    expect(list.body.map((x: { id: number }) => x.id)).toEqual([theirs.id]);
  });

  it('returns push settings for OBS and rotates the stream key', async () => {
    const room = (await create({ title: '推流设置' })).body;
    const path = `/api/merchants/${shop.merchantId}/rooms/${room.id}`;
    const first = (await node.api('GET', `${path}/push`, { token: shop.owner.token })).body;
    expect(first.pushUrl).toBe(`${first.server}/${first.streamKey}`);
    expect(first.server).toMatch(/^rtmp:\/\/[^/]+:\d+\/live$/);
    expect(first.obs).toMatchObject({ keyframeIntervalSec: 1, streamKey: first.streamKey });
    const rotated = (await node.api('POST', `${path}/stream-key`, { token: shop.owner.token })).body;
    expect(rotated.streamKey).not.toBe(first.streamKey);
    expect(await node.app.ctx.services.live.roomForKey(first.streamKey)).toBeUndefined();
    expect((await node.app.ctx.services.live.roomForKey(rotated.streamKey))?.id).toBe(room.id);
    // A customer may not read the key.
    const shopper = await node.userToken('13810000010');
    expect((await node.api('GET', `${path}/push`, { token: shopper.token })).status).toBe(403);
  });

  it('pins a bag product for viewers in real time and refuses products outside the bag', async () => {
    const room = (await create({ title: '讲解测试', productIds: [products[0], products[2]] })).body;
    const viewer = await Viewer.connect(node);
    await viewer.join(room.id);
    const path = `/api/merchants/${shop.merchantId}/rooms/${room.id}/pin`;
    expect(
      (await node.api('PUT', path, { token: shop.owner.token, body: { productId: products[1] } })).body.error.code,
    ).toBe('PRODUCT_NOT_IN_BAG');
    expect((await node.api('PUT', path, { token: shop.owner.token, body: { productId: products[2] } })).status).toBe(
      200,
    );
    const frame = await viewer.next('product.pinned');
    expect(frame.data.product).toMatchObject({ id: products[2], title: '椰子', minPriceFen: 1990 });
    const detail = (await node.api('GET', `/api/rooms/${room.id}`)).body;
    expect(detail.pinnedProductId).toBe(products[2]);
    expect(
      detail.products.filter((p: { explaining: boolean }) => p.explaining).map((p: { id: number }) => p.id),
    ).toEqual([products[2]]);
    // Reordering the bag without the pinned product clears the pin and tells viewers.
    await node.api('PATCH', `/api/merchants/${shop.merchantId}/rooms/${room.id}`, {
      token: shop.owner.token,
      body: { productIds: [products[0]] },
    });
    const bag = await viewer.next('bag.updated');
    expect(bag.data.products.map((p: { id: number }) => p.id)).toEqual([products[0]]);
    expect((await node.api('GET', `/api/rooms/${room.id}`)).body.pinnedProductId).toBeNull();
    viewer.close();
  });

  it('takes reminders for trailers and emits one reminder event with the subscribers when the show starts', async () => {
    const room = (await create({ title: '预约提醒', scheduledAt: new Date(Date.now() + 600_000).toISOString() })).body;
    const a = await node.userToken('13810000011');
    const b = await node.userToken('13810000012');
    expect((await node.api('PUT', `/api/rooms/${room.id}/remind`)).status).toBe(401);
    expect((await node.api('PUT', `/api/rooms/${room.id}/remind`, { token: a.token })).body).toEqual({
      reminded: true,
      subscribers: 1,
    });
    expect((await node.api('PUT', `/api/rooms/${room.id}/remind`, { token: a.token })).body).toEqual({
      reminded: true,
      subscribers: 1,
    });
    expect((await node.api('PUT', `/api/rooms/${room.id}/remind`, { token: b.token })).body.subscribers).toBe(2);
    expect((await node.api('DELETE', `/api/rooms/${room.id}/remind`, { token: b.token })).body).toEqual({
      reminded: false,
      subscribers: 1,
    });
    expect((await node.api('GET', `/api/rooms/${room.id}`, { token: a.token })).body.reminded).toBe(true);

    const live = node.app.ctx.services.live;
    const session = await live.goLive(room.id);
    expect(await live.goLive(room.id)).toBe(session); // a reconnecting publisher keeps its session
    const events = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select(['type', 'payload'])
      .where('aggregate_id', '=', String(room.id))
      .where('type', 'like', 'room.%')
      .execute();
    const due = events.filter((e) => e.type === 'room.reminder_due');
    expect(due).toHaveLength(1);
    expect((due[0]!.payload as { userIds: number[] }).userIds).toEqual([a.userId]);
    expect(events.filter((e) => e.type === 'room.live')).toHaveLength(1);
    expect((await node.api('PUT', `/api/rooms/${room.id}/remind`, { token: b.token })).body.error.code).toBe(
      'ROOM_NOT_UPCOMING',
    );
    // Staff end the show: it is over for good.
    expect(
      (await node.api('POST', `/api/merchants/${shop.merchantId}/rooms/${room.id}/end`, { token: shop.owner.token }))
        .status,
    ).toBe(200);
    expect((await node.api('GET', `/api/rooms/${room.id}`)).body.status).toBe('ended');
    expect(
      (
        await node.api('PATCH', `/api/merchants/${shop.merchantId}/rooms/${room.id}`, {
          token: shop.owner.token,
          body: { title: 'again' },
        })
      ).body.error.code,
    ).toBe('ROOM_ENDED');
  });

  it('hides private rooms from lists and strangers, and opens them with an invite link', async () => {
    const room = (await create({ title: '会员专场', visibility: 'private' })).body;
    expect(room.isPrivate).toBe(true);
    for (const kind of ['live', 'upcoming', 'replays']) {
      expect((await node.api('GET', `/api/rooms?kind=${kind}`)).body.map((x: { id: number }) => x.id)).not.toContain(
        room.id,
      );
    }
    const stranger = await node.userToken('13810000013');
    expect((await node.api('GET', `/api/rooms/${room.id}`, { token: stranger.token })).status).toBe(404);
    expect((await node.api('GET', `/api/rooms/${room.id}`, { token: shop.owner.token })).status).toBe(200);
    const invite = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms/${room.id}/invite`, {
        token: shop.owner.token,
        body: { ttlSec: 600 },
      })
    ).body;
    expect(invite.url).toContain(`/api/rooms/${room.id}?invite=`);
    const opened = await node.api('GET', `/api/rooms/${room.id}?invite=${invite.token}`, { token: stranger.token });
    expect(opened.status).toBe(200);
    const other2 = (await create({ title: '另一个私密间', visibility: 'private' })).body;
    expect((await node.api('GET', `/api/rooms/${other2.id}?invite=${invite.token}`)).body.error.code).toBe(
      'INVITE_INVALID',
    );
    expect(
      (await node.api('GET', `/api/rooms/${room.id}?invite=${invite.token.slice(0, -3)}abc`)).body.error.code,
    ).toBe('INVITE_INVALID');
    // Private play links are signed and expire; a tampered signature fails verification.
    const live = node.app.ctx.services.live;
    const urls = live.playUrls({ id: room.id, visibility: 'private' }, []);
    const u = new URL(urls.flv);
    const exp = Number(u.searchParams.get('exp'));
    const sig = u.searchParams.get('sig')!;
    expect(live.verifyPlay(room.id, exp, sig)).toBe(true);
    expect(live.verifyPlay(room.id + 1, exp, sig)).toBe(false);
    expect(live.verifyPlay(room.id, exp + 1, sig)).toBe(false);
    expect(
      live.verifyPlay(
        room.id,
        Math.floor(Date.now() / 1000) - 5,
        live.signPlay(room.id, Math.floor(Date.now() / 1000) - 5),
      ),
    ).toBe(false);
  });
});
