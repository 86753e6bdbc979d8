// The live room page through miniprogram-simulate: REST state, then frames from the room socket
// (a scripted socket here; test/integration.test.ts runs it against a real node).
import { beforeAll, describe, expect, it } from 'vitest';
import { product, quote, roomDetail, signedIn } from './fixtures.ts';
import { all, ensureBuilt, render, scriptedWx, tap, text, until, type Call, type Route, logged } from './wx.ts';

beforeAll(() => ensureBuilt());

const base: Route[] = [
  (c) => (c.path === '/api/rooms/9' ? { data: roomDetail() } : undefined),
  (c) => (c.path === '/api/merchants/1/followers' ? { data: { followers: 100, following: false } } : undefined),
  (c) => (c.path === '/api/auth/wechat' ? { data: signedIn } : undefined),
];

async function openRoom(routes: Route[] = []) {
  const env = scriptedWx([...routes, ...base]);
  const page = render('pages/room/index');
  await page.instance.onLoad({ roomId: '9' });
  await until(() => env.sockets[0]?.sent.some((f) => f.type === 'join'), 'join');
  await until(() => page.instance.data.connected, 'joined');
  return { env, page, socket: env.sockets[0]! };
}

describe('live room page', () => {
  it('plays the FLV stream in live-player and falls back to video with HLS when it fails', async () => {
    const { page, socket } = await openRoom();
    expect(socket.url).toMatch(/^wss:\/\/livemall\.example\.com\/ws\?v=1&guestId=g_[a-z0-9]{20}$/);
    expect(socket.sent[0]).toMatchObject({ type: 'join', data: { roomId: 9 } });
    const player = page.querySelector('#player');
    expect(player.dom.tagName).toBe('WX-LIVE-PLAYER');
    expect(page.instance.data.flv).toBe('https://livemall.example.com/live/9.flv');
    player.dispatchEvent('error', { detail: { errCode: 10001 } });
    await until(() => page.querySelector('#hls'), 'hls video');
    expect(page.querySelector('#player')).toBeUndefined();
    expect(page.instance.data.hls).toBe('https://livemall.example.com/live/9/index.m3u8');
    expect(text(page, '#merchant')).toBe('好物小店');
    expect(text(page, '#follow')).toBe('关注');
  });

  it('shows a replay in video when the show has ended', async () => {
    const routes: Route[] = [
      (c) =>
        c.path === '/api/rooms/9'
          ? {
              data: roomDetail({
                status: 'ended',
                play: { flv: null, hls: null },
                replays: [{ sessionId: 1, startedAt: '', endedAt: '', durationSec: 60, hls: '/vod/1.m3u8' }],
              }),
            }
          : undefined,
    ];
    const { page } = await openRoom(routes);
    expect(page.querySelector('#replay')).toBeTruthy();
    expect(page.instance.data.replay).toBe('https://livemall.example.com/vod/1.m3u8');
    expect(page.querySelector('#player')).toBeUndefined();
  });

  it('shows danmaku, likes, online count, pins, the bag, coupon drops, lucky bags, flash countdowns', async () => {
    const claims: Call[] = [];
    const { page, socket } = await openRoom([
      (c) =>
        c.path === '/api/coupon-drops/5/claim'
          ? logged(claims, c, {
              status: 201,
              data: { couponId: 1, templateId: 2, validFrom: '', validUntil: '', remaining: 9 },
            })
          : undefined,
      (c) => (c.path === '/api/lucky-bags/3/enter' ? { data: { entered: true } } : undefined),
    ]);
    // The pin from the REST state: the explaining product.
    expect(text(page, '#pinned')).toContain('讲解中');
    expect(text(page, '#pinned')).toContain('商品11');

    socket.push(
      { type: 'presence', data: { online: 321, cumulative: 400 } },
      { type: 'likes', data: { total: 88 } },
      { type: 'chat', seq: 1, data: { id: 1, userId: 3, nickname: '小王', text: '<b>好看</b>' } },
    );
    await until(() => text(page, '#online') === '321', 'presence');
    expect(text(page, '#likes')).toBe('88');
    expect(text(page, '.chat')).toBe('小王：<b>好看</b>'); // text, never HTML

    socket.push({ type: 'product.pinned', seq: 2, data: { roomId: 9, product: product(10) } });
    await until(() => text(page, '#pinned').includes('商品10'), 'new pin');
    await tap(page, '#open-bag');
    const items = all(page, '.bag-item');
    expect(items).toHaveLength(2);
    expect(text(page, '.bag-item')).toContain('讲解中');
    expect(String(items[1].dom.textContent)).not.toContain('讲解中');

    socket.push({
      type: 'coupon.drop',
      seq: 3,
      data: {
        dropId: 5,
        roomId: 9,
        templateId: 2,
        title: '满100减20',
        description: '直播间专享',
        quantity: 10,
        remaining: 10,
        endsAt: new Date(Date.now() + 60_000).toISOString(),
      },
    });
    await until(() => text(page, '#drop'), 'drop');
    expect(text(page, '#drop')).toContain('剩 10 张');
    await tap(page, '#claim-drop');
    await until(() => text(page, '#claim-drop') === '已领取', 'claimed');
    expect(text(page, '#drop')).toContain('剩 9 张');
    expect(claims).toHaveLength(1);

    const drawAt = new Date(Date.now() + 125_000).toISOString();
    socket.push({
      type: 'luckybag.started',
      seq: 4,
      data: {
        bagId: 3,
        roomId: 9,
        title: '锦鲤福袋',
        prize: { kind: 'coins', description: '100 币', coins: 100 },
        winnersCount: 1,
        condition: { kind: 'follow' },
        status: 'open',
        drawAt,
        seedHash: 'h',
        seed: null,
        entrants: 0,
        entrantIds: [],
        winners: [],
        algorithm: 'x',
      },
    });
    await until(() => text(page, '#lucky'), 'lucky bag');
    expect(text(page, '#lucky')).toMatch(/福袋 02:0[45] 后开奖/);
    await tap(page, '#enter-lucky');
    await until(() => text(page, '#enter-lucky') === '已参与', 'entered');

    const startsAt = new Date(Date.now() + 90_000).toISOString();
    socket.push({
      type: 'flashsale.countdown',
      seq: 5,
      data: {
        sessionId: 1,
        phase: 'announced',
        startsAt,
        endsAt: startsAt,
        items: [{ id: 1, title: '秒杀锅', flashPriceFen: 990, remaining: 5 }],
      },
    });
    await until(() => text(page, '#flash'), 'flash');
    expect(text(page, '#flash')).toMatch(/秒杀 01:(29|30) 后开始 ?秒杀锅 ¥9\.90/);

    socket.push({
      type: 'luckybag.drawn',
      seq: 6,
      data: {
        bagId: 3,
        roomId: 9,
        title: '锦鲤福袋',
        prize: { kind: 'coins', description: '100 币' },
        winnersCount: 1,
        condition: { kind: 'follow' },
        status: 'drawn',
        drawAt,
        seedHash: 'h',
        seed: 's',
        entrants: 1,
        entrantIds: [7],
        winners: [{ userId: 7, rank: 1, nickname: '微信用户' }],
        algorithm: 'x',
      },
    });
    await until(() => text(page, '#lucky-winners'), 'winners');
    expect(text(page, '#lucky-winners')).toBe('已开奖：微信用户');
  });

  it('signs in with wx.login to chat, coalesces like taps, follows the shop, sends gifts from the wallet', async () => {
    const follows: Call[] = [];
    const { env, page, socket } = await openRoom([
      (c) =>
        c.path === '/api/me/follows/1' ? logged(follows, c, { data: { following: c.method === 'PUT' } }) : undefined,
      (c) =>
        c.path === '/api/gifts'
          ? { data: [{ id: 4, name: '玫瑰', iconUrl: null, priceCoins: 10, effect: 'none' }] }
          : undefined,
      (c) => (c.path === '/api/me/wallet' ? { data: { balance: 50, fenPerCoin: 10, ledger: [] } } : undefined),
    ]);
    env.frameAnswers.auth = () => ({
      protocol: 1,
      connId: 'c',
      guestId: 'g',
      heartbeatMs: 25000,
      user: { id: 7, nickname: 'w' },
    });
    env.frameAnswers.chat = (d) => ({ id: 1, seq: 1, text: d.text, masked: false });
    env.frameAnswers.like = (d) => ({ total: 100 + d.count });
    env.frameAnswers.gift = () => ({ sendId: 1, coins: 10, balance: 40, replay: false });

    page.querySelector('#chat-input').dispatchEvent('input', { detail: { value: '主播好' } });
    await tap(page, '#send-chat');
    await until(() => socket.sent.some((f) => f.type === 'chat'), 'chat frame');
    const types = socket.sent.map((f) => f.type);
    expect(types.indexOf('auth')).toBeLessThan(types.indexOf('chat'));
    expect(socket.sent.find((f) => f.type === 'chat')!.data).toEqual({ text: '主播好' });
    expect(env.calls.some((c) => c.path === '/api/auth/wechat' && /^code-/.test(c.body.code))).toBe(true);
    await until(() => page.instance.data.draft === '', 'draft cleared');

    for (let i = 0; i < 3; i++) await tap(page, '#like');
    expect(text(page, '#likes')).toBe('3');
    await until(() => text(page, '#likes') === '103', 'like ack', 2000);
    expect(socket.sent.filter((f) => f.type === 'like').map((f) => f.data)).toEqual([{ count: 3 }]);

    await tap(page, '#follow');
    await until(() => text(page, '#follow') === '已关注', 'following');
    expect(follows[0]!.method).toBe('PUT');

    await tap(page, '#open-gifts');
    await until(() => text(page, '#balance') === '50', 'wallet');
    await tap(page, '.gift');
    await until(() => !page.querySelector('#gifts'), 'gift sent');
    expect(socket.sent.find((f) => f.type === 'gift')!.data).toMatchObject({ giftId: 4, quantity: 1 });
    socket.push({
      type: 'gift',
      data: {
        sendId: 1,
        userId: 7,
        nickname: '微信用户',
        giftId: 4,
        name: '玫瑰',
        iconUrl: null,
        quantity: 1,
        effect: 'none',
      },
    });
    await until(() => text(page, '#gift-banner'), 'gift banner');
    expect(text(page, '#gift-banner')).toBe('微信用户 送出 玫瑰 ×1');
  });

  it('buys a flash-sale item from the countdown with a purchase token, in the room', async () => {
    const quotes: Call[] = [];
    const tokens: Call[] = [];
    const { page, socket } = await openRoom([
      (c) => (c.path === '/api/flash-sales/1' ? { data: { items: [{ id: 6, skuId: 555 }] } } : undefined),
      (c) => (c.path === '/api/flash-sales/items/6/token' ? logged(tokens, c, { data: { token: 'ft-1' } }) : undefined),
      (c) =>
        c.path === '/api/me/addresses'
          ? {
              data: [
                {
                  id: 3,
                  name: 'a',
                  phone: '1',
                  province: 'p',
                  city: 'c',
                  district: 'd',
                  detail: 'x',
                  postalCode: null,
                  isDefault: true,
                },
              ],
            }
          : undefined,
      (c) => (c.path === '/api/checkout/quote' ? logged(quotes, c, { data: quote(555, 1) }) : undefined),
    ]);
    const endsAt = new Date(Date.now() + 300_000).toISOString();
    socket.push({
      type: 'flashsale.countdown',
      seq: 1,
      data: {
        sessionId: 1,
        phase: 'started',
        startsAt: endsAt,
        endsAt,
        items: [{ id: 6, title: '秒杀锅', flashPriceFen: 990, remaining: 5 }],
      },
    });
    await until(() => text(page, '.flash-item'), 'flash item');
    expect(text(page, '#flash')).toMatch(/秒杀中 · 剩 0[45]:\d\d/);
    expect(text(page, '.flash-item')).toBe('秒杀锅 ¥9.90 抢');
    await tap(page, '.flash-item');
    const sheet = await until(() => page.querySelector('#checkout'), 'checkout sheet');
    await until(() => text(sheet, '#total'), 'quote');
    expect(tokens).toHaveLength(1);
    expect(quotes[0]!.body).toEqual({
      items: [{ skuId: 555, quantity: 1 }],
      addressId: 3,
      roomId: 9,
      usePoints: false,
      flashSaleItemId: 6,
      flashToken: 'ft-1',
    });
  });

  it('tops up coins for gifts with test money in the sandbox and shows the new balance', async () => {
    const confirms: Call[] = [];
    let balance = 5;
    const { env, page } = await openRoom([
      (c) =>
        c.path === '/api/gifts'
          ? { data: [{ id: 4, name: '火箭', iconUrl: null, priceCoins: 100, effect: 'big' }] }
          : undefined,
      (c) => (c.path === '/api/me/wallet' ? { data: { balance, fenPerCoin: 10, ledger: [] } } : undefined),
      (c) =>
        c.path === '/api/me/wallet/topups'
          ? {
              status: 201,
              data: {
                topupId: 1,
                coins: c.body.coins,
                amountFen: c.body.coins * 10,
                paymentNo: 'PT',
                cashierUrl: null,
              },
            }
          : undefined,
      (c) =>
        c.path === '/api/payments/methods'
          ? { data: { sandbox: true, methods: [{ provider: 'sandbox', testMoney: true }] } }
          : undefined,
      (c) =>
        c.path === '/api/payments/PT/start'
          ? {
              data: {
                paymentNo: 'PT',
                provider: 'sandbox',
                amountFen: 600,
                sandboxPay: { testMoney: true, confirmPath: '/pay/sandbox/PT/confirm', token: 'tt' },
              },
            }
          : undefined,
      (c) => {
        if (c.path !== '/pay/sandbox/PT/confirm') return undefined;
        balance += 60;
        return logged(confirms, c, { data: { outcome: 'succeeded' } });
      },
    ]);
    env.frameAnswers.auth = () => ({ protocol: 1, connId: 'c', guestId: 'g', heartbeatMs: 25000, user: { id: 7 } });
    await tap(page, '#open-gifts');
    await until(() => text(page, '#balance') === '5', 'wallet');
    page.querySelectorAll('.topup')[0].dispatchEvent('tap');
    await until(() => text(page, '#topup-test'), 'test-money top-up');
    expect(text(page, '#topup-test')).toContain('测试金额 ¥6.00');
    await tap(page, '#confirm-topup');
    await until(() => text(page, '#balance') === '65', 'new balance');
    expect(confirms[0]!.body).toEqual({ t: 'tt', outcome: 'succeeded' });
    expect(text(page, '#notice')).toBe('充值成功');
  });

  it('reconnects after a drop and resumes from the last seq it saw', async () => {
    const { env, page, socket } = await openRoom();
    socket.push({ type: 'chat', seq: 41, data: { id: 1, userId: 3, nickname: 'a', text: 'one' } });
    await until(() => all(page, '.chat').length === 1, 'first chat');
    env.joinAnswer = (d) => ({
      roomId: 9,
      title: 'r',
      status: 'live',
      online: 5,
      cumulative: 5,
      seq: 42,
      resumed: true,
      complete: true,
      history:
        d.resumeFrom === 41
          ? [{ type: 'chat', seq: 42, ts: 1, data: { id: 2, userId: 3, nickname: 'a', text: 'two' } }]
          : [],
    });
    socket.drop(1001);
    await until(() => !page.instance.data.connected, 'disconnected');
    await until(() => env.sockets.length === 2 && page.instance.data.connected, 'reconnected', 3000);
    expect(env.sockets[1]!.sent[0]).toMatchObject({ type: 'join', data: { roomId: 9, resumeFrom: 41 } });
    await until(() => all(page, '.chat').length === 2, 'resumed chat');
    expect(text(page, '.chats')).toContain('two');
  });

  it('shares the room with the sharer id', async () => {
    const { env, page } = await openRoom();
    env.storage.set('lm.tokens', { accessToken: 'at', refreshToken: 'rt' });
    env.storage.set('lm.user', { id: 77 });
    expect(page.instance.onShareAppMessage()).toMatchObject({
      title: '年货节直播',
      path: '/pages/room/index?roomId=9&sharer=77',
    });
    expect(page.instance.onShareTimeline()).toEqual({ title: '年货节直播', query: 'roomId=9&sharer=77' });
    page.setData({ invite: 'inv_1' });
    expect(page.instance.onShareAppMessage().path).toBe('/pages/room/index?roomId=9&invite=inv_1&sharer=77');
  });
});
