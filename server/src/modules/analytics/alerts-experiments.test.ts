// Alerts on a live room with real viewers and a real webhook receiver; A/B assignment and results.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { until } from '../../../test/order-fixtures.ts';
import { Viewer } from '../realtime/test-support.ts';
import { ANALYTICS_TEST_CONFIG, PHONE_UA } from './test-support.ts';
import crypto from 'node:crypto';
import { hashUnit, pickVariant, twoProportionTest } from './experiments.ts';

describe('A/B assignment and statistics', () => {
  it('assigns stably and splits by weight within tolerance', () => {
    const units = Array.from({ length: 20_000 }, (_, i) => `d:device-${i}`);
    const even = units.map((u) =>
      pickVariant(
        [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1 },
        ],
        hashUnit('cover-test', u),
      ),
    );
    expect(Math.abs(even.filter((v) => v === 'a').length / units.length - 0.5)).toBeLessThan(0.015);
    const skewed = units.map((u) =>
      pickVariant(
        [
          { key: 'a', weight: 9 },
          { key: 'b', weight: 1 },
        ],
        hashUnit('price-test', u),
      ),
    );
    expect(Math.abs(skewed.filter((v) => v === 'b').length / units.length - 0.1)).toBeLessThan(0.01);
    expect(
      units.slice(0, 100).map((u) =>
        pickVariant(
          [
            { key: 'a', weight: 1 },
            { key: 'b', weight: 1 },
          ],
          hashUnit('cover-test', u),
        ),
      ),
    ).toEqual(even.slice(0, 100));
    // Different experiments split the same people independently.
    const other = units.map((u) =>
      pickVariant(
        [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1 },
        ],
        hashUnit('another-test', u),
      ),
    );
    const agree = even.filter((v, i) => v === other[i]).length / units.length;
    expect(Math.abs(agree - 0.5)).toBeLessThan(0.02);
  });

  it('computes the pooled two-proportion z-test', () => {
    const r = twoProportionTest({ n: 1000, conversions: 100 }, { n: 1000, conversions: 130 })!;
    expect(r.z).toBeCloseTo(2.1027, 3);
    expect(r.pValue).toBeCloseTo(0.0355, 3);
    expect(twoProportionTest({ n: 0, conversions: 0 }, { n: 10, conversions: 1 })).toBeNull();
  });
});

