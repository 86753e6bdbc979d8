// The WeChat platform calls against a local stand-in that answers like api.weixin.qq.com (real
// adapter), and the sandbox, on both backends: the shared access token, phone binding, WeChat Pay
// as the signed-in openid, msgSecCheck on chat and nicknames, subscribe messages on going live and
// shipping.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS, CACHE_BACKENDS, uniquePrefix } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startWechatApiFake, type WechatApiFake } from '../../../test/fakes/wechat-api-fake.ts';
import { startWechatPayFake, type WechatFake } from '../../../test/fakes/wechat-pay-fake.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor, until } from '../../../test/order-fixtures.ts';
import type { Cache } from '../../platform/cache/cache.ts';
import { openCache } from '../../platform/cache/index.ts';
import { testConfig } from '../../platform/config.ts';
import { Viewer } from '../realtime/test-support.ts';
import { SharedAccessToken } from './access-token.ts';
import { templateData } from './subscriptions.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(CACHE_BACKENDS)('WeChat access token shared by nodes on $name', (backend) => {
  let a: Cache;
  let b: Cache;
  beforeAll(() => {
    const prefix = uniquePrefix();
    a = openCache({ redisUrl: backend.url, prefix });
    b = backend.url ? openCache({ redisUrl: backend.url, prefix }) : a; // a second client: another node
  });
  afterAll(async () => {
    await a.close();
    if (b !== a) await b.close();
  });

  function source(ttlSec: number) {
    const calls: boolean[] = [];
    return {
      calls,
      fetch: async (force: boolean) => {
        calls.push(force);
        await sleep(30); // WeChat takes a moment: the others must wait for this one, not ask too
        return { token: `T${calls.length}`, expiresInSec: ttlSec };
      },
    };
  }

  it('is fetched once for many concurrent callers on two nodes, and refreshed early before it expires', async () => {
    const src = source(2);
    const one = new SharedAccessToken(a, 'wxA', src.fetch, { earlyMs: 1000 });
    const two = new SharedAccessToken(b, 'wxA', src.fetch, { earlyMs: 1000 });
    const got = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).get()));
    expect(new Set(got)).toEqual(new Set(['T1']));
    expect(src.calls).toEqual([false]);
    expect(await two.get()).toBe('T1'); // cached: 2 s left, more than the 1 s margin
    await sleep(1100); // now within the margin, still valid: one node refreshes, the other keeps T1 meanwhile
    const during = await Promise.all([one.get(), two.get(), one.get(), two.get()]);
    expect(during).toContain('T2');
    expect(during.every((t) => t === 'T1' || t === 'T2')).toBe(true);
    expect(src.calls).toEqual([false, false]);
    expect(await one.get()).toBe('T2');
  });

  it('refreshes once (forced) when WeChat says 40001 or 42001, and runs the call again once', async () => {
    const src = source(7200);
    const one = new SharedAccessToken(a, 'wxB', src.fetch);
    const two = new SharedAccessToken(b, 'wxB', src.fetch);
    expect(await one.get()).toBe('T1');
    const tried: string[] = [];
    const call = async (t: string) => {
      tried.push(t);
      return t === 'T1' ? { errcode: 40001 } : { errcode: 0, ok: t };
    };
    // Both nodes meet the bad token at once: one forced refresh between them.
    const [r1, r2] = await Promise.all([one.withToken(call), two.withToken(call)]);
    expect([r1, r2]).toEqual([
      { errcode: 0, ok: 'T2' },
      { errcode: 0, ok: 'T2' },
    ]);
    expect(src.calls).toEqual([false, true]);
    // A token that stays bad is not retried forever: one retry, and the answer goes back.
    const always = async () => ({ errcode: 42001 });
    expect(await one.withToken(always)).toEqual({ errcode: 42001 });
    expect(src.calls).toHaveLength(3);
  });
});

