// Conversations under load and across parts: concurrent sends keep seqs gapless and a retried
// client id stores once, capacity holds when many shoppers ask at once, the bot contract (answer,
// handover, escalate with a ticket) through a stand-in bot, cards and images, and a shopper and an
// agent chatting through two nodes that share PostgreSQL and Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { simpleProduct } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { MEDIA_BYTES } from '../../../test/fixtures/media-bytes.ts';
import { until } from '../../../test/order-fixtures.ts';
import {
  device,
  messagesOf,
  online,
  openWithHuman,
  type SupportShop,
  supportShop,
  waitForSeq,
} from './test-support.ts';

const PNG = MEDIA_BYTES.png;

describe.each(APP_BACKENDS)('customer-service delivery on $name', (backend) => {
  let node: TestNode;
  let shop: SupportShop;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await supportShop(node, '并发店', 20001000, 1);
    await online(shop, 1, 50);
  }, 90_000);
  afterAll(async () => {
    await node?.close();
  });

  it('numbers 30 concurrent sends 1…n without gaps and stores 20 retries of one client id once', async () => {
    const shopper = await node.userToken('13920001101');
    const c = await openWithHuman(node, shopper, shop.merchantId);
    const send = (clientId: string, text: string) =>
      node.api('POST', `/api/me/support/conversations/${c.id}/messages`, {
        token: shopper.token,
        body: { clientId, text },
      });
    const before = (await node.api('GET', `/api/me/support/conversations/${c.id}/messages`, { token: shopper.token }))
      .body.lastSeq as number;
    const distinct = await Promise.all(Array.from({ length: 30 }, (_, i) => send(`d-${i}`, `第${i}条`)));
    const seqs = distinct.map((r) => r.body.seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => before + 1 + i));
    const retries = await Promise.all(Array.from({ length: 20 }, () => send('same', '重复发送')));
    expect(new Set(retries.map((r) => r.body.messageId)).size).toBe(1);
    expect(retries.filter((r) => r.body.duplicate === false)).toHaveLength(1);
  });

  it('never gives an agent more conversations than their capacity when 20 shoppers ask at once', async () => {
    const s = await supportShop(node, '容量店', 20002000, 1);
    await online(s, 1, 3);
    const shoppers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => node.userToken(`139200021${String(i).padStart(2, '0')}`)),
    );
    const results = await Promise.all(shoppers.map((u) => openWithHuman(node, u, s.merchantId)));
    expect(results.filter((r) => r.status === 'assigned')).toHaveLength(3);
    expect(results.filter((r) => r.status === 'queued')).toHaveLength(17);
    const agents = await s.as(0, 'GET', '/agents');
    expect(agents.body.find((a: any) => a.userId === s.agents[1]!.userId).active).toBe(3);
  });

  it('sends product cards and uploaded images, and refuses an order card of an order that is not the shopper’s', async () => {
    const shopper = await node.userToken('13920001102');
    const c = await openWithHuman(node, shopper, shop.merchantId);
    const { productId } = await simpleProduct(node, shop, '客服卡片商品', 1990, 5);
    const send = (body: object) =>
      node.api('POST', `/api/me/support/conversations/${c.id}/messages`, { token: shopper.token, body });
    const card = await send({ clientId: 'p-1', productId });
    expect(card.body.message).toMatchObject({
      kind: 'product',
      card: { type: 'product', productId, minPriceFen: 1990 },
    });
    const notOurs = await send({ clientId: 'o-1', orderId: 999999 });
    expect(notOurs.body.error.code).toBe('ORDER_NOT_FOUND');
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'a.png');
    const up = await fetch(`${node.url}/api/support/conversations/${c.id}/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shopper.token}` },
      body: form,
    });
    expect(up.status, await up.clone().text()).toBe(201);
    const { key } = (await up.json()) as { key: string };
    const image = await send({ clientId: 'i-1', imageKey: key });
    expect(image.body.message.card.type).toBe('image');
    expect((await fetch(new URL(image.body.message.card.imageUrl, node.url))).status).toBe(200);
    const stranger = await node.userToken('13920001103');
    const theirs = await fetch(`${node.url}/api/support/conversations/${c.id}/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stranger.token}` },
      body: form,
    });
    expect(theirs.status).toBe(404);
  });

  it('lets the bot answer, hand over and escalate (high priority and a ticket) through its contract', async () => {
    const services = node.app.ctx.services as unknown as Record<string, unknown>;
    const saved = { bot: services.supportBot, tickets: services.supportTickets };
    const tickets: unknown[] = [];
    services.supportBot = {
      reply: async ({ text }: { text: string }) =>
        text.includes('投诉')
          ? { action: 'escalate', text: '非常抱歉，马上为您转接', confidence: 1, intent: 'complaint', urgent: true }
          : text.includes('人工')
            ? { action: 'handover', confidence: 0.2, urgent: false }
            : { action: 'answer', text: '您的包裹已发货', confidence: 0.9, intent: 'parcel', urgent: false },
    };
    services.supportTickets = { openFromConversation: async (t: unknown) => tickets.push(t) };
    try {
      const s = await supportShop(node, '机器人店', 20003000, 1);
      const shopper = await node.userToken('13920001104');
      const opened = await node.api('POST', '/api/me/support/conversations', {
        token: shopper.token,
        body: { merchantId: s.merchantId },
      });
      const id = opened.body.conversation.id;
      expect(opened.body.conversation.status).toBe('bot');
      const phone = await device(node, shopper.token);
      const ask = await phone.request('support.send', { conversationId: id, clientId: 'q-1', text: '我的快递到哪了' });
      const answer = await waitForSeq(phone, id, ask.seq + 1);
      expect(answer.data.message).toMatchObject({ from: 'bot', text: '您的包裹已发货' });
      await phone.request('support.send', { conversationId: id, clientId: 'q-2', text: '我要投诉你们' });
      await until(
        async () =>
          (await node.api('GET', '/api/me/support/conversations', { token: shopper.token })).body[0].status !== 'bot',
      );
      const now = (await node.api('GET', '/api/me/support/conversations', { token: shopper.token })).body[0];
      expect(now).toMatchObject({ id, status: 'left_message', priority: 'high' });
      expect(tickets).toMatchObject([{ merchantId: s.merchantId, conversationId: id, priority: 'high' }]);
      expect(messagesOf(phone, id).map((m: any) => m.from)).toContain('bot');
      phone.close();
    } finally {
      services.supportBot = saved.bot;
      services.supportTickets = saved.tickets;
    }
  });
});

