// Gifts and lucky bags through real sockets and the real payment flow, on both backends: top-up
// credited once, gift debit with ledger and earnings split, idempotent retries, refusal without
// coins; a lucky bag entered by keyword, follow or not at all, drawn verifiably from the revealed seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { payWithSandbox, until } from '../../../test/order-fixtures.ts';
import { Viewer } from '../realtime/test-support.ts';
import { drawWinners, sha256 } from './lucky-draw.ts';
import type { DomainEvents } from '../../platform/events/catalogue.ts';

describe.each(APP_BACKENDS)('gifts and lucky bags on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let roomId: number;
  const viewers: Viewer[] = [];
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '礼物福袋店', '13833330001');
    roomId = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '福袋直播间' },
      })
    ).body.id;
    await node.app.ctx.services.live.goLive(roomId);
    await node.app.ctx.services.gifts.seed();
  }, 60_000);
  afterAll(async () => {
    for (const v of viewers) v.close();
    await node?.close();
  });
  const viewer = async (token?: string) => {
    const v = await Viewer.connect(node, token ? { token } : {});
    viewers.push(v);
    await v.join(roomId);
    return v;
  };

  it('tops up once, sends gifts with an exact debit, ledger and earnings split, and refuses without coins', async () => {
    const u = await node.userToken('13833331001');
    const topup = (await node.api('POST', '/api/me/wallet/topups', { token: u.token, body: { coins: 100 } })).body;
    expect(topup).toMatchObject({ coins: 100, amountFen: 1000 });
    await payWithSandbox(node, topup.cashierUrl, 'succeeded');
    await until(async () => (await node.api('GET', '/api/me/wallet', { token: u.token })).body.balance === 100);
    // The payment event delivered again (a replay) credits nothing more.
    const ev = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'payment.succeeded')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    await node.app.ctx.db.transaction().execute((trx) =>
      node.app.ctx.events.emit(trx, {
        type: 'payment.succeeded',
        aggregateType: 'payment',
        aggregateId: 'replay',
        payload: ev.payload as DomainEvents['payment.succeeded'],
      }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect((await node.api('GET', '/api/me/wallet', { token: u.token })).body.balance).toBe(100);

    const gifts = (await node.api('GET', '/api/gifts')).body as Array<{ id: number; name: string; priceCoins: number }>;
    const rose = gifts.find((g) => g.name === '玫瑰')!;
    const carnival = gifts.find((g) => g.name === '嘉年华')!;
    const sender = await viewer(u.token);
    const watcher = await viewer();
    const sent = await sender.request('gift', { giftId: rose.id, quantity: 3, ref: 'gift-ref-1' });
    expect(sent).toMatchObject({ coins: 30, balance: 70, replay: false });
    expect((await watcher.next('gift')).data).toMatchObject({
      name: '玫瑰',
      quantity: 3,
      nickname: expect.any(String),
    });
    expect(await sender.request('gift', { giftId: rose.id, quantity: 3, ref: 'gift-ref-1' })).toMatchObject({
      sendId: sent.sendId,
      balance: 70,
      replay: true,
    });
    await expect(sender.request('gift', { giftId: carnival.id, quantity: 1, ref: 'gift-ref-2' })).rejects.toMatchObject(
      { code: 'INSUFFICIENT_COINS' },
    );
    expect((await node.api('GET', '/api/me/wallet', { token: u.token })).body.balance).toBe(70);
    const guest = await viewer();
    await expect(guest.request('gift', { giftId: rose.id, quantity: 1, ref: 'x' })).rejects.toMatchObject({
      code: 'AUTH_REQUIRED',
    });
    const ledger = (await node.api('GET', '/api/me/wallet', { token: u.token })).body.ledger.map(
      (l: { delta: number; reason: string }) => [l.reason, l.delta],
    );
    expect(ledger).toEqual([
      ['gift', -30],
      ['topup', 100],
    ]);
    const earn = (await node.api('GET', `/api/merchants/${shop.merchantId}/gift-earnings`, { token: shop.owner.token }))
      .body;
    expect(earn.grossFen).toBe(300);
    expect(earn.merchantFen + earn.platformFen).toBe(300);
  });

  it('enters by keyword or follow, refuses others, and draws winners anyone can recompute', async () => {
    const coupon = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/coupons`, {
        token: shop.owner.token,
        body: {
          title: '福袋券',
          kind: 'fixed',
          amountFen: 1000,
          validDays: 3,
          totalQuantity: 10,
          channels: ['lucky_bag'],
        },
      })
    ).body;
    const staffPath = `/api/merchants/${shop.merchantId}/rooms/${roomId}/lucky-bags`;
    const watcher = await viewer();
    const bag = (
      await node.api('POST', staffPath, {
        token: shop.owner.token,
        body: {
          title: '口令福袋',
          prize: { kind: 'coupon', description: '10元券', couponId: coupon.id },
          winners: 2,
          condition: { kind: 'comment', keyword: '要福袋' },
          minutes: 5,
        },
      })
    ).body;
    expect(bag.seedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(bag.seed).toBeNull();
    await watcher.next('luckybag.started', (f) => f.data.bagId === bag.bagId);
    const users = await Promise.all(
      ['13833332001', '13833332002', '13833332003', '13833332004', '13833332005'].map((p) => node.userToken(p)),
    );
    const sockets = await Promise.all(users.map((u) => viewer(u.token)));
    for (const s of sockets.slice(0, 4)) await s.request('chat', { text: '主播我要福袋！' });
    await expect(
      node.api('POST', `/api/lucky-bags/${bag.bagId}/enter`, { token: users[4]!.token }).then((r) => r.body.error.code),
    ).resolves.toBe('CONDITION_NOT_MET');
    expect((await node.api('GET', `/api/lucky-bags/${bag.bagId}`)).body.entrants).toBe(4);

    await node.app.ctx.db.transaction().execute((trx) => node.app.ctx.services.luckyBags.draw(trx, bag.bagId));
    await node.app.ctx.db.transaction().execute((trx) => node.app.ctx.services.luckyBags.draw(trx, bag.bagId)); // the job again: no change
    const drawn = (await node.api('GET', `/api/lucky-bags/${bag.bagId}`)).body;
    expect(drawn.status).toBe('drawn');
    expect(sha256(drawn.seed)).toBe(bag.seedHash);
    expect(drawn.entrantIds).toEqual([...users.slice(0, 4).map((u) => u.userId)].sort((a, b) => a - b));
    expect(drawn.winners.map((w: { userId: number }) => w.userId)).toEqual(
      drawWinners(drawn.seed, drawn.entrantIds, 2),
    );
    for (const w of drawn.winners as Array<{ userId: number }>) {
      const token = users.find((u) => u.userId === w.userId)!.token;
      expect((await node.api('GET', '/api/me/coupons', { token })).body).toEqual([
        expect.objectContaining({ templateId: coupon.id, channel: 'lucky_bag' }),
      ]);
      const s = sockets[users.findIndex((u) => u.userId === w.userId)]!;
      await s.next('luckybag.won', (f) => f.data.bagId === bag.bagId);
    }
    expect((await watcher.next('luckybag.drawn', (f) => f.data.bagId === bag.bagId)).data.seed).toBe(drawn.seed);
    expect(
      (await node.api('POST', `/api/lucky-bags/${bag.bagId}/enter`, { token: users[4]!.token })).body.error.code,
    ).toBe('LUCKY_BAG_CLOSED');

    const followBag = (
      await node.api('POST', staffPath, {
        token: shop.owner.token,
        body: {
          title: '关注福袋',
          prize: { kind: 'other', description: '签名照' },
          winners: 1,
          condition: { kind: 'follow' },
          minutes: 5,
        },
      })
    ).body;
    const fan = users[4]!;
    expect(
      (await node.api('POST', `/api/lucky-bags/${followBag.bagId}/enter`, { token: fan.token })).body.error.code,
    ).toBe('CONDITION_NOT_MET');
    await node.api('PUT', `/api/me/follows/${shop.merchantId}`, { token: fan.token });
    expect((await node.api('POST', `/api/lucky-bags/${followBag.bagId}/enter`, { token: fan.token })).body).toEqual({
      entered: true,
    });
  });

  it('draws the same winners from the same seed and entrants, whatever their order', () => {
    const seed = 'a'.repeat(64);
    const w1 = drawWinners(seed, [5, 3, 9, 1, 7], 3);
    expect(drawWinners(seed, [9, 7, 5, 3, 1], 3)).toEqual(w1);
    expect(new Set(w1).size).toBe(3);
    expect(drawWinners(seed, [1, 2], 5)).toHaveLength(2);
  });
});