describe('subscribe-message template data', () => {
  it('names the fields per deployment and cuts values to their field type', () => {
    const data = templateData('thing1=title,time2=time,character_string3=orderNo', {
      title: '一二三四五六七八九十一二三四五六七八九十多出来',
      time: '2026-12-01T10:30:00.000Z',
      orderNo: 'O2026',
    });
    expect(data).toEqual({
      thing1: { value: '一二三四五六七八九十一二三四五六七八九十' },
      time2: { value: '2026-12-01 18:30' },
      character_string3: { value: 'O2026' },
    });
  });
});

const wechatConfig = (over: Partial<ReturnType<typeof testConfig>['wechat']> = {}) => ({
  ...testConfig().wechat,
  ...over,
});

async function placeOrder(node: TestNode, shop: ShopFixture, token: string, key: string, priceFen = 1990) {
  const p = await simpleProduct(node, shop, `微信货${key}`, priceFen, 10);
  const addr = await addressFor(node, token, '广东省');
  const placed = await node.api('POST', '/api/orders', {
    token,
    body: { idempotencyKey: `wechat-order-${key}`, items: [{ skuId: p.skuId, quantity: 1 }], addressId: addr.id },
  });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return {
    orderId: placed.body.orders[0].orderId as number,
    payment: placed.body.payment as { paymentNo: string; amountFen: number },
  };
}

