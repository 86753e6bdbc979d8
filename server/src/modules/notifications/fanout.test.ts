import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { transact } from '../../platform/db/transact.ts';
import { failures, runJobNow, settle } from '../aftersales/test-support.ts';

describe.each(APP_BACKENDS)('live, marketing and customer-service notices on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '开播小店', '13871000001');
    other = await makeShop(node, '别家小店', '13871000002');
  }, 180_000);
  afterAll(async () => node?.close());

  const topics = async (token: string, kind: string) =>
    (await node.api('GET', `/api/me/messages?kind=${kind}`, { token })).body.items.map(
      (m: { topic: string }) => m.topic,
    );

  it('tells followers and those who asked for a reminder that the show started, each once', async () => {
    const follower = await node.userToken('13871000101');
    const both = await node.userToken('13871000102');
    const gone = await node.userToken('13871000103');
    for (const u of [follower, both, gone]) {
      await node.api('PUT', `/api/me/follows/${shop.merchantId}`, { token: u.token });
    }
    await node.api('DELETE', `/api/me/follows/${shop.merchantId}`, { token: gone.token });
    const room = await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
      token: shop.owner.token,
      body: { title: '今晚8点上新' },
    });
    expect((await node.api('PUT', `/api/rooms/${room.body.id}/remind`, { token: both.token })).status).toBe(200);
    const session = await node.app.ctx.services.live.goLive(room.body.id);
    expect(session).toBeGreaterThan(0);
    await settle(node);
    expect(await topics(follower.token, 'live')).toEqual(['room.live']);
    expect(await topics(both.token, 'live')).toEqual(['room.reminder_due']);
    expect(await topics(gone.token, 'live')).toEqual([]);
    // A reminder delivered after the followers' notice tells nobody twice.
    await transact(node.app.ctx.db, (trx) =>
      node.app.ctx.events.emit(trx, {
        type: 'room.reminder_due',
        aggregateType: 'room',
        aggregateId: room.body.id,
        payload: {
          roomId: room.body.id,
          merchantId: shop.merchantId,
          title: '今晚8点上新',
          userIds: [follower.userId],
        },
      }),
    );
    await settle(node);
    expect(await topics(follower.token, 'live')).toEqual(['room.live']);
    const notice = (await node.api('GET', '/api/me/messages', { token: follower.token })).body.items[0];
    expect(notice).toMatchObject({ ref: `room:${room.body.id}`, params: { title: '今晚8点上新', shop: '开播小店' } });
    expect(await failures(node)).toEqual({ events: [], jobs: [] });
  });

  it('sends marketing only to followers who agreed to it', async () => {
    const agreed = await node.userToken('13871000201');
    const silent = await node.userToken('13871000202');
    for (const u of [agreed, silent]) await node.api('PUT', `/api/me/follows/${shop.merchantId}`, { token: u.token });
    await node.api('PATCH', '/api/me/message-preferences/marketing', { token: agreed.token, body: { enabled: true } });
    const p = await simpleProduct(node, shop, '上新款', 5900, 10);
    const sent = await node.api('POST', `/api/merchants/${shop.merchantId}/message-campaigns`, {
      token: shop.owner.token,
      body: { title: '双十二预告', body: '关注店铺领券', productId: p.productId },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    await settle(node);
    expect(await topics(agreed.token, 'marketing')).toEqual(['marketing.campaign']);
    expect(await topics(silent.token, 'marketing')).toEqual([]);
    const list = await node.api('GET', `/api/merchants/${shop.merchantId}/message-campaigns`, {
      token: shop.owner.token,
    });
    expect(list.body[0]).toMatchObject({ id: sent.body.id, recipients: 1, productId: p.productId });
  });

  it("refuses another shop's campaign list and a product from another shop", async () => {
    const theirs = await simpleProduct(node, other, '别家商品', 1000, 1);
    const asOther = await node.api('GET', `/api/merchants/${shop.merchantId}/message-campaigns`, {
      token: other.owner.token,
    });
    expect(asOther.status).toBe(403);
    const wrong = await node.api('POST', `/api/merchants/${shop.merchantId}/message-campaigns`, {
      token: shop.owner.token,
      body: { title: '借用', body: '别家的货', productId: theirs.productId },
    });
    expect(wrong.body.error.code).toBe('PRODUCT_NOT_IN_SHOP');
  });

  it('turns an agent reply into a notice, texts an away shopper once, and clears it when the chat is read', async () => {
    const shopper = await node.userToken('13871000301');
    await node.app.ctx.db.updateTable('users').set({ phone: '13871000301' }).where('id', '=', shopper.userId).execute();
    const emit = (messageId: number, from: 'agent' | 'bot', seq: number) =>
      transact(node.app.ctx.db, (trx) =>
        node.app.ctx.events.emit(trx, {
          type: 'support.message_sent',
          aggregateType: 'support_conversation',
          aggregateId: 77,
          payload: {
            merchantId: shop.merchantId,
            conversationId: 77,
            messageId,
            seq,
            from,
            senderUserId: from === 'agent' ? shop.owner.userId : null,
            shopperUserId: shopper.userId,
            agentUserId: shop.owner.userId,
            recipientUserIds: [shopper.userId],
            kind: 'text',
            preview: `回复${messageId}`,
            sentAt: new Date().toISOString(),
          },
        }),
      );
    await emit(9001, 'bot', 1);
    await emit(9002, 'agent', 2);
    await emit(9003, 'agent', 3);
    await settle(node);
    expect(await topics(shopper.token, 'service')).toEqual(['support.reply', 'support.reply']);
    const deliveries = await node.app.ctx.db
      .selectFrom('notification_deliveries')
      .innerJoin('notifications', 'notifications.id', 'notification_deliveries.notification_id')
      .select(['notification_deliveries.id', 'notification_deliveries.status'])
      .where('notifications.user_id', '=', shopper.userId)
      .execute();
    expect(deliveries).toHaveLength(1); // the second reply waits behind the first unread one
    expect(await runJobNow(node, `notification-delivery:${deliveries[0]!.id}`)).toBe(true);
    await settle(node);
    const sms = node.app.ctx.services.notifications.smsSandbox!.sent.filter((s) => s.ref === 'conversation:77');
    expect(sms.map((s) => s.text)).toEqual(['【开播小店】客服回复了您：回复9002']);

    await transact(node.app.ctx.db, (trx) =>
      node.app.ctx.events.emit(trx, {
        type: 'support.read',
        aggregateType: 'support_conversation',
        aggregateId: 77,
        payload: {
          merchantId: shop.merchantId,
          conversationId: 77,
          reader: 'shopper',
          readerUserId: shopper.userId,
          seq: 3,
        },
      }),
    );
    await settle(node);
    expect((await node.api('GET', '/api/me/messages/unread', { token: shopper.token })).body.byKind.service).toBe(0);
    const redelivered = await node.app.ctx.db
      .selectFrom('notifications')
      .select(sql<number>`count(*)`.as('n'))
      .where('user_id', '=', shopper.userId)
      .executeTakeFirstOrThrow();
    expect(Number(redelivered.n)).toBe(2);
  });
});
