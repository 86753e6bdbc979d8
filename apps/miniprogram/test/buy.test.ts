// Buying in the room: the SKU picker, the checkout sheet with the server's quote line by line, and paying
// (wx.requestPayment with the server's JSAPI parameters, or the sandbox's test money).
import { beforeAll, describe, expect, it } from 'vitest';
import { productDetail, quote } from './fixtures.ts';
import { all, ensureBuilt, logged, render, scriptedWx, tap, text, until, type Call, type Route } from './wx.ts';

beforeAll(() => ensureBuilt());

describe('SKU picker', () => {
  it('picks a value per spec, shows that SKU price and stock, bounds the quantity, hands the SKU over', async () => {
    scriptedWx([(c) => (c.path === '/api/products/11' ? { data: productDetail(11) } : undefined)]);
    const picker = render('components/sku-picker/index', { productId: 11 });
    await until(() => text(picker, '#title') === '商品11', 'product');
    expect(text(picker, '#price')).toBe('¥19.90');
    expect(text(picker, '#stock')).toBe('库存 3');
    const values = all(picker, '.value');
    expect(values.map((v: { dom: HTMLElement }) => v.dom.textContent)).toEqual(['红', '蓝', 'S', 'M']);
    expect(values[0].dom.className).toContain('on');

    values[3].dispatchEvent('tap'); // 红 M: sold out
    await until(() => text(picker, '#stock') === '库存 0', 'sold-out sku');
    expect(text(picker, '#confirm')).toBe('已抢光');
    values[1].dispatchEvent('tap'); // 蓝 M does not exist
    await until(() => text(picker, '#price') === '', 'no sku');
    values[2].dispatchEvent('tap'); // 蓝 S
    await until(() => text(picker, '#price') === '¥29.90', 'blue S');

    const picked: unknown[] = [];
    picker.addEventListener('picked', (e: { detail: unknown }) => picked.push(e.detail));
    await tap(picker, '#plus');
    await tap(picker, '#plus');
    await tap(picker, '#minus');
    expect(text(picker, '#quantity')).toBe('2');
    await tap(picker, '#confirm');
    expect(picked).toEqual([{ skuId: 103, quantity: 2 }]);
  });
});

const address = {
  id: 31,
  name: '张三',
  phone: '13800138000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路 1 号',
  postalCode: null,
  isDefault: true,
};

function checkoutRoutes(o: { methods: string[]; log: Call[]; addresses?: unknown[] }): Route[] {
  let paid = false;
  const settle = <T>(outcome: boolean, answer: T): T => {
    paid = outcome;
    return answer;
  };
  return [
    (c) => {
      o.log.push(c);
      return undefined;
    },
    (c) => (c.path === '/api/me/addresses' && c.method === 'GET' ? { data: o.addresses ?? [address] } : undefined),
    (c) =>
      c.path === '/api/checkout/quote' ? { data: quote(c.body.items[0].skuId, c.body.items[0].quantity) } : undefined,
    (c) =>
      c.path === '/api/orders' && c.method === 'POST'
        ? {
            status: 201,
            data: {
              checkoutNo: 'C1',
              orders: [{ orderId: 500, orderNo: 'O1', merchantId: 1, status: 'pending_payment', totalFen: 4480 }],
              payment: { paymentNo: 'P1', amountFen: 4480, status: 'pending', expiresAt: '', cashierUrl: null },
            },
          }
        : undefined,
    (c) =>
      c.path === '/api/payments/methods'
        ? {
            data: {
              sandbox: o.methods.includes('sandbox'),
              methods: o.methods.map((p) => ({ provider: p, testMoney: p === 'sandbox' })),
            },
          }
        : undefined,
    (c) =>
      c.path === '/api/payments/P1/start' && c.body.provider === 'wechat'
        ? settle(true, {
            data: {
              paymentNo: 'P1',
              provider: 'wechat',
              amountFen: 4480,
              jsapiParams: {
                appId: 'wx1',
                timeStamp: '1700000000',
                nonceStr: 'n',
                package: 'prepay_id=wx9',
                signType: 'RSA',
                paySign: 'sig',
              },
            },
          })
        : undefined,
    (c) =>
      c.path === '/api/payments/P1/start' && c.body.provider === 'sandbox'
        ? {
            data: {
              paymentNo: 'P1',
              provider: 'sandbox',
              amountFen: 4480,
              cashierUrl: 'https://x/pay/sandbox/P1?t=tok%2B1',
              sandboxPay: { testMoney: true, confirmPath: '/pay/sandbox/P1/confirm', token: 'tok+1' },
            },
          }
        : undefined,
    (c) =>
      c.path === '/pay/sandbox/P1/confirm'
        ? settle(c.body.outcome === 'succeeded', { data: { outcome: 'succeeded' } })
        : undefined,
    (c) =>
      c.path === '/api/orders/500' ? { data: { id: 500, status: paid ? 'paid' : 'pending_payment' } } : undefined,
  ];
}

