// The mini-program against a real LiveMall node: `wx.request` is a real HTTP fetch and `wx.connectSocket` a real
// WebSocket (ws), the pages render in miniprogram-simulate. A shopper signs in with wx.login (code2session
// against a local fake of WeChat's endpoint), joins a live room, sees the shop pin a product, buys it from the
// pinned card without leaving the room (SKU picker → checkout sheet with the server's quote → sandbox pay) and
// sees the order paid. Runs on PGlite + memory, and on PostgreSQL + Redis when they are configured.
import { Blob as NodeBlob, File as NodeFile } from 'node:buffer';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../server/test/backends.ts';
import { startNode, type TestNode } from '../../../server/test/harness.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../server/test/commerce-fixtures.ts';
import { all, ensureBuilt, mp, realWx, render, tap, text, until } from './wx.ts';

const APP_ID = 'wx00000000000000mp';
const SECRET = 'mp-test-secret';

/** WeChat's jscode2session, answering like the real one: openid per code (codes are single-use). */
async function fakeWechat() {
  const used = new Set<string>();
  const server = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const code = q.get('js_code') ?? '';
    let body: Record<string, unknown>;
    if (q.get('appid') !== APP_ID || q.get('secret') !== SECRET) body = { errcode: 40125, errmsg: 'invalid appsecret' };
    else if (!code.startsWith('code-') || used.has(code)) body = { errcode: 40029, errmsg: 'invalid code' };
    else {
      used.add(code);
      body = { openid: 'oMP_SHOPPER_1', session_key: 'c2Vzc2lvbg==' };
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.each(APP_BACKENDS)('mini-program shopper on a real node ($name)', (backend) => {
  let node: TestNode;
  let fake: Awaited<ReturnType<typeof fakeWechat>>;
  let shop: ShopFixture;
  let product: { productId: number; skuId: number };
  let roomId: number;
  let wxEnv: ReturnType<typeof realWx>;

  beforeAll(async () => {
    ensureBuilt();
    // The pages need jsdom; the node's PGlite template loads from a Node Blob (jsdom's Blob and File lack
    // arrayBuffer).
    globalThis.Blob = NodeBlob as unknown as typeof Blob;
    globalThis.File = NodeFile as unknown as typeof File;
    fake = await fakeWechat();
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: { wechatAppId: APP_ID, wechatAppSecret: SECRET, wechatApiBase: fake.url },
    });
    shop = await makeShop(node, '椰林小店', '13900000001');
    product = await simpleProduct(node, shop, '海南椰子', 1990, 10);
    const room = await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
      token: shop.owner.token,
      body: { title: '椰子直播专场', productIds: [product.productId] },
    });
    roomId = room.body.id;
    await node.app.ctx.services.live.goLive(roomId); // what the RTMP publisher's arrival does
    wxEnv = realWx(node.url);
    mp<{ config: { apiBase: string } }>('config.js').config.apiBase = node.url;
  });
  afterAll(async () => {
    wxEnv?.closeAll();
    await node?.close();
    await new Promise((r) => fake?.server.close(r));
  });

  it('signs in, joins the live room, gets the pin, buys the pinned product in the room and sees it paid', async () => {
    const home = render('pages/home/index');
    home.instance.onLoad({});
    await until(() => text(home, '.live').includes('椰子直播专场'), 'the live room on the home page');

    const page = render('pages/room/index');
    // Opened from a friend's share: the visit is attributed to the sharer.
    await page.instance.onLoad({ roomId: String(roomId), sharer: '42' });
    await until(() => page.instance.data.connected, 'joined over the real socket', 10_000);
    expect(text(page, '#merchant')).toBe('椰林小店');
    expect(page.querySelector('#pinned')).toBeUndefined();
    // The stream is played from this node (FLV in live-player).
    expect(page.instance.data.flv.startsWith(node.url)).toBe(true);

    // Chat signs the shopper in with wx.login → POST /api/auth/wechat (code2session) and authenticates the socket.
    page.querySelector('#chat-input').dispatchEvent('input', { detail: { value: '椰子甜吗' } });
    await tap(page, '#send-chat');
    await until(() => text(page, '.chats').includes('椰子甜吗'), 'own chat echoed by the room', 10_000);
    const user = mp<{ currentUser(): { id: number } | null }>('api/auth.js').currentUser();
    expect(user).not.toBeNull();
    const me = await node.app.ctx.db
      .selectFrom('users')
      .select(['id', 'wechat_openid'])
      .where('id', '=', user!.id)
      .executeTakeFirstOrThrow();
    expect(me.wechat_openid).toBe('oMP_SHOPPER_1');

    // The anchor pins the product: the frame reaches the page over the socket.
    const pin = await node.api('PUT', `/api/merchants/${shop.merchantId}/rooms/${roomId}/pin`, {
      token: shop.owner.token,
      body: { productId: product.productId },
    });
    expect(pin.status).toBe(200);
    await until(() => text(page, '#pinned').includes('海南椰子'), 'pinned card', 10_000);
    expect(text(page, '#pinned')).toContain('讲解中');
    expect(text(page, '#pinned')).toContain('¥19.90');

    // Buy from the pinned card: SKU picker, then the checkout sheet.
    await tap(page, '#pinned');
    const picker = await until(() => page.querySelector('#sku'), 'sku picker');
    await until(() => text(picker, '#price') === '¥19.90', 'sku price', 10_000);
    await tap(picker, '#plus');
    await tap(picker, '#confirm');
    const sheet = await until(() => page.querySelector('#checkout'), 'checkout sheet');
    await until(() => text(sheet, '#no-address'), 'no address yet', 10_000);
    wxEnv.address = {
      userName: '李四',
      telNumber: '13900139000',
      provinceName: '海南省',
      cityName: '海口市',
      countyName: '美兰区',
      detailInfo: '椰林路 8 号',
      postalCode: '570100',
    };
    await tap(sheet, '#import-address');
    await until(() => text(sheet, '#total'), 'the server quote', 10_000);
    expect(text(sheet, '.line')).toContain('海南椰子');
    expect(text(sheet, '.line')).toContain('×2');
    expect(text(sheet, '#goods')).toBe('¥39.80');
    const quoted = text(sheet, '#total');

    await tap(sheet, '#place');
    await until(() => text(sheet, '#test-money'), 'sandbox cashier', 10_000);
    expect(text(sheet, '#amount')).toBe(quoted);
    await tap(sheet, '#confirm-test');
    await until(() => text(sheet, '#paid'), 'paid', 20_000);
    expect(text(page, '#notice')).toBe('支付成功');

    // The order is the shopper's, from this room, and paid.
    const orders = await node.app.ctx.db.selectFrom('orders').selectAll().where('user_id', '=', user!.id).execute();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'paid', room_id: roomId });
    expect(`¥${(orders[0]!.total_fen / 100).toFixed(2)}`).toBe(quoted);
    const visits = await node.app.ctx.db
      .selectFrom('analytics_events')
      .select(['type', 'room_id', 'sharer'])
      .where('type', '=', 'room_enter')
      .execute();
    expect(visits).toContainEqual({ type: 'room_enter', room_id: roomId, sharer: '42' });
    page.instance.onUnload();
  });

  it('places an order without paying, pays it later from the order detail with sandbox pay, sees it paid', async () => {
    const sheet = render('components/checkout-sheet/index', { items: [{ skuId: product.skuId, quantity: 1 }] });
    await until(() => text(sheet, '#total'), 'the server quote (saved address)', 10_000);
    await tap(sheet, '#place');
    await until(() => text(sheet, '#test-money'), 'sandbox cashier', 10_000);
    // The shopper walks away from the cashier: the order waits unpaid.
    await tap(sheet, '#close');
    const user = mp<{ currentUser(): { id: number } | null }>('api/auth.js').currentUser()!;
    const unpaid = await node.app.ctx.db
      .selectFrom('orders')
      .select(['id', 'total_fen'])
      .where('user_id', '=', user.id)
      .where('status', '=', 'pending_payment')
      .execute();
    expect(unpaid).toHaveLength(1);
    const orderId = unpaid[0]!.id;

    const list = render('mall/pages/orders/index');
    await list.instance.onLoad({});
    await until(() => all(list, '.pay').length === 1, 'the unpaid order with 去支付', 10_000);
    expect(String(all(list, '.order')[0].dom.textContent)).toContain('待付款');
    await tap(list, '.open');
    expect(wxEnv.navigations.at(-1)).toBe(`/mall/pages/order/index?orderId=${orderId}`);

    const page = render('mall/pages/order/index');
    await page.instance.onLoad({ orderId: String(orderId) });
    await until(() => text(page, '#status'), 'order detail', 10_000);
    expect(text(page, '#status')).toBe('待付款');
    expect(text(page, '.ptitle')).toContain('海南椰子');
    expect(text(page, '#goods')).toBe('¥19.90');
    expect(text(page, '#total')).toBe(`¥${(unpaid[0]!.total_fen / 100).toFixed(2)}`);
    expect(text(page, '#address')).toContain('椰林路 8 号');
    expect(text(page, '#payment')).toBe('待支付');
    await tap(page, '#pay');
    await until(() => text(page, '#test-money'), 'sandbox cashier on the detail', 10_000);
    await tap(page, '#confirm-test');
    await until(() => text(page, '#notice') === '支付成功', 'paid', 20_000);
    expect(text(page, '#status')).toBe('待发货');
    expect(text(page, '#payment')).toMatch(/^已支付/);
    const row = await node.app.ctx.db
      .selectFrom('orders')
      .select(['status'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('paid');
  });

  it('keeps the address book on the server: adds one, makes it the default, edits and deletes it', async () => {
    const page = render('user/pages/addresses/index');
    await page.instance.onLoad();
    await until(() => all(page, '.address').length === 1, 'the imported address', 10_000);
    expect(text(page, '.who')).toContain('李四');
    await tap(page, '#add');
    for (const [id, v] of [
      ['#f-name', '王五'],
      ['#f-phone', '13700137000'],
      ['#f-province', '广东省'],
      ['#f-city', '深圳市'],
      ['#f-district', '南山区'],
      ['#f-detail', '科技园 3 号'],
    ] as const)
      page.querySelector(id).dispatchEvent('input', { detail: { value: v } });
    await tap(page, '#save');
    await until(() => all(page, '.address').length === 2, 'added', 10_000);
    await tap(page, '.set-default');
    await until(() => text(page, '#notice') === '已设为默认地址', 'default set', 10_000);
    const user = mp<{ currentUser(): { id: number } | null }>('api/auth.js').currentUser()!;
    const rows = () =>
      node.app.ctx.db
        .selectFrom('addresses')
        .select(['id', 'name', 'detail', 'is_default'])
        .where('user_id', '=', user.id)
        .where('deleted_at', 'is', null) // deleting keeps the row for the orders shipped to it
        .orderBy('id')
        .execute();
    expect((await rows()).map((r) => [r.name, r.is_default])).toEqual([
      ['李四', false],
      ['王五', true],
    ]);
    // The server lists the default first.
    expect(text(page, '.who')).toContain('王五');
    await tap(page, '.edit');
    page.querySelector('#f-detail').dispatchEvent('input', { detail: { value: '科技园 5 号' } });
    await tap(page, '#save');
    await until(() => text(page, '#notice') === '地址已保存', 'edited', 10_000);
    expect((await rows()).find((r) => r.name === '王五')).toMatchObject({ detail: '科技园 5 号', is_default: true });
    await tap(page, '.remove');
    await until(() => all(page, '.address').length === 1, 'deleted', 10_000);
    expect((await rows()).map((r) => r.name)).toEqual(['李四']);
  });

  it('reconnects after the socket drops and resumes: a pin made meanwhile still arrives', async () => {
    const page = render('pages/room/index');
    await page.instance.onLoad({ roomId: String(roomId) });
    await until(() => page.instance.data.connected, 'joined', 10_000);
    const sockets = (
      page.instance as unknown as { runtime(): { socket: { drop(): void; seq: number | undefined } } }
    ).runtime();
    await node.api('PUT', `/api/merchants/${shop.merchantId}/rooms/${roomId}/pin`, {
      token: shop.owner.token,
      body: { productId: null },
    });
    await until(() => !page.querySelector('#pinned'), 'unpinned', 10_000);
    sockets.socket.drop();
    await until(() => !page.instance.data.connected, 'dropped');
    await node.api('PUT', `/api/merchants/${shop.merchantId}/rooms/${roomId}/pin`, {
      token: shop.owner.token,
      body: { productId: product.productId },
    });
    await until(() => page.instance.data.connected, 'reconnected', 10_000);
    await until(() => text(page, '#pinned').includes('海南椰子'), 'pin replayed on resume', 10_000);
    const joins = wxEnv.sockets.flatMap((s) => s.sent.filter((f) => f.type === 'join' && f.data.roomId === roomId));
    expect(joins.at(-1)!.data.resumeFrom).toBeGreaterThan(0);
    page.instance.onUnload();
  });
});

