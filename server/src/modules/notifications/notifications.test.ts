import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import type { ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { transact } from '../../platform/db/transact.ts';
import {
  asBuyer,
  asShop,
  failures,
  paidCheckout,
  product,
  settle,
  shopWithShipping,
} from '../aftersales/test-support.ts';

describe.each(APP_BACKENDS)('message centre on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let skuId: number;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await shopWithShipping(node, '消息小店', '13870000001');
    skuId = await product(node, shop, '消息测试商品', 2990);
  }, 180_000);
  afterAll(async () => node?.close());

  const messages = async (token: string, query = '') =>
    (await node.api('GET', `/api/me/messages${query}`, { token })).body;
  const unread = async (token: string) => (await node.api('GET', '/api/me/messages/unread', { token })).body;

  it('tells the shopper their order was paid and shipped, and counts what they have not read', async () => {
    const buyer = await node.userToken('13870000101');
    const paid = await paidCheckout(node, buyer, 'msg-order-1', [{ skuId, quantity: 1 }]);
    const orderId = paid.orders[0]!.orderId;
    expect((await asShop(node, shop).ship(orderId)).status).toBe(200);
    await settle(node);
    const page = await messages(buyer.token, '?kind=order');
    expect(page.items.map((m: { topic: string }) => m.topic)).toEqual(['order.shipped', 'order.paid']);
    expect(page.items[1]).toMatchObject({
      kind: 'order',
      ref: `order:${orderId}`,
      read: false,
      merchantId: shop.merchantId,
      params: { orderId, shop: '消息小店', totalFen: paid.orders[0]!.totalFen },
    });
    expect(await unread(buyer.token)).toMatchObject({ total: 2, byKind: { order: 2, service: 0 } });

    const read = await node.api('POST', '/api/me/messages/read', {
      token: buyer.token,
      body: { ref: `order:${orderId}` },
    });
    expect(read.body).toMatchObject({ updated: 2, unread: { total: 0 } });
    expect((await messages(buyer.token, '?unread=true')).items).toEqual([]);
    expect((await node.api('POST', '/api/me/messages/read', { token: buyer.token, body: {} })).body.error.code).toBe(
      'MESSAGES_READ_EMPTY',
    );
    // Order notices do not go out by SMS unless the shopper asks for it.
    expect(node.app.ctx.services.notifications.smsSandbox!.sent.filter((s) => s.ref === `order:${orderId}`)).toEqual(
      [],
    );
    expect(await failures(node)).toEqual({ events: [], jobs: [] });
  });

  it('sends an after-sales notice when the shopper asks for a refund and when the money is back', async () => {
    const buyer = await node.userToken('13870000102');
    const paid = await paidCheckout(node, buyer, 'msg-order-2', [{ skuId, quantity: 1 }]);
    const order = paid.orders[0]!;
    const req = await asBuyer(node, buyer.token).request(order.orderId, [{ lineId: order.lines[0]!.id, quantity: 1 }]);
    expect(req.status, JSON.stringify(req.body)).toBe(201);
    expect((await asShop(node, shop).approve(req.body.id)).status).toBe(200);
    await settle(node);
    const page = await messages(buyer.token, '?kind=aftersale');
    expect(page.items.map((m: { topic: string }) => m.topic)).toEqual(['order.refunded', 'aftersale.requested']);
    expect(page.items[0].params).toMatchObject({ orderId: order.orderId, amountFen: order.totalFen, full: 1 });
    expect(page.items[1].ref).toBe(`aftersale:${req.body.id}`);
  });

  it('respects the switches: an order kind turned off makes no notice, SMS turned on sends one', async () => {
    const off = await node.userToken('13870000103');
    const prefs = await node.api('GET', '/api/me/message-preferences', { token: off.token });
    expect(prefs.body.find((p: { kind: string }) => p.kind === 'marketing')).toEqual({
      kind: 'marketing',
      enabled: false,
      sms: false,
      wechat: false,
    });
    const switched = await node.api('PATCH', '/api/me/message-preferences/order', {
      token: off.token,
      body: { enabled: false },
    });
    expect(switched.body.find((p: { kind: string }) => p.kind === 'order')).toMatchObject({
      enabled: false,
      wechat: true,
    });
    expect(
      (await node.api('PATCH', '/api/me/message-preferences/order', { token: off.token, body: {} })).body.error.code,
    ).toBe('PREFERENCE_EMPTY');
    await paidCheckout(node, off, 'msg-order-3', [{ skuId, quantity: 1 }]);

    const sms = await node.userToken('13870000104');
    await node.api('PATCH', '/api/me/message-preferences/order', { token: sms.token, body: { sms: true } });
    const paid = await paidCheckout(node, sms, 'msg-order-4', [{ skuId, quantity: 1 }]);
    await settle(node);
    expect((await messages(off.token)).items).toEqual([]);
    expect((await messages(sms.token)).items).toHaveLength(1);
    const sent = node.app.ctx.services.notifications.smsSandbox!.sent.filter(
      (s) => s.ref === `order:${paid.orders[0]!.orderId}`,
    );
    expect(sent).toEqual([expect.objectContaining({ phone: '13870000104', text: expect.stringContaining('已付款') })]);
  });

  it('keeps every switch when two devices flip different ones at the same time', async () => {
    const u = await node.userToken('13870000108');
    const flips = Array.from({ length: 20 }, (_, i) =>
      node.api('PATCH', '/api/me/message-preferences/live', {
        token: u.token,
        body: i % 2 === 0 ? { sms: true } : { wechat: false },
      }),
    );
    expect((await Promise.all(flips)).map((r) => r.status)).toEqual(Array(20).fill(200));
    const prefs = await node.api('GET', '/api/me/message-preferences', { token: u.token });
    expect(prefs.body.find((p: { kind: string }) => p.kind === 'live')).toEqual({
      kind: 'live',
      enabled: true,
      sms: true,
      wechat: false,
    });
  });

  it('makes a notice delivered twice one notice with one SMS', async () => {
    const buyer = await node.userToken('13870000105');
    const centre = node.app.ctx.services.notifications.centre;
    const input = {
      kind: 'service' as const,
      topic: 'support.reply',
      merchantId: shop.merchantId,
      ref: 'conversation:999',
      params: { preview: '您好，已为您加急处理', shop: '消息小店' },
      dedupeKey: 'support.reply:message:4242',
      offline: ['sms' as const],
    };
    const made = await Promise.all(
      Array.from({ length: 20 }, () => transact(node.app.ctx.db, (trx) => centre.notify(trx, [buyer.userId], input))),
    );
    expect(made.flat()).toHaveLength(1);
    await settle(node);
    expect((await messages(buyer.token, '?kind=service')).items).toHaveLength(1);
    const sent = node.app.ctx.services.notifications.smsSandbox!.sent.filter((s) => s.ref === 'conversation:999');
    expect(sent.map((s) => s.text)).toEqual(['【消息小店】客服回复了您：您好，已为您加急处理']);
  });

  it("keeps each shopper's messages their own", async () => {
    const a = await node.userToken('13870000106');
    const b = await node.userToken('13870000107');
    const centre = node.app.ctx.services.notifications.centre;
    const [id] = await transact(node.app.ctx.db, (trx) =>
      centre.notify(trx, [a.userId], {
        kind: 'order',
        topic: 'order.paid',
        ref: 'order:1',
        params: {},
        dedupeKey: 'tenancy-test',
      }),
    );
    expect((await messages(b.token)).items).toEqual([]);
    const tried = await node.api('POST', '/api/me/messages/read', { token: b.token, body: { ids: [id!] } });
    expect(tried.body.updated).toBe(0);
    expect((await unread(a.token)).total).toBe(1);
    expect((await node.api('GET', '/api/me/messages')).status).toBe(401);
    expect((await node.api('GET', '/api/me/messages?kind=nope', { token: a.token })).status).toBe(400);
  });
});