describe('checkout sheet', () => {
  it('shows the quote line by line and pays with wx.requestPayment and the server JSAPI parameters', async () => {
    const log: Call[] = [];
    const env = scriptedWx(checkoutRoutes({ methods: ['wechat'], log }));
    env.storage.set('lm.tokens', { accessToken: 'at', refreshToken: 'rt' });
    const sheet = render('components/checkout-sheet/index', { items: [{ skuId: 101, quantity: 2 }], roomId: 9 });
    await until(() => text(sheet, '#total'), 'quote');
    expect(text(sheet, '.address')).toBe('张三 13800138000 浙江省杭州市西湖区文三路 1 号');
    expect(text(sheet, '.line')).toBe('商品11 红 S¥19.90 ×2直播间券 -¥3.00小计¥36.80');
    expect(text(sheet, '.charge')).toBe('运费¥8.00');
    expect(text(sheet, '#goods')).toBe('¥39.80');
    expect(text(sheet, '#discount')).toBe('-¥3.00');
    expect(text(sheet, '#shipping')).toBe('¥8.00');
    expect(text(sheet, '#total')).toBe('¥44.80');
    expect(log.find((c) => c.path === '/api/checkout/quote')!.body).toEqual({
      items: [{ skuId: 101, quantity: 2 }],
      addressId: 31,
      roomId: 9,
      usePoints: false,
    });

    const paid: unknown[] = [];
    sheet.addEventListener('paid', (e: { detail: unknown }) => paid.push(e.detail));
    await tap(sheet, '#place');
    await until(() => text(sheet, '#paid'), 'paid');
    const order = log.find((c) => c.path === '/api/orders')!;
    expect(order.body).toMatchObject({ quoteToken: 'qt-1', addressId: 31, roomId: 9 });
    expect(order.body.idempotencyKey).toMatch(/^mp-/);
    expect(env.payments).toHaveLength(1);
    expect(env.payments[0]).toMatchObject({
      timeStamp: '1700000000',
      nonceStr: 'n',
      package: 'prepay_id=wx9',
      signType: 'RSA',
      paySign: 'sig',
    });
    expect(text(sheet, '#paid')).toBe('订单已支付 · ¥44.80');
    expect(paid).toEqual([{ orderIds: [500] }]);
  });

  it('imports a WeChat address when there is none and pays test money in the sandbox', async () => {
    const log: Call[] = [];
    let saved: unknown = null;
    const keep = <T>(body: unknown, answer: T): T => {
      saved = body;
      return answer;
    };
    const env = scriptedWx([
      (c) =>
        c.path === '/api/me/addresses' && c.method === 'POST'
          ? keep(c.body, { status: 201, data: address })
          : undefined,
      (c) => (c.path === '/api/me/addresses' ? { data: saved ? [address] : [] } : undefined),
      ...checkoutRoutes({ methods: ['sandbox'], log }),
    ]);
    env.address = {
      userName: '张三',
      telNumber: '13800138000',
      provinceName: '浙江省',
      cityName: '杭州市',
      countyName: '西湖区',
      detailInfo: '文三路 1 号',
      postalCode: '310000',
    };
    const sheet = render('components/checkout-sheet/index', { items: [{ skuId: 101, quantity: 1 }], roomId: 0 });
    await until(() => text(sheet, '#no-address'), 'no address');
    await tap(sheet, '#import-address');
    await until(() => text(sheet, '#total'), 'quote after import');
    expect(saved).toEqual({
      name: '张三',
      phone: '13800138000',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路 1 号',
      postalCode: '310000',
    });
    await tap(sheet, '#place');
    await until(() => text(sheet, '#test-money'), 'test-money cashier');
    expect(text(sheet, '#amount')).toBe('¥44.80');
    expect(text(sheet, '#test-money')).toContain('测试金额');
    expect(env.payments).toHaveLength(0);
    await tap(sheet, '#confirm-test');
    await until(() => text(sheet, '#paid'), 'paid');
    const confirm = log.find((c) => c.path === '/pay/sandbox/P1/confirm')!;
    expect(confirm.body).toEqual({ t: 'tok+1', outcome: 'succeeded' });
    expect(confirm.headers.accept).toBe('application/json');
  });

  it('applies or drops coupons and points and quotes again each time', async () => {
    const log: Call[] = [];
    const withDeals = (body: { couponIds?: number[]; usePoints: boolean }) => ({
      ...quote(101, 1),
      appliedCouponIds: body.couponIds ?? [1],
      coupons: [
        {
          couponId: 1,
          title: '直播间券',
          description: '',
          funding: 'merchant',
          merchantId: 1,
          applied: (body.couponIds ?? [1]).includes(1),
          savingFen: 300,
          reason: null,
        },
        {
          couponId: 2,
          title: '满100减10',
          description: '',
          funding: 'platform',
          merchantId: null,
          applied: false,
          savingFen: 0,
          reason: '未满 ¥100',
        },
      ],
      points: {
        balance: 500,
        usable: 300,
        used: body.usePoints ? 300 : 0,
        deductedFen: body.usePoints ? 300 : 0,
        reason: null,
      },
    });
    scriptedWx([
      (c) => (c.path === '/api/checkout/quote' ? logged(log, c, { data: withDeals(c.body) }) : undefined),
      ...checkoutRoutes({ methods: ['sandbox'], log: [] }),
    ]);
    const sheet = render('components/checkout-sheet/index', { items: [{ skuId: 101, quantity: 1 }], roomId: 9 });
    await until(() => text(sheet, '#total'), 'quote');
    const coupons = all(sheet, '.coupon');
    expect(coupons.map((c: { dom: HTMLElement }) => c.dom.textContent!.replace(/\s+/g, ' ').trim())).toEqual([
      '☑ 直播间券-¥3.00',
      '☐ 满100减10未满 ¥100',
    ]);
    expect(text(sheet, '#points')).toBe('☐ 积分抵扣（可用 300）');
    await tap(sheet, '#points');
    await until(() => log.length === 2, 'requote with points');
    expect(log[1]!.body.usePoints).toBe(true);
    await until(() => text(sheet, '#points') === '☑ 积分抵扣（可用 300）-¥3.00', 'points applied');
    coupons[0].dispatchEvent('tap');
    await until(() => log.length === 3, 'requote without the coupon');
    expect(log[2]!.body).toMatchObject({ couponIds: [], usePoints: true });
  });

  it('shows the refusal and quotes again when the order cannot be placed', async () => {
    const log: Call[] = [];
    scriptedWx([
      (c) =>
        c.path === '/api/orders'
          ? { status: 409, data: { error: { code: 'PRICE_CHANGED', message: 'The total changed' } } }
          : undefined,
      ...checkoutRoutes({ methods: ['sandbox'], log }),
    ]);
    const sheet = render('components/checkout-sheet/index', { items: [{ skuId: 101, quantity: 1 }], roomId: 9 });
    await until(() => text(sheet, '#total'), 'quote');
    await tap(sheet, '#place');
    await until(() => text(sheet, '#error'), 'error');
    expect(text(sheet, '#error')).toBe('价格有变化，请确认新的价格');
    await until(() => log.filter((c) => c.path === '/api/checkout/quote').length === 2, 'requote');
  });
});