const shared = process.env.DATABASE_URL && process.env.REDIS_URL;
describe.runIf(shared)('a shopper and an agent on two nodes sharing PostgreSQL and Redis', () => {
  let a: TestNode;
  let b: TestNode;
  beforeAll(async () => {
    a = await startNode({ db: 'postgres', cache: 'redis' });
    b = await startNode({ databaseUrl: a.config.databaseUrl!, cache: 'redis', redisPrefix: a.config.redisPrefix });
  }, 90_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('chats across the nodes in order, and the shopper resumes on the other node after a disconnect', async () => {
    const shop = await supportShop(a, '双节点店', 20004000, 1);
    await online(shop, 1, 5);
    const shopper = await a.userToken('13920004101');
    const c = await openWithHuman(a, shopper, shop.merchantId);
    expect(c.agentUserId).toBe(shop.agents[1]!.userId);
    let phone = await device(a, shopper.token);
    const agent = await device(b, shop.agents[1]!.token);
    const seqs: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [who, text] = i % 2 ? [agent, `客服 ${i}`] : [phone, `买家 ${i}`];
      seqs.push((await who.request('support.send', { conversationId: c.id, clientId: `x-${i}`, text })).seq);
    }
    await waitForSeq(phone, c.id, seqs[5]!);
    await waitForSeq(agent, c.id, seqs[5]!);
    expect(messagesOf(phone, c.id).map((m: any) => m.seq)).toEqual(seqs);
    expect(messagesOf(agent, c.id).map((m: any) => m.seq)).toEqual(seqs);
    phone.close();
    const missed = [];
    for (let i = 0; i < 3; i++)
      missed.push(
        (await agent.request('support.send', { conversationId: c.id, clientId: `y-${i}`, text: `离线 ${i}` })).seq,
      );
    phone = await device(b, shopper.token, [{ conversationId: c.id, after: seqs[5] }]);
    expect(messagesOf(phone, c.id).map((m: any) => m.seq)).toEqual(missed);
    phone.close();
    agent.close();
  });
});
