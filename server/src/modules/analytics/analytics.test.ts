// A scripted show fed through the real beacon, outbox, chat and rollup, asserting exact numbers.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor, payWithSandbox, until } from '../../../test/order-fixtures.ts';
import { Viewer } from '../realtime/test-support.ts';
import { ANALYTICS_TEST_CONFIG, PHONE_UA } from './test-support.ts';

describe.each(APP_BACKENDS)('analytics on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let roomId: number;
  let productId: number;
  let skuId: number;
  const beacon = (deviceId: string, events: unknown[], opts: { token?: string; ua?: string } = {}) =>
    node.api('POST', '/api/analytics/events', {
      body: { deviceId, events },
      headers: { 'user-agent': opts.ua ?? PHONE_UA },
      ...(opts.token ? { token: opts.token } : {}),
    });
  const dashboard = async () =>
    (await node.api('GET', `/api/merchants/${shop.merchantId}/analytics/rooms/${roomId}`, { token: shop.owner.token }))
      .body;

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: ANALYTICS_TEST_CONFIG });
    shop = await makeShop(node, '数据小店', '13800009001');
    ({ productId, skuId } = await simpleProduct(node, shop, '爆款卫衣', 5000, 100));
    roomId = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '数据直播间', productIds: [productId] },
      })
    ).body.id;
  });
  afterAll(async () => {
    await node?.close();
  });

  it('validates and bounds beacons, drops bots and dedupes retries', async () => {
    const bad = await node.api('POST', '/api/analytics/events', {
      body: { deviceId: 'x', events: [] },
      headers: { 'user-agent': PHONE_UA },
    });
    expect(bad.status).toBe(400);
    const tooMany = await beacon(
      'dev-limit-0001',
      Array.from({ length: 101 }, () => ({ type: 'page_view', productId })),
    );
    expect(tooMany.status).toBe(400);
    const bot = await beacon('dev-bot-00001', [{ type: 'room_enter', roomId }], {
      ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    expect(bot.body).toMatchObject({ accepted: 0, filtered: true });
    const mixed = await beacon('dev-mixed-0001', [
      { type: 'page_view', productId },
      { type: 'order_paid', roomId },
      { type: 'room_enter', roomId: 999_999 },
      { type: 'heartbeat', productId },
      { type: 'page_view', productId, at: Date.now() + 3600_000 },
    ]);
    expect(mixed.status).toBe(202);
    expect(mixed.body.accepted).toBe(1);
    expect(mixed.body.rejected).toEqual([
      { index: 1, code: 'UNKNOWN_EVENT_TYPE' },
      { index: 2, code: 'ROOM_NOT_FOUND' },
      { index: 3, code: 'ROOM_REQUIRED' },
      { index: 4, code: 'IN_THE_FUTURE' },
    ]);
    const again = await beacon('dev-mixed-0001', [
      { id: 'e1', type: 'share', productId },
      { id: 'e1', type: 'share', productId },
    ]);
    expect(again.body).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('counts a scripted show exactly: UV, funnel, watch time, GPM, comments, follows', async () => {
    const analytics = node.app.ctx.services.analytics;
    const buyer1 = await node.userToken('13900009001');
    const buyer2 = await node.userToken('13900009002');
    // V1: guest, stays a minute, clicks (its beacon is retried: counted once).
    const v1 = [
      { id: 'a1', type: 'exposure', roomId },
      { id: 'a2', type: 'room_enter', roomId },
      { id: 'a3', type: 'heartbeat', roomId, seconds: 30 },
      { id: 'a4', type: 'heartbeat', roomId, seconds: 30 },
      { id: 'a5', type: 'product_click', roomId, productId },
    ];
    await beacon('dev-aaaa-0001', v1);
    await beacon('dev-aaaa-0001', v1);
    // V2: guest who enters twice and leaves after 20 s. V3: only sees the room card.
    await beacon('dev-aaaa-0002', [
      { type: 'exposure', roomId },
      { type: 'room_enter', roomId },
      { type: 'heartbeat', roomId, seconds: 20 },
      { type: 'room_leave', roomId },
      { type: 'room_enter', roomId },
    ]);
    await beacon('dev-aaaa-0003', [{ type: 'exposure', roomId }]);
    // V4: watches 30 s as a guest, the rollup runs, then signs in on the same device and buys.
    await beacon('dev-bbbb-0001', [
      { type: 'exposure', roomId },
      { type: 'room_enter', roomId },
      { type: 'heartbeat', roomId, seconds: 30 },
    ]);
    await analytics.tick();
    expect((await dashboard()).summary.viewers).toBe(3);
    await beacon(
      'dev-bbbb-0001',
      [
        { type: 'heartbeat', roomId, seconds: 45 },
        { type: 'product_click', roomId, productId },
        { type: 'add_to_cart', roomId, productId },
        { type: 'checkout_start', roomId },
      ],
      { token: buyer1.token },
    );
    const addr1 = await addressFor(node, buyer1.token, '广东省');
    const order1 = await node.api('POST', '/api/orders', {
      token: buyer1.token,
      body: { idempotencyKey: 'analytics-order-0001', items: [{ skuId, quantity: 1 }], addressId: addr1.id, roomId },
    });
    expect(order1.status).toBe(201);
    await payWithSandbox(node, order1.body.payment.cashierUrl, 'succeeded');
    // V5: signed in from the start; a heartbeat claiming 90 s counts 60; comments, follows, orders 2 but never pays.
    await beacon(
      'dev-bbbb-0002',
      [
        { type: 'room_enter', roomId },
        { type: 'heartbeat', roomId, seconds: 90 },
        { type: 'product_click', roomId, productId },
      ],
      { token: buyer2.token },
    );
    const chatter = await Viewer.connect(node, { token: buyer2.token });
    await chatter.join(roomId);
    await chatter.request('chat', { text: '这件卫衣有XL吗' });
    chatter.close();
    expect((await node.api('PUT', `/api/me/follows/${shop.merchantId}`, { token: buyer2.token })).status).toBe(200);
    const addr2 = await addressFor(node, buyer2.token, '广东省');
    const order2 = await node.api('POST', '/api/orders', {
      token: buyer2.token,
      body: { idempotencyKey: 'analytics-order-0002', items: [{ skuId, quantity: 2 }], addressId: addr2.id, roomId },
    });
    expect(order2.status).toBe(201);

    // Server facts arrive through the outbox; wait for them, then roll up.
    const db = node.app.ctx.db;
    await until(
      async () =>
        Number(
          (
            await sql<{
              n: string;
            }>`select count(*) as n from analytics_events where type in ('order', 'order_paid', 'follow')`.execute(db)
          ).rows[0]!.n,
        ) === 4,
    );
    await analytics.tick();
    const d = await dashboard();
    const gmv = order1.body.orders[0].totalFen as number;
    expect(d.summary).toMatchObject({
      views: 5,
      viewers: 4,
      avgWatchSeconds: Math.round((60 + 20 + 75 + 60) / 4),
      newFollowers: 1,
      comments: 1,
      interactionRate: 0.25,
      productClicks: 3,
      carts: 1,
      orders: 2,
      paidOrders: 1,
      buyers: 1,
      gmvFen: gmv,
      gpmFen: Math.round((gmv * 1000) / 5),
      conversionRate: 0.25,
    });
    expect(d.funnel.map((s: any) => [s.stage, s.visitors])).toEqual([
      ['exposure', 4],
      ['enter', 4],
      ['stayed_1min', 3],
      ['product_click', 3],
      ['order', 2],
      ['paid', 1],
    ]);
    expect(d.products).toEqual([
      { productId, title: '爆款卫衣', clicks: 3, carts: 1, orders: 2, paidOrders: 1, gmvFen: expect.any(Number) },
    ]);
    expect(d.products[0].gmvFen).toBe(5000); // the line's payable; the order total may add shipping
    expect(d.series.reduce((s: number, p: any) => s + p.views, 0)).toBe(5);

    // The merchant's daily report agrees, and another merchant sees none of it.
    const rep = await node.api('GET', `/api/merchants/${shop.merchantId}/analytics/report?by=room`, {
      token: shop.owner.token,
    });
    expect(rep.body.rows).toEqual([
      expect.objectContaining({
        key: String(roomId),
        label: '数据直播间',
        visitors: 4,
        enters: 5,
        paidOrders: 1,
        gmvFen: gmv,
      }),
    ]);
    const other = await makeShop(node, '别家小店', '13800009002');
    expect(
      (
        await node.api('GET', `/api/merchants/${other.merchantId}/analytics/rooms/${roomId}`, {
          token: other.owner.token,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await node.api('GET', `/api/merchants/${shop.merchantId}/analytics/rooms/${roomId}`, {
          token: other.owner.token,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await node.api('GET', `/api/merchants/${other.merchantId}/analytics/report?by=room`, {
          token: other.owner.token,
        })
      ).body.rows,
    ).toEqual([]);
  });

  it('rolls up and pushes on its own through the recurring job', async () => {
    const auto = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: { analytics: { ...ANALYTICS_TEST_CONFIG.analytics, tickMs: 1000 } },
    });
    try {
      const s = await makeShop(auto, '自动小店', '13800009003');
      const r = (
        await auto.api('POST', `/api/merchants/${s.merchantId}/rooms`, {
          token: s.owner.token,
          body: { title: '自动直播间' },
        })
      ).body.id as number;
      await auto.app.ctx.services.live.goLive(r);
      const staff = await Viewer.connect(auto, { token: s.owner.token });
      await staff.join(r);
      await auto.api('POST', '/api/analytics/events', {
        body: {
          deviceId: 'dev-auto-0001',
          events: [
            { type: 'room_enter', roomId: r },
            { type: 'heartbeat', roomId: r, seconds: 15 },
          ],
        },
        headers: { 'user-agent': PHONE_UA },
      });
      const pushed = await staff.waitFor((f) => f.type === 'analytics.metrics' && f.data.summary.viewers === 1, 15_000);
      expect(pushed.data.summary).toMatchObject({ views: 1, avgWatchSeconds: 15 });
      staff.close();
    } finally {
      await auto.close();
    }
  });

  it('keeps minute, hour and day rollups equal to a recomputation from raw events, late events included', async () => {
    const analytics = node.app.ctx.services.analytics;
    const hourAgo = Date.now() - 2 * 3600_000;
    await beacon('dev-late-0001', [
      { type: 'room_enter', roomId, at: hourAgo },
      { type: 'heartbeat', roomId, seconds: 40, at: hourAgo + 40_000 },
      { type: 'product_click', productId, roomId, at: hourAgo + 50_000 },
    ]);
    await analytics.tick();
    await beacon('dev-late-0002', [
      { type: 'room_enter', roomId },
      { type: 'page_view', productId, at: hourAgo - 3600_000 },
    ]);
    await analytics.tick();
    const db = node.app.ctx.db;
    for (const grain of ['minute', 'hour', 'day'] as const) {
      const bucket =
        grain === 'day'
          ? sql.raw(`(date_trunc('day', occurred_at at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai')`)
          : sql.raw(`date_trunc('${grain}', occurred_at)`);
      const raw = await sql<Record<string, string>>`
        select ${bucket} as bucket, coalesce(room_id, 0) as room_id, count(*) filter (where type in ('page_view', 'room_enter')) as page_views,
          count(*) filter (where type = 'room_enter') as enters, coalesce(sum(seconds) filter (where type = 'heartbeat'), 0) as watch_seconds,
          count(*) filter (where type = 'product_click') as clicks, count(*) filter (where type = 'comment') as comments,
          count(*) filter (where type = 'order_paid') as paid_orders, coalesce(sum(amount_fen) filter (where type = 'order_paid'), 0) as gmv_fen
        from analytics_events where merchant_id = ${shop.merchantId} group by 1, 2 order by 1, 2`.execute(db);
      const rolled = await sql<Record<string, string>>`
        select bucket, room_id, page_views, enters, watch_seconds, clicks, comments, paid_orders, gmv_fen from analytics_rollups
        where grain = ${grain} and merchant_id = ${shop.merchantId} and product_id = 0 order by bucket, room_id`.execute(
        db,
      );
      const norm = (rows: Array<Record<string, unknown>>) =>
        rows.map((r) =>
          Object.fromEntries(
            Object.entries(r).map(([k, v]) => [k, k === 'bucket' ? new Date(v as string).toISOString() : Number(v)]),
          ),
        );
      expect(norm(rolled.rows)).toEqual(norm(raw.rows));
      expect(rolled.rows.length).toBeGreaterThan(0);
    }
    // Product rows: clicks from product events, GMV from the paid order's lines.
    const productRows = await sql<{ grain: string; clicks: string; gmv_fen: string }>`
      select grain, sum(clicks) as clicks, sum(gmv_fen) as gmv_fen from analytics_rollups where merchant_id = ${shop.merchantId} and product_id = ${productId} group by grain order by grain`.execute(
      db,
    );
    const rawClicks = await sql<{
      n: string;
    }>`select count(*) as n from analytics_events where merchant_id = ${shop.merchantId} and type = 'product_click' and product_id = ${productId}`.execute(
      db,
    );
    expect(new Set(productRows.rows.map((r) => Number(r.clicks)))).toEqual(new Set([Number(rawClicks.rows[0]!.n)]));
    expect(productRows.rows.map((r) => r.grain)).toEqual(['day', 'hour', 'minute']);
  });
});