describe.each(APP_BACKENDS)('WeChat platform against the WeChat stand-in on $name', (backend) => {
  let node: TestNode;
  let wx: WechatApiFake;
  let pay: WechatFake;
  let shop: ShopFixture;
  const viewers: Viewer[] = [];
  beforeAll(async () => {
    wx = await startWechatApiFake();
    pay = await startWechatPayFake();
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: {
        wechatAppId: wx.appId,
        wechatAppSecret: wx.secret,
        wechatApiBase: wx.url,
        wechatPay: pay.config,
        wechat: wechatConfig({ sandbox: false, templates: { liveStart: 'TMPL_LIVE', orderShipped: 'TMPL_SHIP' } }),
      },
    });
    shop = await makeShop(node, '微信测试店', '13855550001');
  }, 60_000);
  afterAll(async () => {
    for (const v of viewers) v.close();
    await node?.close();
    await wx?.close();
    await pay?.close();
  });

  const signIn = async (code: string) => {
    const r = await node.api('POST', '/api/auth/wechat', { body: { code } });
    expect(r.status).toBe(200);
    return { token: r.body.tokens.accessToken as string, userId: r.body.user.id as number };
  };

  it("binds the phone of a getPhoneNumber code, refuses one that is another account's, and survives a revoked token", async () => {
    const alice = await signIn('code-alice-1');
    wx.phoneCodes.set('pc-1', '13712340001');
    const bound = await node.api('POST', '/api/wechat/phone', { token: alice.token, body: { code: 'pc-1' } });
    expect(bound.status).toBe(200);
    expect(bound.body.user).toMatchObject({ id: alice.userId, phone: '13712340001', hasWechat: true });
    expect(wx.tokenCalls).toEqual([{ path: 'stable_token', force: false }]);
    const reused = await node.api('POST', '/api/wechat/phone', { token: alice.token, body: { code: 'pc-1' } });
    expect([reused.status, reused.body.error.code]).toEqual([400, 'WECHAT_CODE_INVALID']);

    // Another WeChat user with the same number: nothing is merged.
    const bob = await signIn('code-bob-1');
    wx.revoke(wx.current()!, 40001); // e.g. someone forced a new token elsewhere
    wx.phoneCodes.set('pc-2', '13712340001');
    const taken = await node.api('POST', '/api/wechat/phone', { token: bob.token, body: { code: 'pc-2' } });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'WECHAT_PHONE_TAKEN']);
    expect(wx.tokenCalls).toEqual([
      { path: 'stable_token', force: false },
      { path: 'stable_token', force: true },
    ]);
    expect((await node.api('GET', '/api/me', { token: bob.token })).body.user.phone).toBeNull();
    // A phone-registered account holds the number too.
    await node.userToken('13712340002');
    wx.phoneCodes.set('pc-3', '13712340002');
    const phoneAccount = await node.api('POST', '/api/wechat/phone', { token: bob.token, body: { code: 'pc-3' } });
    expect(phoneAccount.body.error.code).toBe('WECHAT_PHONE_TAKEN');
    expect((await node.api('POST', '/api/wechat/phone', { body: { code: 'x' } })).status).toBe(401);
  });

  it("starts WeChat Pay for the openid of the shopper's WeChat sign-in, with a paySign WeChat verifies", async () => {
    const carol = await signIn('code-carol-1');
    const o = await placeOrder(node, shop, carol.token, 'carol');
    const r = await node.api('POST', `/api/payments/${o.payment.paymentNo}/start`, {
      token: carol.token,
      body: { provider: 'wechat' },
    });
    expect(r.status).toBe(200);
    expect(pay.prepays.at(-1)).toMatchObject({ out_trade_no: o.payment.paymentNo, payer: { openid: 'oOPENID_carol' } });
    const p = r.body.jsapiParams;
    expect(Object.keys(p).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(p).toMatchObject({ appId: pay.config.appId, signType: 'RSA' });
    expect(p.timeStamp).toMatch(/^\d{10}$/);
    expect(Math.abs(Number(p.timeStamp) - Date.now() / 1000)).toBeLessThan(60);
    // WeChat checks paySign with the merchant's public key over appId\ntimeStamp\nnonceStr\npackage\n.
    const message = `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    expect(
      crypto.verify('RSA-SHA256', Buffer.from(message), pay.merchantPublicKey, Buffer.from(p.paySign, 'base64')),
    ).toBe(true);
    expect(
      crypto.verify('RSA-SHA256', Buffer.from(`${message}x`), pay.merchantPublicKey, Buffer.from(p.paySign, 'base64')),
    ).toBe(false);
    const phoneUser = await node.userToken('13712349999');
    const o2 = await placeOrder(node, shop, phoneUser.token, 'phoneuser');
    const noWechat = await node.api('POST', `/api/payments/${o2.payment.paymentNo}/start`, {
      token: phoneUser.token,
      body: { provider: 'wechat' },
    });
    expect([noWechat.status, noWechat.body.error.code]).toEqual([422, 'WECHAT_PAY_NEEDS_WECHAT']);
  });

  it("checks nicknames and chat with msgSecCheck (v2, the user's openid): risky refused, review held", async () => {
    const dan = await signIn('code-dan-1');
    const risky = await node.api('PATCH', '/api/me', { token: dan.token, body: { nickname: '赌博大王' } });
    expect([risky.status, risky.body.error.code]).toEqual([422, 'NICKNAME_RISKY']);
    expect(wx.secChecks.at(-1)).toEqual({ content: '赌博大王', version: 2, scene: 1, openid: 'oOPENID_dan' });
    expect((await node.api('PATCH', '/api/me', { token: dan.token, body: { nickname: '小丹' } })).body.nickname).toBe(
      '小丹',
    );

    const roomId = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '安全直播间' },
      })
    ).body.id as number;
    const v = await Viewer.connect(node, { token: dan.token });
    viewers.push(v);
    await v.join(roomId);
    await expect(v.request('chat', { text: '来赌博吗' })).rejects.toMatchObject({ code: 'CHAT_BLOCKED' });
    expect(wx.secChecks.at(-1)).toEqual({ content: '来赌博吗', version: 2, scene: 2, openid: 'oOPENID_dan' });
    expect(await v.request('chat', { text: '加微信聊' })).toMatchObject({ held: true });
    const ok = await v.request('chat', { text: '主播好' });
    expect(ok.seq).toBeGreaterThan(0);
    const checks = wx.secChecks.length;
    await expect(v.request('chat', { text: '来赌博吗' })).rejects.toMatchObject({ code: 'CHAT_BLOCKED' });
    expect(wx.secChecks.length).toBe(checks); // the verdict is cached: no second call for the same text
    const log = (
      await node.api('GET', `/api/merchants/${shop.merchantId}/rooms/${roomId}/chat`, { token: shop.owner.token })
    ).body;
    const statuses = Object.fromEntries(
      (log as Array<{ originalText: string; status: string }>).map((m) => [m.originalText, m.status]),
    );
    expect(statuses).toMatchObject({ 来赌博吗: 'blocked', 加微信聊: 'held', 主播好: 'visible' });
    // A shopper who did not sign in with WeChat has no openid: only the word lists apply.
    const phoneUser = await node.userToken('13712348888');
    const p = await Viewer.connect(node, { token: phoneUser.token });
    viewers.push(p);
    await p.join(roomId);
    const before = wx.secChecks.length;
    await p.request('chat', { text: '赌博' });
    expect(wx.secChecks.length).toBe(before);
  });

  it('sends 开播提醒 when a reminded room goes live and 发货通知 when the order ships, one per accept', async () => {
    const erin = await signIn('code-erin-1');
    const roomId = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '今晚八点上新' },
      })
    ).body.id as number;
    const unknown = await node.api('POST', '/api/wechat/subscriptions', {
      token: erin.token,
      body: { results: { NOPE: 'accept' } },
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'WECHAT_TEMPLATE_UNKNOWN']);
    const badResult = await node.api('POST', '/api/wechat/subscriptions', {
      token: erin.token,
      body: { results: { TMPL_LIVE: 'maybe' } },
    });
    expect(badResult.body.error.code).toBe('WECHAT_SUBSCRIBE_RESULT_INVALID');
    const r = await node.api('POST', '/api/wechat/subscriptions', {
      token: erin.token,
      body: { results: { TMPL_LIVE: 'accept', TMPL_SHIP: 'accept' }, roomId },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      reminded: true,
      grants: [
        { kind: 'liveStart', templateId: 'TMPL_LIVE', remaining: 1 },
        { kind: 'orderShipped', templateId: 'TMPL_SHIP', remaining: 1 },
      ],
    });
    expect((await node.api('GET', `/api/rooms/${roomId}`, { token: erin.token })).body.reminded).toBe(true);

    await node.app.ctx.services.live.goLive(roomId);
    await until(async () => wx.sent.some((m) => m.template_id === 'TMPL_LIVE'));
    const live = wx.sent.find((m) => m.template_id === 'TMPL_LIVE')!;
    expect(live).toMatchObject({
      touser: 'oOPENID_erin',
      page: `pages/room/index?roomId=${roomId}`,
      miniprogram_state: 'formal',
      data: { thing1: { value: '今晚八点上新' }, thing2: { value: '微信测试店' } },
    });
    expect(live.data.time3!.value).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    const grants = (await node.api('GET', '/api/wechat/subscriptions', { token: erin.token })).body.grants;
    expect(grants).toEqual([
      { kind: 'liveStart', templateId: 'TMPL_LIVE', remaining: 0 },
      { kind: 'orderShipped', templateId: 'TMPL_SHIP', remaining: 1 },
    ]);

    // Paid with WeChat Pay, then shipped: 发货通知 with the order number and carrier.
    const o = await placeOrder(node, shop, erin.token, 'erin');
    await node.api('POST', `/api/payments/${o.payment.paymentNo}/start`, {
      token: erin.token,
      body: { provider: 'wechat' },
    });
    const n = pay.notification({ paymentNo: o.payment.paymentNo, amountFen: o.payment.amountFen, id: 'EV-WX-ERIN' });
    expect(
      (await fetch(`${node.url}/api/payments/notify/wechat`, { method: 'POST', headers: n.headers, body: n.body }))
        .status,
    ).toBe(200);
    await until(
      async () => (await node.api('GET', `/api/orders/${o.orderId}`, { token: erin.token })).body.status === 'paid',
    );
    const shipped = await node.api('POST', `/api/merchants/${shop.merchantId}/orders/${o.orderId}/ship`, {
      token: shop.owner.token,
      body: { carrier: '顺丰', trackingNo: 'SF123' },
    });
    expect(shipped.status).toBe(200);
    await until(async () => wx.sent.some((m) => m.template_id === 'TMPL_SHIP'));
    const orderNo = (await node.api('GET', `/api/orders/${o.orderId}`, { token: erin.token })).body.orderNo;
    expect(wx.sent.find((m) => m.template_id === 'TMPL_SHIP')).toMatchObject({
      touser: 'oOPENID_erin',
      page: `mall/pages/orders/index?orderId=${o.orderId}`,
      data: { character_string1: { value: orderNo }, thing2: { value: '顺丰' } },
    });
    const rows = await node.app.ctx.db
      .selectFrom('wechat_messages')
      .select(['kind', 'status'])
      .where('user_id', '=', erin.userId)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { kind: 'liveStart', status: 'sent' },
      { kind: 'orderShipped', status: 'sent' },
    ]);
  });

  it('takes its token from cgi-bin/token in classic mode', async () => {
    const classic = await startNode({
      db: 'pglite',
      config: {
        wechatAppId: wx.appId,
        wechatAppSecret: wx.secret,
        wechatApiBase: wx.url,
        wechat: wechatConfig({ sandbox: false, tokenMode: 'classic' }),
      },
    });
    try {
      const calls = wx.tokenCalls.length;
      const r = await classic.api('POST', '/api/auth/wechat', { body: { code: 'code-kim-1' } });
      wx.phoneCodes.set('pc-classic', '13712340077');
      const bound = await classic.api('POST', '/api/wechat/phone', {
        token: r.body.tokens.accessToken,
        body: { code: 'pc-classic' },
      });
      expect(bound.body.user.phone).toBe('13712340077');
      expect(wx.tokenCalls.slice(calls)).toEqual([{ path: 'token', force: false }]);
    } finally {
      await classic.close();
    }
  });

  it('sends nothing without a grant, and drops a message WeChat refuses (43101)', async () => {
    const fay = await signIn('code-fay-1');
    const roomId = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '无授权' },
      })
    ).body.id as number;
    await node.api('POST', '/api/wechat/subscriptions', {
      token: fay.token,
      body: { results: { TMPL_LIVE: 'reject' }, roomId },
    });
    await node.api('PUT', `/api/rooms/${roomId}/remind`, { token: fay.token });
    const gus = await signIn('code-gus-1');
    await node.api('POST', '/api/wechat/subscriptions', {
      token: gus.token,
      body: { results: { TMPL_LIVE: 'accept' }, roomId },
    });
    wx.refusing.add('oOPENID_gus');
    await node.app.ctx.services.live.goLive(roomId);
    await until(async () => {
      const m = await node.app.ctx.db
        .selectFrom('wechat_messages')
        .select('status')
        .where('user_id', '=', gus.userId)
        .executeTakeFirst();
      return m?.status === 'dropped';
    });
    expect(
      await node.app.ctx.db.selectFrom('wechat_messages').select('id').where('user_id', '=', fay.userId).execute(),
    ).toEqual([]);
    expect(wx.sent.filter((m) => m.touser === 'oOPENID_fay' || m.touser === 'oOPENID_gus')).toEqual([]);
  });
});

describe.each(APP_BACKENDS)('WeChat sandbox (no account) on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  const viewers: Viewer[] = [];
  beforeAll(async () => {
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: { wechatAppId: undefined, wechatAppSecret: undefined },
    });
    shop = await makeShop(node, '沙箱店', '13866660001');
  }, 60_000);
  afterAll(async () => {
    for (const v of viewers) v.close();
    await node?.close();
  });

  it('signs in, binds a phone, pays with test money from the mini-program and gets 发货通知', async () => {
    const config = (await node.api('GET', '/api/wechat/config')).body;
    expect(config).toEqual({
      sandbox: true,
      templates: { liveStart: 'sandbox-live-start', orderShipped: 'sandbox-order-shipped' },
      msgSecCheck: 'wechat',
    });
    const login = await node.api('POST', '/api/auth/wechat', { body: { code: 'sandbox:hana' } });
    expect(login.status).toBe(200);
    const token = login.body.tokens.accessToken as string;
    expect((await node.api('POST', '/api/auth/wechat', { body: { code: 'sandbox:hana' } })).body.user.id).toBe(
      login.body.user.id,
    );
    expect((await node.api('POST', '/api/auth/wechat', { body: { code: 'real-code' } })).body.error.code).toBe(
      'WECHAT_CODE_INVALID',
    );

    expect((await node.api('POST', '/api/wechat/phone', { token, body: { code: 'nope' } })).body.error.code).toBe(
      'WECHAT_CODE_INVALID',
    );
    const bound = await node.api('POST', '/api/wechat/phone', { token, body: { code: 'sandbox:13800138000' } });
    expect(bound.body.user.phone).toBe('13800138000');

    await node.api('POST', '/api/wechat/subscriptions', {
      token,
      body: { results: { 'sandbox-order-shipped': 'accept' } },
    });
    const o = await placeOrder(node, shop, token, 'hana');
    const started = await node.api('POST', `/api/payments/${o.payment.paymentNo}/start`, {
      token,
      body: { provider: 'sandbox' },
    });
    expect(started.body.sandboxPay).toEqual({
      testMoney: true,
      confirmPath: `/pay/sandbox/${o.payment.paymentNo}/confirm`,
      token: expect.any(String),
    });
    const forged = await node.api('POST', started.body.sandboxPay.confirmPath, {
      headers: { accept: 'application/json' },
      body: { t: 'forged', outcome: 'succeeded' },
    });
    expect(forged.body.error.code).toBe('CASHIER_LINK_INVALID');
    const confirmed = await node.api('POST', started.body.sandboxPay.confirmPath, {
      headers: { accept: 'application/json' },
      body: { t: started.body.sandboxPay.token, outcome: 'succeeded' },
    });
    expect(confirmed.body.outcome).toBe('succeeded');
    await until(async () => (await node.api('GET', `/api/orders/${o.orderId}`, { token })).body.status === 'paid');
    const shipped = await node.api('POST', `/api/merchants/${shop.merchantId}/orders/${o.orderId}/ship`, {
      token: shop.owner.token,
      body: { carrier: '中通', trackingNo: 'ZT10001' },
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    const sandbox = node.app.ctx.services.wechat.sandbox!;
    await until(async () => sandbox.sent.length > 0);
    expect(sandbox.sent[0]).toMatchObject({
      touser: 'osandbox_hana',
      template_id: 'sandbox-order-shipped',
      data: { thing2: { value: '中通' } },
    });
  });

  it('keeps the sharer a shared page was opened with on the visit beacons (share attribution)', async () => {
    const roomId = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '分享直播' },
      })
    ).body.id as number;
    const ua =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 MicroMessenger/8.0.47 miniProgram';
    const beacon = (sharer: unknown) =>
      node.api('POST', '/api/analytics/events', {
        headers: { 'user-agent': ua },
        body: {
          deviceId: 'mp-device-0001',
          events: [{ id: `enter-${String(sharer)}`, type: 'room_enter', roomId, sharer }],
        },
      });
    const sent = await beacon('12345');
    expect([sent.status, sent.body.accepted], JSON.stringify(sent.body)).toEqual([202, 1]);
    expect((await beacon('<script>')).body.error.code).toBe('VALIDATION_FAILED');
    const rows = await node.app.ctx.db
      .selectFrom('analytics_events')
      .select(['type', 'room_id', 'sharer'])
      .where('device_id', '=', 'mp-device-0001')
      .execute();
    expect(rows).toEqual([{ type: 'room_enter', room_id: roomId, sharer: '12345' }]);
  });

  it('marks the sandbox lexicon risky in chat and nicknames', async () => {
    const token = (await node.api('POST', '/api/auth/wechat', { body: { code: 'sandbox:ivy' } })).body.tokens
      .accessToken as string;
    expect((await node.api('PATCH', '/api/me', { token, body: { nickname: '毒品' } })).body.error.code).toBe(
      'NICKNAME_RISKY',
    );
    const roomId = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '沙箱直播' },
      })
    ).body.id as number;
    const v = await Viewer.connect(node, { token });
    viewers.push(v);
    await v.join(roomId);
    await expect(v.request('chat', { text: 'sandbox-risky 文字' })).rejects.toMatchObject({ code: 'CHAT_BLOCKED' });
    expect(await v.request('chat', { text: '你好' })).toMatchObject({ text: '你好' });
  });
});