describe.each(APP_BACKENDS)('alerts and experiments on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let roomId: number;
  let receiver: http.Server;
  let webhookUrl = '';
  const received: Array<{ eventId: number; alert: { id: number; message: string; value: number } }> = [];
  const signatures: Array<{ header: string; body: string }> = [];
  let failNext = true;

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: ANALYTICS_TEST_CONFIG });
    shop = await makeShop(node, '预警小店', '13800009101');
    roomId = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '预警直播间' },
      })
    ).body.id;
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        // The first delivery fails, as a flaky receiver would; the outbox must retry it.
        if (failNext) {
          failNext = false;
          res.writeHead(503).end();
          return;
        }
        received.push(JSON.parse(body));
        signatures.push({ header: String(req.headers['x-livemall-signature']), body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await node?.close();
    await new Promise((r) => receiver?.close(r));
  });

  it('fires an online-drop alert once per cool-down, in the console and at the webhook', async () => {
    const rules = `/api/merchants/${shop.merchantId}/alert-rules`;
    expect(
      (await node.api('POST', rules, { token: shop.owner.token, body: { name: 'x', metric: 'bounce', threshold: 1 } }))
        .status,
    ).toBe(400);
    const badHook = await node.api('POST', rules, {
      token: shop.owner.token,
      body: { name: 'x', metric: 'online_below', threshold: 1, webhookUrl: 'ftp://example.com/x' },
    });
    expect(badHook.body.error.code).toBe('BAD_WEBHOOK_URL');
    // By default a tenant's webhook may not point into the host's own network.
    node.app.ctx.config.analytics.webhookAllowPrivate = false;
    const internal = await node.api('POST', rules, {
      token: shop.owner.token,
      body: { name: 'x', metric: 'online_below', threshold: 1, webhookUrl },
    });
    node.app.ctx.config.analytics.webhookAllowPrivate = true;
    expect(internal.body.error).toMatchObject({ code: 'BAD_WEBHOOK_URL', message: expect.stringContaining('private') });
    const rule = await node.api('POST', rules, {
      token: shop.owner.token,
      body: {
        name: '掉线预警',
        metric: 'online_drop_pct',
        threshold: 10,
        minVisitors: 5,
        cooldownSec: 300,
        webhookUrl,
      },
    });
    expect(rule.status).toBe(201);
    expect(rule.body.webhookSecret).toMatch(/^whsec_/);
    expect((await node.api('GET', rules, { token: shop.owner.token })).body[0]).not.toHaveProperty('webhookSecret');

    await node.app.ctx.services.live.goLive(roomId);
    const console_ = await Viewer.connect(node, { token: shop.owner.token });
    await console_.join(roomId);
    const shopper = await Viewer.connect(node);
    await shopper.join(roomId);
    const crowd = await Promise.all(Array.from({ length: 9 }, () => Viewer.connect(node)));
    await Promise.all(crowd.map((v) => v.join(roomId)));
    const online = async () => (await node.app.ctx.services.realtime.roomOnline(roomId)).online;
    // The console is the shop's own: not a viewer (1 shopper + 9).
    await until(async () => (await online()) === 10);

    const analytics = node.app.ctx.services.analytics;
    const t0 = Date.now();
    const at = (s: number) => ({ now: new Date(t0 + s * 1000) });
    expect((await analytics.tick(at(0))).alerts).toHaveLength(0);
    for (const v of crowd.slice(0, 5)) v.close();
    await until(async () => (await online()) === 5);
    const first = await analytics.tick(at(60));
    expect(first.alerts).toHaveLength(1);
    expect(first.alerts[0]!.value).toBe(50); // 10 → 5
    expect((await analytics.tick(at(70))).alerts).toHaveLength(0); // still dropped, but cooling down

    const back = await Promise.all(Array.from({ length: 5 }, () => Viewer.connect(node)));
    await Promise.all(back.map((v) => v.join(roomId)));
    await until(async () => (await online()) === 10);
    expect((await analytics.tick(at(400))).alerts).toHaveLength(0);
    for (const v of back) v.close();
    await until(async () => (await online()) === 5);
    expect((await analytics.tick(at(460))).alerts).toHaveLength(1);

    const list = (
      await node.api('GET', `/api/merchants/${shop.merchantId}/alerts?roomId=${roomId}`, { token: shop.owner.token })
    ).body;
    expect(list.map((a: any) => a.value)).toEqual([50, 50]);
    await until(async () => received.length === 2);
    expect(new Set(received.map((r) => r.alert.id))).toEqual(new Set(list.map((a: any) => a.id)));
    expect(received[0]!.alert.message).toContain('预警直播间');
    // Each delivery is signed with the rule's secret over "t.body".
    for (const { header, body } of signatures) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
      expect(v1).toBe(crypto.createHmac('sha256', rule.body.webhookSecret).update(`${t}.${body}`).digest('hex'));
    }

    // The console got the alert and the live numbers; the shopper got neither.
    await console_.waitFor((f) => f.type === 'analytics.alert');
    const metrics = await console_.waitFor((f) => f.type === 'analytics.metrics');
    expect(metrics.data).toMatchObject({
      roomId,
      online: expect.any(Number),
      summary: expect.objectContaining({ viewers: expect.any(Number) }),
    });
    await shopper.waitFor((f) => f.type === 'presence');
    expect(shopper.frames.some((f) => f.type.startsWith('analytics.'))).toBe(false);
    const peak = (
      await node.api('GET', `/api/merchants/${shop.merchantId}/analytics/rooms/${roomId}`, { token: shop.owner.token })
    ).body.summary.peakOnline;
    expect(peak).toBe(10);
    for (const v of [console_, shopper, ...crowd.slice(5)]) v.close();
  });

  it('records exposures and conversions per variant and tests them against the control', async () => {
    const { productId } = await simpleProduct(node, shop, '封面测试款', 3900, 50);
    const base = `/api/merchants/${shop.merchantId}/experiments`;
    const body = {
      key: 'room-cover',
      name: '直播间封面',
      variants: [
        { key: 'old', weight: 1 },
        { key: 'new', weight: 1 },
      ],
      goal: 'add_to_cart',
    };
    expect(
      (
        await node.api('POST', base, {
          token: shop.owner.token,
          body: { ...body, variants: [{ key: 'only', weight: 1 }] },
        })
      ).status,
    ).toBe(400);
    const x = await node.api('POST', base, { token: shop.owner.token, body });
    expect(x.status).toBe(201);
    expect((await node.api('POST', base, { token: shop.owner.token, body })).body.error.code).toBe('EXPERIMENT_EXISTS');

    const assign = (deviceId: string) =>
      node.api('POST', `/api/shops/${shop.merchantId}/experiments/room-cover/assignment`, { body: { deviceId } });
    const devices = Array.from({ length: 60 }, (_, i) => `dev-ab-${String(i).padStart(4, '0')}`);
    const variants = new Map<string, string>();
    for (const d of devices) variants.set(d, (await assign(d)).body.variant);
    expect((await assign(devices[0]!)).body.variant).toBe(variants.get(devices[0]!));
    // Every "new" device adds to cart; one in three "old" ones does.
    const converting = devices.filter((d, i) => variants.get(d) === 'new' || i % 3 === 0);
    for (const d of converting) {
      await node.api('POST', '/api/analytics/events', {
        body: { deviceId: d, events: [{ type: 'add_to_cart', productId }] },
        headers: { 'user-agent': PHONE_UA },
      });
    }
    await node.app.ctx.services.analytics.tick();
    const res = (await node.api('GET', `${base}/${x.body.id}/results`, { token: shop.owner.token })).body;
    const count = (v: string) => devices.filter((d) => variants.get(d) === v).length;
    const conv = (v: string) => converting.filter((d) => variants.get(d) === v).length;
    expect(res.variants.map((v: any) => [v.variant, v.exposures, v.conversions])).toEqual([
      ['old', count('old'), conv('old')],
      ['new', count('new'), conv('new')],
    ]);
    const expected = twoProportionTest(
      { n: count('old'), conversions: conv('old') },
      { n: count('new'), conversions: conv('new') },
    )!;
    expect(res.variants[1].z).toBeCloseTo(expected.z, 3);
    expect(res.variants[1].significant).toBe(expected.pValue < 0.05);
    expect(res.variants[0].z).toBeNull();

    // Stopped: everyone sees the control and nothing more is recorded.
    await node.api('PUT', `${base}/${x.body.id}/status`, { token: shop.owner.token, body: { status: 'stopped' } });
    expect((await assign('dev-ab-late-0001')).body).toMatchObject({ variant: 'old', running: false });
  });
});