describe.each(APP_BACKENDS)('mini-program on a node running the WeChat sandbox ($name)', (backend) => {
  let node: TestNode;
  let wxEnv: ReturnType<typeof realWx>;
  let shop: ShopFixture;

  beforeAll(async () => {
    ensureBuilt();
    globalThis.Blob = NodeBlob as unknown as typeof Blob;
    globalThis.File = NodeFile as unknown as typeof File;
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '预告小店', '13900000002');
    wxEnv = realWx(node.url);
    mp<{ config: { apiBase: string } }>('config.js').config.apiBase = node.url;
    mp<{ resetDeployment(): void }>('api/auth.js').resetDeployment();
  });
  afterAll(async () => {
    wxEnv?.closeAll();
    mp<{ resetDeployment(): void }>('api/auth.js').resetDeployment();
    await node?.close();
  });

  it('signs in with a sandbox code, binds a phone, and asks for the 开播提醒 of a trailer', async () => {
    const cfg = await node.api('GET', '/api/wechat/config');
    expect(cfg.body.sandbox).toBe(true);
    const at = new Date(Date.now() + 3600_000).toISOString();
    const trailer = await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
      token: shop.owner.token,
      body: { title: '明晚八点上新', scheduledAt: at },
    });
    expect(trailer.status).toBe(201);

    const me = render('user/pages/me/index');
    me.instance.onLoad();
    await tap(me, '#login');
    await until(() => text(me, '#nickname'), 'signed in', 10_000);
    const user = mp<{ currentUser(): { id: number } | null }>('api/auth.js').currentUser()!;
    const row = await node.app.ctx.db
      .selectFrom('users')
      .select(['wechat_openid'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.wechat_openid).toMatch(/^osandbox_mp[a-z0-9]+$/);
    me.querySelector('#bind-phone').dispatchEvent('getphonenumber', {
      detail: { code: 'sandbox:13800138123', errMsg: 'getPhoneNumber:ok' },
    });
    await until(() => text(me, '#phone') === '13800138123', 'phone bound', 10_000);

    const home = render('pages/home/index');
    home.instance.onLoad({});
    await until(() => text(home, '.trailer').includes('明晚八点上新'), 'trailer', 10_000);
    await tap(home, '.remind');
    await until(() => text(home, '.reminded'), 'reminded', 10_000);
    const room = await node.api('GET', `/api/rooms/${trailer.body.id}`, {
      token: wxEnv.storage.get('lm.tokens').accessToken,
    });
    expect(room.body.reminded).toBe(true);
    // Through the subscribe message (the sandbox has the template), not the plain room reminder.
    const sub = wxEnv.calls.find((c) => c.path === '/api/wechat/subscriptions')!;
    expect(sub.body).toEqual({ results: { [cfg.body.templates.liveStart]: 'accept' }, roomId: trailer.body.id });
    expect(wxEnv.calls.some((c) => c.path.endsWith('/remind'))).toBe(false);
  });
});
