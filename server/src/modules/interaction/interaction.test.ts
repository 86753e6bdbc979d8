// Room interaction through real WebSockets on both backends: chat in order, moderation (mask,
// block, hold and approve), mute, ban, rate limit, slow mode, deletion; likes coalesced into
// totals; coupon drops claimed within their limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { Viewer } from '../realtime/test-support.ts';
import { CloseCode } from '../realtime/protocol.ts';

describe.each(APP_BACKENDS)('room interaction on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  const viewers: Viewer[] = [];
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '互动测试店', '13899990001');
  }, 60_000);
  afterAll(async () => {
    for (const v of viewers) v.close();
    await node?.close();
  });

  const room = async () =>
    (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '互动直播间' },
      })
    ).body.id as number;
  const viewer = async (phone?: string) => {
    const t = phone ? await node.userToken(phone) : undefined;
    const v = await Viewer.connect(node, t ? { token: t.token } : {});
    viewers.push(v);
    return Object.assign(v, { userId: t?.userId ?? 0 });
  };
  const staff = (method: string, path: string, body?: unknown) =>
    node.api(method, `/api/merchants/${shop.merchantId}${path}`, {
      token: shop.owner.token,
      ...(body !== undefined ? { body } : {}),
    });

  it('delivers chat in order to every viewer, never as HTML, and refuses guests and bad text', async () => {
    const roomId = await room();
    const a = await viewer('13899991001');
    const b = await viewer();
    await a.join(roomId);
    await b.join(roomId);
    for (let i = 1; i <= 4; i++) await a.request('chat', { text: `第${i}条 <b>hi</b>` });
    await b.waitFor(() => b.all('chat').length === 4);
    expect(b.all('chat').map((f) => f.data.text)).toEqual([1, 2, 3, 4].map((i) => `第${i}条 <b>hi</b>`));
    const seqs = b.all('chat').map((f) => f.seq!);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    await expect(b.request('chat', { text: 'guest' })).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    await expect(a.request('chat', { text: '   ' })).rejects.toMatchObject({ code: 'CHAT_EMPTY' });
    await expect(a.request('chat', { text: '长'.repeat(201) })).rejects.toMatchObject({ code: 'CHAT_TOO_LONG' });
    // A newcomer gets the recent messages on join.
    const c = await viewer();
    const joined = await c.join(roomId);
    expect(joined.history.filter((h: { type: string }) => h.type === 'chat')).toHaveLength(4);
  });

  it('masks, blocks and holds words from the shop and platform lists; staff approve held messages', async () => {
    const roomId = await room();
    expect(
      (
        await staff('POST', '/sensitive-words', {
          words: [
            { word: '加微信', action: 'block' },
            { word: '傻瓜', action: 'mask' },
            { word: '退款', action: 'review' },
          ],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await node.api('POST', '/api/platform/sensitive-words', {
          token: shop.admin.token,
          body: { words: [{ word: 'spam', action: 'mask' }] },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await node.api('POST', '/api/platform/sensitive-words', {
          token: shop.owner.token,
          body: { words: [{ word: 'x', action: 'mask' }] },
        })
      ).status,
    ).toBe(403);
    const a = await viewer('13899991002');
    const b = await viewer();
    await a.join(roomId);
    await b.join(roomId);
    const masked = await a.request('chat', { text: '你这个傻 瓜 S.P.A.M' });
    expect(masked.text).toBe('你这个* * *.*.*.*');
    await expect(a.request('chat', { text: '加 微 信 领红包' })).rejects.toMatchObject({ code: 'CHAT_BLOCKED' });
    const held = await a.request('chat', { text: '我要退款' });
    expect(held.held).toBe(true);
    await b.next('chat', (f) => f.data.text === '你这个* * *.*.*.*');
    expect(b.all('chat').map((f) => f.data.text)).not.toContain('我要退款');
    const queue = (await staff('GET', `/rooms/${roomId}/chat?status=held`)).body;
    expect(queue.map((m: { originalText: string }) => m.originalText)).toEqual(['我要退款']);
    expect((await staff('POST', `/rooms/${roomId}/chat/${queue[0].id}/approve`)).status).toBe(200);
    await b.next('chat', (f) => f.data.text === '我要退款');
    const blocked = (await staff('GET', `/rooms/${roomId}/chat?status=blocked`)).body;
    expect(blocked[0].originalText).toBe('加 微 信 领红包');
  });

  it('mutes, bans (disconnecting and refusing the viewer), rate-limits, slows and deletes', async () => {
    const roomId = await room();
    const a = await viewer('13899991003');
    const b = await viewer('13899991004');
    const watcher = await viewer();
    for (const v of [a, b, watcher]) await v.join(roomId);
    // Rate limit: 5 messages per 10 s per user, across nodes (shared cache).
    for (let i = 0; i < 5; i++) await a.request('chat', { text: `msg ${i}` });
    await expect(a.request('chat', { text: 'one too many' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // Delete: gone for viewers and from history.
    const sent = await b.request('chat', { text: '删掉我' });
    await watcher.next('chat', (f) => f.data.text === '删掉我');
    expect((await staff('DELETE', `/rooms/${roomId}/chat/${sent.id}`)).status).toBe(200);
    await watcher.next('chat.deleted', (f) => f.data.id === sent.id);
    const late = await viewer();
    expect((await late.join(roomId)).history.map((h: { data: { text: string } }) => h.data.text)).not.toContain(
      '删掉我',
    );
    // Slow mode.
    expect((await staff('PUT', `/rooms/${roomId}/slow-mode`, { seconds: 30 })).status).toBe(200);
    await b.request('chat', { text: 'first' });
    await expect(b.request('chat', { text: 'second' })).rejects.toMatchObject({ code: 'SLOW_MODE' });
    await staff('PUT', `/rooms/${roomId}/slow-mode`, { seconds: 0 });
    // Mute for 10 minutes, then lift.
    const mute = (await staff('POST', `/rooms/${roomId}/sanctions`, { userId: b.userId, kind: 'mute', minutes: 10 }))
      .body;
    await expect(b.request('chat', { text: 'still here?' })).rejects.toMatchObject({ code: 'CHAT_MUTED' });
    expect((await staff('DELETE', `/sanctions/${mute.id}`)).status).toBe(200);
    await b.request('chat', { text: 'back' });
    // Ban: disconnected with 4003, and cannot come back into any of the shop's rooms.
    await staff('POST', `/rooms/${roomId}/sanctions`, { userId: b.userId, kind: 'ban', reason: 'spam' });
    expect(await b.closed()).toBe(CloseCode.banned);
    const again = await Viewer.connect(node, { token: (await node.userToken('13899991004')).token });
    viewers.push(again);
    await expect(again.join(roomId)).rejects.toMatchObject({ code: 'BANNED' });
    // Viewers report a message; the shop and the platform see it, another shop does not.
    const reported = await watcher.waitFor((f) => f.type === 'chat' && f.data.text === 'back');
    const reporter = await viewer('13899991005');
    await reporter.join(roomId);
    expect(await reporter.request('report', { seq: reported.seq, reason: '广告' })).toMatchObject({ reported: true });
    expect((await staff('GET', '/chat-reports')).body).toEqual([
      expect.objectContaining({ seq: reported.seq, reason: '广告', text: 'back' }),
    ]);
    expect(
      (await node.api('GET', '/api/platform/chat-reports', { token: shop.admin.token })).body.map(
        (r: { seq: number }) => r.seq,
      ),
    ).toContain(reported.seq);
    expect((await node.api('GET', '/api/platform/chat-reports', { token: shop.owner.token })).status).toBe(403);
    // Another shop cannot moderate this room.
    const other = await makeShop(node, '别的店', '13899990002');
    expect(
      (
        await node.api('DELETE', `/api/merchants/${other.merchantId}/rooms/${roomId}/chat/${sent.id}`, {
          token: other.owner.token,
        })
      ).status,
    ).toBe(404);
  });

  it('coalesces taps into like totals at a fixed cadence', async () => {
    const roomId = await room();
    const tapper = await viewer();
    const watcher = await viewer();
    await tapper.join(roomId);
    await watcher.join(roomId);
    for (let i = 0; i < 20; i++) tapper.send('like', { count: 5 });
    await watcher.next('likes', (f) => f.data.total === 100);
    // 20 tap frames became a handful of totals (one per tick at most, plus the join total).
    expect(watcher.all('likes').length).toBeLessThanOrEqual(4);
  });

  it('drops coupons into the room: one per viewer while they last', async () => {
    const roomId = await room();
    const t = (
      await staff('POST', '/coupons', {
        title: '直播间专享',
        kind: 'fixed',
        amountFen: 300,
        validDays: 3,
        totalQuantity: 100,
        perUserLimit: 1,
        channels: ['room_drop'],
      })
    ).body;
    const watcher = await viewer();
    await watcher.join(roomId);
    const drop = (await staff('POST', `/rooms/${roomId}/coupon-drops`, { templateId: t.id, quantity: 2, minutes: 5 }))
      .body;
    expect((await watcher.next('coupon.drop')).data).toMatchObject({
      dropId: drop.dropId,
      remaining: 2,
      description: '立减3元',
    });
    const users = await Promise.all(['13899992001', '13899992002', '13899992003'].map((p) => node.userToken(p)));
    const claims = await Promise.all(
      users.map((u) => node.api('POST', `/api/coupon-drops/${drop.dropId}/claim`, { token: u.token })),
    );
    expect(claims.filter((c) => c.status === 201)).toHaveLength(2);
    expect(claims.find((c) => c.status !== 201)!.body.error.code).toBe('DROP_SOLD_OUT');
    const winner = users[claims.findIndex((c) => c.status === 201)]!;
    expect(
      (await node.api('POST', `/api/coupon-drops/${drop.dropId}/claim`, { token: winner.token })).body.error.code,
    ).toBe('DROP_ALREADY_CLAIMED');
    const mine = (await node.api('GET', '/api/me/coupons', { token: winner.token })).body;
    expect(mine).toEqual([expect.objectContaining({ templateId: t.id, channel: 'room_drop' })]);
    await watcher.next('coupon.drop.remaining', (f) => f.data.remaining === 0);
    // A coupon of another shop cannot be dropped here.
    const other = await makeShop(node, '第三家', '13899990003');
    const foreign = (
      await node.api('POST', `/api/merchants/${other.merchantId}/coupons`, {
        token: other.owner.token,
        body: { title: 'x', kind: 'fixed', amountFen: 100, validDays: 1, totalQuantity: 5 },
      })
    ).body;
    expect(
      (await staff('POST', `/rooms/${roomId}/coupon-drops`, { templateId: foreign.id, quantity: 1, minutes: 1 })).body
        .error.code,
    ).toBe('COUPON_NOT_FOUND');
  });
});
