// The mall and user-centre subpackages through miniprogram-simulate with a scripted backend.
import { beforeAll, describe, expect, it } from 'vitest';
import { productDetail, signedIn } from './fixtures.ts';
import { all, ensureBuilt, render, scriptedWx, tap, text, until, type Call, type Route, logged } from './wx.ts';

beforeAll(() => ensureBuilt());

const login: Route = (c) => (c.path === '/api/auth/wechat' ? { data: signedIn } : undefined);
const summary = (id: number, title: string) => ({
  id,
  merchantId: 1,
  title,
  coverUrl: null,
  minPriceFen: 990,
  maxPriceFen: 990,
  originalPriceFen: 1990,
  onShelf: true,
  stock: 5,
  sales: 12,
});

describe('mall', () => {
  it('lists products by sales and searches', async () => {
    const env = scriptedWx([
      (c) =>
        c.path.startsWith('/api/products?')
          ? {
              data: {
                items: c.path.includes('q=') ? [summary(2, '椰子')] : [summary(1, '芒果'), summary(2, '椰子')],
                total: 2,
                page: 1,
                pageSize: 20,
              },
            }
          : undefined,
    ]);
    const page = render('mall/pages/index/index');
    await page.instance.onLoad({});
    expect(all(page, '.product')).toHaveLength(2);
    expect(text(page, '.product')).toBe('芒果¥9.90已售 12');
    page.querySelector('#q').dispatchEvent('input', { detail: { value: '椰' } });
    await tap(page, '#search');
    await until(() => all(page, '.product').length === 1, 'search result');
    expect(env.calls.at(-1)!.path).toBe(`/api/products?sort=sales&pageSize=20&q=${encodeURIComponent('椰')}`);
    await tap(page, '.product');
    expect(env.navigations).toEqual(['/mall/pages/product/index?productId=2']);
  });

  it('product page: adds the picked SKU to the cart, buys now via checkout, shares with the sharer id', async () => {
    const added: Call[] = [];
    const env = scriptedWx([
      login,
      (c) => (c.path === '/api/products/11' ? { data: productDetail(11) } : undefined),
      (c) =>
        c.path === '/api/cart/items'
          ? logged(added, c, { data: { groups: [], selectedTotalFen: 0, count: 1 } })
          : undefined,
    ]);
    const page = render('mall/pages/product/index');
    await page.instance.onLoad({ productId: '11', sharer: '55' });
    expect(env.storage.get('lm.sharer')).toBe('55');
    expect(text(page, '#title')).toBe('商品11');
    expect(text(page, '#price')).toBe('¥19.90');
    await tap(page, '#add-cart');
    const picker = await until(() => page.querySelector('#sku'), 'picker');
    await until(() => text(picker, '#price'), 'picker loaded');
    await tap(picker, '#confirm');
    await until(() => text(page, '#notice') === '已加入购物车', 'added');
    expect(added[0]!.body).toEqual({ skuId: 101, quantity: 1 });

    await tap(page, '#buy-now');
    const again = await until(() => page.querySelector('#sku'), 'picker');
    await until(() => text(again, '#price'), 'picker loaded');
    await tap(again, '#confirm');
    await until(() => env.navigations.length === 1, 'to checkout');
    expect(decodeURIComponent(env.navigations[0]!)).toBe(
      '/mall/pages/checkout/index?items=[{"skuId":101,"quantity":1}]',
    );
    expect(page.instance.onShareAppMessage().path).toBe('/mall/pages/product/index?productId=11&sharer=7');
    expect(page.instance.onShareTimeline().query).toBe('productId=11&sharer=7');
  });

  it('cart: changes quantities, deselects, removes and checks out the selected lines', async () => {
    let lines = [
      {
        skuId: 101,
        productId: 11,
        productTitle: '芒果',
        skuName: '5斤',
        imageUrl: null,
        quantity: 1,
        selected: true,
        priceFen: 990,
        priceFenAtAdd: 990,
        lineTotalFen: 990,
        available: 5,
        flags: [],
      },
      {
        skuId: 102,
        productId: 12,
        productTitle: '椰子',
        skuName: '2个',
        imageUrl: null,
        quantity: 2,
        selected: true,
        priceFen: 500,
        priceFenAtAdd: 500,
        lineTotalFen: 1000,
        available: 5,
        flags: [],
      },
    ];
    const cart = () => ({
      groups: [{ merchantId: 1, merchantName: '好物小店', lines, selectedTotalFen: 0 }],
      count: lines.length,
      selectedTotalFen: lines.filter((l) => l.selected).reduce((n, l) => n + l.priceFen * l.quantity, 0),
    });
    const env = scriptedWx([
      login,
      (c) => (c.path === '/api/cart' ? { data: cart() } : undefined),
      (c) => {
        const m = /^\/api\/cart\/items\/(\d+)$/.exec(c.path);
        if (!m) return undefined;
        if (c.method === 'DELETE') {
          lines = lines.filter((l) => l.skuId !== Number(m[1]));
          return { data: cart() };
        }
        lines = lines.map((l) => (l.skuId === Number(m[1]) ? { ...l, ...c.body } : l));
        return { data: cart() };
      },
    ]);
    const page = render('mall/pages/cart/index');
    await page.instance.onLoad();
    expect(text(page, '#total')).toBe('¥19.90');
    page.querySelectorAll('.plus')[0].dispatchEvent('tap');
    await until(() => text(page, '#total') === '¥29.80', 'quantity up');
    page.querySelectorAll('.check')[1].dispatchEvent('tap');
    await until(() => text(page, '#total') === '¥19.80', 'deselected');
    await tap(page, '#checkout');
    expect(decodeURIComponent(env.navigations[0]!)).toBe(
      '/mall/pages/checkout/index?items=[{"skuId":101,"quantity":2}]',
    );
    page.querySelectorAll('.remove')[0].dispatchEvent('tap');
    await until(() => all(page, '.line').length === 1, 'removed');
  });

  it('checkout page passes the deal (group-buy) into the quote', async () => {
    const quotes: Call[] = [];
    scriptedWx([
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
      (c) =>
        c.path === '/api/checkout/quote'
          ? logged(quotes, c, { status: 422, data: { error: { code: 'GROUP_FULL', message: 'The group is full' } } })
          : undefined,
    ]);
    const page = render('mall/pages/checkout/index');
    page.instance.onLoad({
      items: encodeURIComponent(JSON.stringify([{ skuId: 5, quantity: 1 }])),
      deal: encodeURIComponent(JSON.stringify({ groupBuy: { dealId: 8, groupId: 4 } })),
    });
    const sheet = await until(() => page.querySelector('#checkout'), 'sheet');
    await until(() => text(sheet, '#error'), 'quote refused');
    // The SDK's Chinese text for the code, not the server's (English) message.
    expect(text(sheet, '#error')).toBe('该团已满');
    expect(quotes[0]!.body).toEqual({
      items: [{ skuId: 5, quantity: 1 }],
      addressId: 3,
      roomId: null,
      usePoints: false,
      groupBuy: { dealId: 8, groupId: 4 },
    });
  });

  it('orders and after-sales: lists orders, asks for a refund on chosen lines with a reason', async () => {
    const asked: Call[] = [];
    const env = scriptedWx([
      login,
      (c) =>
        c.path.startsWith('/api/orders?')
          ? {
              data: {
                items: [
                  {
                    id: 70,
                    orderNo: 'O70',
                    merchantId: 1,
                    merchantName: '好物小店',
                    userId: 7,
                    status: 'paid',
                    goodsFen: 990,
                    discountFen: 0,
                    shippingFen: 0,
                    totalFen: 990,
                    refundedFen: 0,
                    roomId: 9,
                    createdAt: '',
                    paidAt: '',
                    payDeadline: '',
                    lines: [{ productTitle: '芒果', skuName: '5斤', quantity: 1 }],
                  },
                  {
                    id: 71,
                    orderNo: 'O71',
                    merchantId: 1,
                    merchantName: '好物小店',
                    userId: 7,
                    status: 'pending_payment',
                    goodsFen: 500,
                    discountFen: 0,
                    shippingFen: 0,
                    totalFen: 500,
                    refundedFen: 0,
                    roomId: null,
                    createdAt: '',
                    paidAt: null,
                    payDeadline: '',
                    lines: [{ productTitle: '椰子', skuName: '2个', quantity: 1 }],
                  },
                ],
                total: 2,
                page: 1,
                pageSize: 20,
              },
            }
          : undefined,
      (c) =>
        c.path === '/api/orders/70'
          ? { data: { lines: [{ id: 700, productTitle: '芒果', skuName: '5斤', quantity: 1, refundedQuantity: 0 }] } }
          : undefined,
      (c) =>
        c.path === '/api/aftersales?orderId=70'
          ? {
              data: asked.length
                ? [
                    {
                      id: 1,
                      aftersaleNo: 'A1',
                      type: 'refund_only',
                      status: 'requested',
                      reason: '不想要了',
                      amountFen: 990,
                    },
                  ]
                : [],
            }
          : undefined,
      (c) => (c.path === '/api/orders/70/aftersales' ? logged(asked, c, { status: 201, data: {} }) : undefined),
    ]);
    const orders = render('mall/pages/orders/index');
    await orders.instance.onLoad();
    const cards = all(orders, '.order');
    expect(cards).toHaveLength(2);
    expect(String(cards[0].dom.textContent)).toContain('待发货');
    expect(String(cards[1].dom.textContent)).toContain('待付款');
    expect(all(orders, '.aftersale')).toHaveLength(1);
    await tap(orders, '.aftersale');
    expect(env.navigations).toEqual(['/mall/pages/aftersale/index?orderId=70']);

    const page = render('mall/pages/aftersale/index');
    await page.instance.onLoad({ orderId: '70' });
    expect(text(page, '.line')).toBe('☑ 芒果 5斤 ×1');
    await tap(page, '#submit');
    expect(text(page, '#error')).toBe('请选择商品并填写原因');
    page.querySelector('#reason').dispatchEvent('input', { detail: { value: '不想要了' } });
    await tap(page, '#submit');
    await until(() => text(page, '#notice'), 'submitted');
    expect(asked[0]!.body).toEqual({ type: 'refund_only', reason: '不想要了', lines: [{ lineId: 700, quantity: 1 }] });
    await until(() => text(page, '.request'), 'request listed');
    expect(text(page, '.request')).toBe('不想要了 · ¥9.90待审核');
  });

  it('group-buy: joins an open group through checkout and shares the group with the sharer id', async () => {
    const env = scriptedWx([
      login,
      (c) =>
        c.path === '/api/group-buys/8'
          ? {
              data: {
                id: 8,
                merchantId: 1,
                productId: 11,
                skuId: 101,
                title: '芒果拼团',
                groupPriceFen: 690,
                groupSize: 3,
                expireMinutes: 60,
                autoFill: false,
                startsAt: '',
                endsAt: '',
                status: 'active',
                results: [],
                openGroups: [
                  {
                    id: 4,
                    dealId: 8,
                    title: '芒果拼团',
                    groupPriceFen: 690,
                    status: 'open',
                    expiresAt: new Date(Date.now() + 600_000).toISOString(),
                    size: 3,
                    paid: 1,
                    missing: 2,
                    shareUrl: '',
                    members: [{ userId: 3, nickname: '团长', status: 'paid', leader: true }],
                  },
                ],
              },
            }
          : undefined,
    ]);
    env.storage.set('lm.tokens', { accessToken: 'at', refreshToken: 'rt' });
    env.storage.set('lm.user', { id: 7 });
    const page = render('mall/pages/groupbuy/index');
    await page.instance.onLoad({ dealId: '8', groupId: '4' });
    expect(text(page, '#price')).toBe('¥6.90');
    expect(text(page, '.group')).toContain('团长 的团');
    expect(text(page, '.group')).toContain('还差 2 人');
    await tap(page, '.join');
    await until(() => env.navigations.length, 'checkout');
    expect(decodeURIComponent(env.navigations[0]!)).toBe(
      '/mall/pages/checkout/index?items=[{"skuId":101,"quantity":1}]&deal={"groupBuy":{"dealId":8,"groupId":4}}',
    );
    expect(page.instance.onShareAppMessage({ target: { dataset: { id: 4 } } })).toEqual({
      title: '¥6.90 拼 芒果拼团，就差你了',
      path: '/mall/pages/groupbuy/index?dealId=8&groupId=4&sharer=7',
    });
  });

  it('bargain: the owner shares it and buys at the current price; a friend helps cut', async () => {
    const bargain = (helps: number, price: number) => ({
      id: 30,
      campaignId: 2,
      userId: 7,
      title: '砍价椰子',
      skuId: 101,
      productId: 11,
      startPriceFen: 2000,
      currentPriceFen: price,
      floorPriceFen: 500,
      helps,
      helpsNeeded: 5,
      status: 'open',
      expiresAt: '',
      orderId: null,
      shareUrl: '',
      cuts: helps ? [{ seq: 1, cutFen: 300, nickname: '好友' }] : [],
    });
    let helps = 0;
    const helped = <T>(answer: T): T => {
      helps = 1;
      return answer;
    };
    const env = scriptedWx([
      login,
      (c) => (c.path === '/api/bargains/campaigns/2/start' ? { data: bargain(0, 2000) } : undefined),
      (c) =>
        c.path === '/api/bargains/30/help'
          ? helped({ data: { cutFen: 300, currentPriceFen: 1700, reached: false } })
          : undefined,
      (c) => (c.path === '/api/bargains/30' ? { data: bargain(helps, helps ? 1700 : 2000) } : undefined),
    ]);
    const mine = render('mall/pages/bargain/index');
    await mine.instance.onLoad({ campaignId: '2' });
    expect(text(mine, '#current')).toBe('¥20.00');
    expect(mine.querySelector('#ask-friends')).toBeTruthy();
    expect(mine.instance.onShareAppMessage()).toEqual({
      title: '帮我砍一刀：砍价椰子',
      path: '/mall/pages/bargain/index?bargainId=30&sharer=7',
    });
    await tap(mine, '#buy');
    expect(decodeURIComponent(env.navigations[0]!)).toContain('&deal={"bargainId":30}');

    env.storage.set('lm.user', { id: 99 }); // a friend opening the share
    const friend = render('mall/pages/bargain/index');
    await friend.instance.onLoad({ bargainId: '30', sharer: '7' });
    expect(friend.querySelector('#ask-friends')).toBeUndefined();
    await tap(friend, '#help');
    await until(() => text(friend, '#notice'), 'helped');
    expect(text(friend, '#notice')).toBe('你帮忙砍了 ¥3.00');
    await until(() => text(friend, '#current') === '¥17.00', 'new price');
    expect(text(friend, '.cut')).toBe('好友 砍了 ¥3.00');
  });
});

