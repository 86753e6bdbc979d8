// Conversations through real nodes and real WebSockets: leave-a-message, assignment round-robin and
// capacity, delivery in order exactly once per device (and after a reconnect), idempotent sends,
// transfer, read receipts and unread counts, moderation, tenancy and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import {
  device,
  messagesOf,
  online,
  openWithHuman,
  type SupportShop,
  supportShop,
  waitForSeq,
} from './test-support.ts';

describe.each(APP_BACKENDS)('customer-service conversations on $name', (backend) => {
  let node: TestNode;
  let shop: SupportShop;
  let other: SupportShop;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await supportShop(node, '客服测试店', 10001000, 2);
    other = await supportShop(node, '隔壁店', 10002000, 0);
    const admin = shop.admin.token;
    await node.api('POST', '/api/platform/sensitive-words', {
      token: admin,
      body: { words: [{ word: '代开发票', action: 'block' }] },
    });
    await shop.as(0, 'POST', '/../sensitive-words', { words: [{ word: '傻瓜', action: 'mask' }] });
  }, 90_000);
  afterAll(async () => {
    await node?.close();
  });

  it('leaves a message when nobody is online, and hands it to the first agent who comes online', async () => {
    const s = await supportShop(node, '留言店', 10003000, 1);
    const shopper = await node.userToken('13910003001');
    const c = await openWithHuman(node, shopper, s.merchantId);
    expect(c.status).toBe('left_message');
    const queue = await s.as(1, 'GET', '/conversations?status=waiting');
    expect(queue.body.map((q: any) => q.id)).toEqual([c.id]);
    expect(queue.body[0].waitSeconds).toBeTypeOf('number');
    await online(s, 1);
    const mine = await s.as(1, 'GET', '/conversations?mine=true');
    expect(mine.body).toMatchObject([{ id: c.id, status: 'assigned', agentUserId: s.agents[1]!.userId }]);
    const history = await node.api('GET', `/api/me/support/conversations/${c.id}/messages`, { token: shopper.token });
    expect(history.body.messages.map((m: any) => m.card?.event)).toContain('left_message');
  });

  it('assigns round-robin within capacity, queues the rest, and drains the queue when a slot frees', async () => {
    const s = await supportShop(node, '轮询店', 10004000, 2);
    await online(s, 1, 1);
    await online(s, 2, 1);
    const shoppers = await Promise.all([1, 2, 3].map((i) => node.userToken(`1391000400${i}`)));
    const first = await openWithHuman(node, shoppers[0]!, s.merchantId);
    const second = await openWithHuman(node, shoppers[1]!, s.merchantId);
    const third = await openWithHuman(node, shoppers[2]!, s.merchantId);
    expect(new Set([first.agentUserId, second.agentUserId])).toEqual(
      new Set([s.agents[1]!.userId, s.agents[2]!.userId]),
    );
    expect(third).toMatchObject({ status: 'queued', agentUserId: null });
    const agents = await s.as(0, 'GET', '/agents');
    expect(agents.body.filter((a: any) => a.active === 1)).toHaveLength(2);
    const freed = first.agentUserId === s.agents[1]!.userId ? 1 : 2;
    expect((await s.as(freed, 'POST', `/conversations/${first.id}/close`)).body.status).toBe('closed');
    const now = await node.api('GET', '/api/me/support/conversations', { token: shoppers[2]!.token });
    expect(now.body[0]).toMatchObject({ id: third.id, status: 'assigned', agentUserId: s.agents[freed]!.userId });
  });

  it('delivers every message to every device of both sides in seq order exactly once, and stores a retried send once', async () => {
    await online(shop, 1, 10);
    const shopper = await node.userToken('13910001101');
    const c = await openWithHuman(node, shopper, shop.merchantId);
    expect(c.agentUserId).toBe(shop.agents[1]!.userId);
    const phone = await device(node, shopper.token);
    const tablet = await device(node, shopper.token);
    const agent = await device(node, shop.agents[1]!.token);
    const acks = [];
    for (let i = 0; i < 10; i++) {
      const [who, text] = i % 2 ? [agent, `客服回复 ${i}`] : [phone, `买家提问 ${i}`];
      acks.push(await who.request('support.send', { conversationId: c.id, clientId: `m-${i}`, text }));
    }
    const again = await phone.request('support.send', { conversationId: c.id, clientId: 'm-0', text: '买家提问 0' });
    expect(again).toMatchObject({ duplicate: true, seq: acks[0].seq, messageId: acks[0].messageId });
    const last = acks[9].seq;
    for (const v of [phone, tablet, agent]) await waitForSeq(v, c.id, last);
    await new Promise((r) => setTimeout(r, 200)); // anything doubled would have arrived by now
    for (const v of [phone, tablet, agent]) {
      const seqs = messagesOf(v, c.id).map((m: any) => m.seq);
      expect(seqs).toEqual(acks.map((a) => a.seq));
    }
    const history = await shop.as(1, 'GET', `/conversations/${c.id}/messages?after=0&limit=200`);
    expect(history.body.messages.filter((m: any) => m.clientId === 'm-0')).toHaveLength(1);
    for (const v of [phone, tablet, agent]) v.close();
  });

  it('loses nothing across a disconnect: the device resumes from its last seq and gets exactly what it missed', async () => {
    const shopper = await node.userToken('13910001102');
    const c = await openWithHuman(node, shopper, shop.merchantId);
    const agent = await device(node, shop.agents[c.agentUserId === shop.agents[1]!.userId ? 1 : 0]!.token);
    let phone = await device(node, shopper.token);
    const first = await agent.request('support.send', { conversationId: c.id, clientId: 'a-1', text: '您好' });
    await waitForSeq(phone, c.id, first.seq);
    phone.close();
    const missed = [];
    for (let i = 2; i <= 4; i++)
      missed.push(
        (await agent.request('support.send', { conversationId: c.id, clientId: `a-${i}`, text: `第${i}条` })).seq,
      );
    phone = await device(node, shopper.token, [{ conversationId: c.id, after: first.seq }]);
    expect(messagesOf(phone, c.id).map((m: any) => m.seq)).toEqual(missed);
    const after = await agent.request('support.send', { conversationId: c.id, clientId: 'a-5', text: '还在吗' });
    await waitForSeq(phone, c.id, after.seq);
    expect(messagesOf(phone, c.id).map((m: any) => m.seq)).toEqual([...missed, after.seq]);
    phone.close();
    agent.close();
  });

  it('shows read receipts and unread counts on both sides', async () => {
    const shopper = await node.userToken('13910001103');
    const c = await openWithHuman(node, shopper, shop.merchantId);
    const i = c.agentUserId === shop.agents[1]!.userId ? 1 : 0;
    const agentSocket = await device(node, shop.agents[i]!.token);
    for (const n of [1, 2])
      await shop.as(i, 'POST', `/conversations/${c.id}/messages`, { clientId: `u-${n}`, text: `消息${n}` });
    const unread = await node.api('GET', '/api/me/support/unread', { token: shopper.token });
    const mine = unread.body.conversations.find((x: any) => x.conversationId === c.id);
    expect(mine.unread).toBeGreaterThanOrEqual(2);
    const list = await node.api('GET', `/api/me/support/conversations/${c.id}/messages`, { token: shopper.token });
    const lastSeq = list.body.lastSeq;
    const read = await node.api('POST', `/api/me/support/conversations/${c.id}/read`, {
      token: shopper.token,
      body: { seq: lastSeq },
    });
    expect(read.body).toEqual({ conversationId: c.id, seq: lastSeq, unread: 0 });
    const receipt = await agentSocket.next('support.read', (f) => f.data.conversationId === c.id);
    expect(receipt.data).toEqual({ conversationId: c.id, reader: 'shopper', seq: lastSeq });
    const seen = await shop.as(i, 'GET', `/conversations/${c.id}/messages`);
    expect(seen.body.peerReadSeq).toBe(lastSeq);
    await node.api('POST', `/api/me/support/conversations/${c.id}/messages`, {
      token: shopper.token,
      body: { clientId: 's-1', text: '收到' },
    });
    expect((await shop.as(i, 'GET', '/unread')).body.total).toBeGreaterThanOrEqual(1);
    agentSocket.close();
  });

  it('transfers a conversation to a colleague, who then receives it and may reply while the first may not', async () => {
    await online(shop, 1, 10);
    await online(shop, 2, 10);
    const shopper = await node.userToken('13910001104');
    const c = await openWithHuman(node, shopper, shop.merchantId);
    const from = shop.agents.findIndex((a) => a.userId === c.agentUserId);
    const to = from === 1 ? 2 : 1;
    const moved = await shop.as(from, 'POST', `/conversations/${c.id}/transfer`, {
      toUserId: shop.agents[to]!.userId,
      note: '售后问题',
    });
    expect(moved.body).toMatchObject({ status: 'assigned', agentUserId: shop.agents[to]!.userId });
    const denied = await shop.as(from, 'POST', `/conversations/${c.id}/messages`, { clientId: 'x', text: '我还在' });
    expect(denied.status).toBe(409);
    expect(denied.body.error.code).toBe('CONVERSATION_NOT_YOURS');
    const ok = await shop.as(to, 'POST', `/conversations/${c.id}/messages`, { clientId: 'y', text: '我来接手' });
    expect(ok.status).toBe(200);
  });

  it("keeps another shop's agent and another shopper out, over HTTP and over the socket", async () => {
    const shopper = await node.userToken('13910001105');
    const c = await openWithHuman(node, shopper, shop.merchantId);
    for (const [method, path, body] of [
      ['GET', `/conversations/${c.id}/messages`, undefined],
      ['POST', `/conversations/${c.id}/messages`, { clientId: 'z', text: 'hi' }],
      ['GET', `/conversations/${c.id}/context`, undefined],
      ['POST', `/conversations/${c.id}/pick`, undefined],
    ] as const) {
      const r = await other.as(0, method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    const wrongShop = await node.api(
      'GET',
      `/api/merchants/${other.merchantId}/support/conversations/${c.id}/messages`,
      { token: other.owner.token },
    );
    expect(wrongShop.body.error.code).toBe('CONVERSATION_NOT_FOUND');
    const stranger = await node.userToken('13910001106');
    const r = await node.api('GET', `/api/me/support/conversations/${c.id}/messages`, { token: stranger.token });
    expect(r.status).toBe(404);
    const socket = await device(node, other.owner.token);
    await expect(
      socket.request('support.send', { conversationId: c.id, clientId: 'q', text: 'hi' }),
    ).rejects.toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
    await expect(
      socket.request('support.resume', { cursors: [{ conversationId: c.id, after: 0 }] }),
    ).rejects.toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
    socket.close();
  });

  it("applies the platform's and the shop's word lists to shopper messages", async () => {
    const shopper = await node.userToken('13910001107');
    const c = await openWithHuman(node, shopper, shop.merchantId);
    const send = (clientId: string, text: string) =>
      node.api('POST', `/api/me/support/conversations/${c.id}/messages`, {
        token: shopper.token,
        body: { clientId, text },
      });
    const blocked = await send('w-1', '能代开发票吗');
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.code).toBe('SUPPORT_MESSAGE_BLOCKED');
    const masked = await send('w-2', '你这个傻瓜客服');
    expect(masked.body.message.text).toBe('你这个**客服');
  });

  it('refuses bad input with 4xx codes, over HTTP and over the socket', async () => {
    const shopper = await node.userToken('13910001108');
    const c = await openWithHuman(node, shopper, shop.merchantId);
    const post = (body: unknown) =>
      node.api('POST', `/api/me/support/conversations/${c.id}/messages`, { token: shopper.token, body });
    expect((await post({ clientId: 'b1', text: '   ' })).body.error.code).toBe('SUPPORT_MESSAGE_EMPTY');
    expect((await post({ clientId: 'b2', text: 'a', productId: 1 })).body.error.code).toBe('SUPPORT_MESSAGE_EMPTY');
    expect((await post({ clientId: 'bad id!', text: 'a' })).status).toBe(400);
    expect((await post({ clientId: 'b3', imageKey: 'support/c999/x.png' })).body.error.code).toBe(
      'SUPPORT_IMAGE_INVALID',
    );
    expect((await post({ clientId: 'b4', text: 'x'.repeat(1001) })).status).toBe(400);
    const open = await node.api('POST', '/api/me/support/conversations', {
      token: shopper.token,
      body: { merchantId: 999999 },
    });
    expect(open.status).toBe(404);
    const socket = await device(node, shopper.token);
    await expect(socket.request('support.send', { conversationId: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(socket.request('support.read', { conversationId: c.id, seq: -1 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(socket.request('support.resume', { cursors: 'all' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    socket.close();
    const { Viewer } = await import('../realtime/test-support.ts');
    const guest = await Viewer.connect(node);
    await expect(guest.request('support.resume', {})).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    guest.close();
  });

  it('fills canned replies, keeps internal notes from the shopper, and takes one rating after close', async () => {
    const shopper = await node.userToken('13910001109');
    const c = await openWithHuman(node, shopper, shop.merchantId);
    const i = shop.agents.findIndex((a) => a.userId === c.agentUserId);
    const canned = await shop.as(0, 'POST', '/canned-replies', {
      title: '问候',
      text: '{nickname}您好，{shopName}为您服务',
    });
    const sent = await shop.as(i, 'POST', `/conversations/${c.id}/messages`, {
      clientId: 'c-1',
      cannedReplyId: canned.body.id,
    });
    expect(sent.body.message.text).toMatch(/^.+您好，客服测试店为您服务$/);
    await shop.as(i, 'POST', `/conversations/${c.id}/notes`, { text: '老顾客，态度好' });
    expect((await shop.as(0, 'GET', `/conversations/${c.id}/notes`)).body).toMatchObject([{ text: '老顾客，态度好' }]);
    const seenByShopper = await node.api('GET', `/api/me/support/conversations/${c.id}/messages?limit=200`, {
      token: shopper.token,
    });
    expect(JSON.stringify(seenByShopper.body)).not.toContain('老顾客');
    const early = await node.api('POST', `/api/me/support/conversations/${c.id}/rating`, {
      token: shopper.token,
      body: { stars: 5 },
    });
    expect(early.body.error.code).toBe('CONVERSATION_OPEN');
    await shop.as(i, 'POST', `/conversations/${c.id}/close`);
    const rate = () =>
      node.api('POST', `/api/me/support/conversations/${c.id}/rating`, {
        token: shopper.token,
        body: { stars: 5, comment: '很快' },
      });
    expect((await rate()).body).toEqual({ conversationId: c.id, stars: 5, comment: '很快' });
    expect((await rate()).body.error.code).toBe('ALREADY_RATED');
    const context = await shop.as(i, 'GET', `/conversations/${c.id}/context`);
    expect(context.body).toMatchObject({ userId: shopper.userId, orders: [], points: expect.any(Number) });
  });
});