describe('shop page', () => {
  it('shows the shop live show and trailers, its products, and follows it', async () => {
    const follows: Call[] = [];
    const room = (id: number, status: string) => ({
      id,
      merchantId: 1,
      merchantName: '好物小店',
      title: `场次${id}`,
      coverUrl: null,
      status,
      isPrivate: false,
      scheduledAt: null,
      startedAt: null,
      endedAt: null,
      reminders: 0,
      viewers: { online: 1, cumulative: 1 },
    });
    const env = scriptedWx([
      login,
      (c) => (c.path === '/api/rooms?kind=live&merchantId=1' ? { data: [room(1, 'live')] } : undefined),
      (c) => (c.path === '/api/rooms?kind=upcoming&merchantId=1' ? { data: [room(2, 'scheduled')] } : undefined),
      (c) =>
        c.path.startsWith('/api/products?merchantId=1&')
          ? { data: { items: [summary(5, '芒果')], total: 1, page: 1, pageSize: 20 } }
          : undefined,
      (c) => (c.path === '/api/merchants/1/followers' ? { data: { followers: 9, following: false } } : undefined),
      (c) => (c.path === '/api/me/follows/1' ? logged(follows, c, { data: { following: true } }) : undefined),
    ]);
    const page = render('mall/pages/shop/index');
    await page.instance.onLoad({ merchantId: '1' });
    expect(text(page, '#name')).toBe('好物小店');
    expect(all(page, '.room').map((r: { dom: HTMLElement }) => r.dom.textContent!.replace(/\s+/g, ' ').trim())).toEqual(
      ['直播中 · 场次1›', '预告 · 场次2›'],
    );
    expect(text(page, '.product')).toBe('芒果¥9.90');
    await tap(page, '#follow');
    await until(() => text(page, '#followers') === '10 人关注', 'followed');
    expect(follows[0]!.method).toBe('PUT');
    await tap(page, '.room');
    await tap(page, '.product');
    expect(env.navigations).toEqual(['/pages/room/index?roomId=1', '/mall/pages/product/index?productId=5']);
  });
});

describe('user centre', () => {
  it('signs in with WeChat, binds the phone number from the getPhoneNumber button, and signs out', async () => {
    const bound: Call[] = [];
    const env = scriptedWx([
      login,
      (c) =>
        c.path === '/api/wechat/phone'
          ? logged(bound, c, { data: { user: { ...signedIn.user, phone: '13800138000' } } })
          : undefined,
      (c) => (c.path === '/api/auth/logout' ? { data: { ok: true } } : undefined),
    ]);
    const page = render('user/pages/me/index');
    page.instance.onLoad();
    expect(page.querySelector('#login')).toBeTruthy();
    await tap(page, '#login');
    await until(() => text(page, '#nickname') === '微信用户', 'signed in');
    const button = page.querySelector('#bind-phone');
    button.dispatchEvent('getphonenumber', { detail: { errMsg: 'getPhoneNumber:fail user deny' } });
    await new Promise((r) => setTimeout(r, 30));
    expect(bound).toHaveLength(0);
    button.dispatchEvent('getphonenumber', { detail: { code: 'sandbox:13800138000', errMsg: 'getPhoneNumber:ok' } });
    await until(() => text(page, '#phone') === '13800138000', 'phone bound');
    expect(bound[0]!.body).toEqual({ code: 'sandbox:13800138000' });
    await tap(page, '#coupons');
    expect(env.navigations).toEqual(['/user/pages/coupons/index']);
    await tap(page, '#logout');
    await until(() => page.querySelector('#login'), 'signed out');
    expect(env.storage.has('lm.tokens')).toBe(false);
  });

  it('coupons by status and points with their ledger', async () => {
    scriptedWx([
      login,
      (c) =>
        c.path.startsWith('/api/me/coupons?status=available')
          ? {
              data: [
                {
                  id: 1,
                  templateId: 1,
                  title: '满50减5',
                  description: '全场',
                  kind: 'amount',
                  funding: 'merchant',
                  merchantId: 1,
                  status: 'available',
                  channel: 'room',
                  validFrom: '',
                  validUntil: '2026-12-31T00:00:00Z',
                  orderId: null,
                },
              ],
            }
          : undefined,
      (c) => (c.path.startsWith('/api/me/coupons?') ? { data: [] } : undefined),
      (c) =>
        c.path === '/api/me/points'
          ? {
              data: {
                balance: 230,
                policy: { earnPerYuan: 1, pointsPerYuan: 100, maxShareBp: 5000 },
                entries: [
                  { id: 1, delta: 230, balanceAfter: 230, reason: '下单奖励', ref: 'o1', at: '2026-11-30T00:00:00Z' },
                ],
              },
            }
          : undefined,
    ]);
    const coupons = render('user/pages/coupons/index');
    await coupons.instance.onLoad();
    expect(text(coupons, '.coupon')).toBe('满50减5可用全场 · 有效期至 2026-12-31');
    coupons.querySelectorAll('.tab')[1].dispatchEvent('tap');
    await until(() => text(coupons, '#empty'), 'used tab');
    const points = render('user/pages/points/index');
    await points.instance.onLoad();
    expect(text(points, '#balance')).toBe('230');
    expect(text(points, '#rule')).toBe('每消费 1 元得 1 积分，100 积分抵 1 元');
    expect(text(points, '.entry')).toBe('下单奖励 · 2026-11-30+230');
  });
});
